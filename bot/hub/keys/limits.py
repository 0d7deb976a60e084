"""Rate limits: customer messages per conversation and per client address, callback requests."""

from __future__ import annotations

from aiohttp import web

from bot.hub.ratelimit import RateLimiter

CONV_LIMIT = web.AppKey("conv_limit", RateLimiter)
CLIENT_LIMIT = web.AppKey("client_limit", RateLimiter)
CALLBACK_LIMIT = web.AppKey("callback_limit", RateLimiter)
