"""The macro service (replies with variables, tags and an action; issue 27.10)."""

from __future__ import annotations

from aiohttp import web

from bot.hub.macros.service import MacroService

MACROS = web.AppKey("macros", MacroService)
