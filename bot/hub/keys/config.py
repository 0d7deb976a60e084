"""The hub's settings and the company facts (company.yml)."""

from __future__ import annotations

from aiohttp import web

from bot.hub.settings import Settings
from bot.shared.company import Company

SETTINGS = web.AppKey("settings", Settings)
COMPANY = web.AppKey("company", Company)
