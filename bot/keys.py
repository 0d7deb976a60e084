"""Typed application state keys (aiohttp web.AppKey)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict

from aiohttp import web

from bot.bus import Bus
from bot.handoff.agents import AgentAuth
from bot.handoff.queue import HandoffQueue
from bot.hub import Hub
from bot.ratelimit import RateLimiter
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.channels.base import Channel

SETTINGS = web.AppKey("settings", Settings)
HUB = web.AppKey("hub", Hub)
QUEUE = web.AppKey("queue", HandoffQueue)
AUTH = web.AppKey("auth", AgentAuth)
BUS = web.AppKey("bus", Bus)
CONV_LIMIT = web.AppKey("conv_limit", RateLimiter)
CLIENT_LIMIT = web.AppKey("client_limit", RateLimiter)
CHANNELS: web.AppKey[Dict[str, Channel]] = web.AppKey("channels", dict)  # configured messenger channels by name
