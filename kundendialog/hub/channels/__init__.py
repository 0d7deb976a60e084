"""Messenger channel adapters. Each platform lives in its own module; shared logic in base and meta."""

from __future__ import annotations

import logging
from typing import Dict, Tuple, Type

from aiohttp import web

from kundendialog.core.company import Company
from kundendialog.hub.channels.base import Channel, Inbox
from kundendialog.hub.channels.messenger import MessengerChannel
from kundendialog.hub.channels.telegram import TelegramChannel
from kundendialog.hub.channels.whatsapp import WhatsAppChannel
from kundendialog.hub.keys import CHANNELS
from kundendialog.hub.notifier import Notifier
from kundendialog.hub.settings import Settings

log = logging.getLogger(__name__)
PLATFORMS: Tuple[Type[Channel], ...] = (TelegramChannel, MessengerChannel, WhatsAppChannel)


def setup_channels(app: web.Application, settings: Settings, inbox: Inbox, notifier: Notifier,
                   company: Company) -> Dict[str, Channel]:
    """Create every configured channel and register its outbound side with the notifier."""
    channels: Dict[str, Channel] = {}
    for platform in PLATFORMS:
        config = settings.channels.get(platform.name) or {}
        if not platform.configured(config):
            continue
        channel = platform(config, inbox, company)
        channels[platform.name] = notifier.outbound[platform.name] = channel
        missing = channel.missing()
        if missing:
            log.warning("%s: %s not set, its webhooks will be refused", platform.name, ", ".join(missing))
        log.info("%s channel enabled, webhook %s/webhooks/%s", platform.name, settings.base_url, platform.name)
    app[CHANNELS] = channels
    return channels


async def close_channels(app: web.Application) -> None:
    """Finish pending deliveries (bounded wait) and close the HTTP sessions."""
    for channel in app.get(CHANNELS, {}).values():
        await channel.close()
