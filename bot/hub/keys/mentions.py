"""The mention service (`@Name` in internal notes; issue 27.11)."""

from __future__ import annotations

from aiohttp import web

from bot.hub.mentions.service import MentionService

MENTIONS = web.AppKey("mentions", MentionService)
