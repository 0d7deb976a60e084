"""The database repository."""

from __future__ import annotations

from aiohttp import web

from bot.hub.store.repository import Repository

REPO = web.AppKey("repo", Repository)
