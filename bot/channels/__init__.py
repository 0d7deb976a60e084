"""Messenger channel adapters. Each platform lives in its own module."""

from __future__ import annotations

from aiohttp import web

from bot.hub import Hub


def setup_channels(app: web.Application, hub: Hub) -> None:
    """Register the outbound side of every configured channel on the hub."""
    return None
