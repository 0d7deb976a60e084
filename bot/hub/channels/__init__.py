"""Messenger channel adapters. Each platform lives in its own module; shared logic in base and meta."""

from __future__ import annotations

import logging
from typing import Dict, Tuple, Type

from aiohttp import web

from bot.hub.channels.base import Channel, Inbox
from bot.hub.channels.messenger import MessengerChannel
from bot.hub.channels.telegram import TelegramChannel
from bot.hub.channels.whatsapp import WhatsAppChannel
from bot.hub.notifier import Notifier
from bot.hub.settings import Settings
from bot.shared.company import Company

log = logging.getLogger(__name__)
PLATFORMS: Tuple[Type[Channel], ...] = (TelegramChannel, MessengerChannel, WhatsAppChannel)
CHANNELS: web.AppKey[Dict[str, Channel]] = web.AppKey("channels", dict)  # configured ones by name


def setup_channels(
    app: web.Application, settings: Settings, inbox: Inbox, notifier: Notifier, company: Company
) -> Dict[str, Channel]:
    """Create every configured channel and register its outbound side with the notifier."""
    channels: Dict[str, Channel] = {}
    for platform in PLATFORMS:
        config = getattr(settings.channels, platform.name)
        if not platform.configured(config):
            continue
        channel = platform(config, inbox, company)
        channels[platform.name] = notifier.outbound[platform.name] = channel
        missing = channel.missing()
        if missing:
            log.warning(
                "%s: %s not set, its webhooks will be refused", platform.name, ", ".join(missing)
            )
        log.info(
            "%s channel enabled, webhook %s/webhooks/%s",
            platform.name,
            settings.base_url,
            platform.name,
        )
    app[CHANNELS] = channels
    return channels


async def close_channels(app: web.Application) -> None:
    """Finish pending deliveries (bounded wait) and close the HTTP sessions."""
    for channel in app.get(CHANNELS, {}).values():
        await channel.close()
