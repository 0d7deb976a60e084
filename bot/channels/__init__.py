"""Messenger channel adapters. Each platform lives in its own module; shared logic in base and meta."""

from __future__ import annotations

import logging
from typing import Dict, Tuple, Type

from aiohttp import web

from bot.channels.base import Channel
from bot.channels.messenger import MessengerChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.whatsapp import WhatsAppChannel
from bot.hub import Hub
from bot.keys import CHANNELS

log = logging.getLogger(__name__)
PLATFORMS: Tuple[Type[Channel], ...] = (TelegramChannel, MessengerChannel, WhatsAppChannel)


def setup_channels(app: web.Application, hub: Hub) -> Dict[str, Channel]:
    """Create every configured channel and register its outbound side on the hub."""
    channels: Dict[str, Channel] = {}
    for platform in PLATFORMS:
        config = hub.settings.channels.get(platform.name) or {}
        if not platform.configured(config):
            continue
        channel = platform(config, hub)
        channels[platform.name] = hub.outbound[platform.name] = channel
        missing = channel.missing()
        if missing:
            log.warning("%s: %s not set, its webhooks will be refused", platform.name, ", ".join(missing))
        log.info("%s channel enabled, webhook %s/webhooks/%s", platform.name, hub.settings.base_url, platform.name)
    app[CHANNELS] = channels
    return channels


async def close_channels(app: web.Application) -> None:
    """Finish pending deliveries (bounded wait) and close the HTTP sessions."""
    for channel in app.get(CHANNELS, {}).values():
        await channel.close()
