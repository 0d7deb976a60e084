"""The handoff queue (waiting customers, claims, transfers, teams)."""

from __future__ import annotations

from aiohttp import web

from bot.hub.handoff.queue import HandoffQueue

QUEUE = web.AppKey("queue", HandoffQueue)
