"""The SLA service (targets per team on the business calendar; issue 27.13)."""

from __future__ import annotations

from aiohttp import web

from bot.hub.sla.service import SlaService

SLA = web.AppKey("sla", SlaService)
