"""Agent accounts: login, sessions, two-factor; built once at start-up (app.services)."""

from __future__ import annotations

from aiohttp import web

from bot.hub.accounts.agents import AgentAuth

AUTH = web.AppKey("auth", AgentAuth)
