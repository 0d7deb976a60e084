"""How frames reach websockets and messenger platforms: the bus and the notifier on top of it."""

from __future__ import annotations

from aiohttp import web

from bot.hub.bus import Bus
from bot.hub.notifier import Notifier

BUS = web.AppKey("bus", Bus)
NOTIFIER = web.AppKey("notifier", Notifier)
