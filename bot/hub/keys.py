"""Typed application state keys (aiohttp web.AppKey)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict

from aiohttp import web

from bot.hub.attachments.service import AttachmentService
from bot.hub.bus import Bus
from bot.hub.conversations import ConversationService
from bot.hub.handoff.agents import AgentAuth
from bot.hub.handoff.queue import HandoffQueue
from bot.hub.mail.outbox import MailService
from bot.hub.notifier import Notifier
from bot.hub.rasa_client import RasaClient
from bot.hub.ratelimit import RateLimiter
from bot.hub.settings import Settings
from bot.hub.store.repository import Repository
from bot.hub.web.sockets import SocketCaps
from bot.shared.company import Company

if TYPE_CHECKING:
    from bot.hub.channels.base import Channel
    from bot.hub.metrics import Metrics

SETTINGS = web.AppKey("settings", Settings)
COMPANY = web.AppKey("company", Company)
REPO = web.AppKey("repo", Repository)
RASA = web.AppKey("rasa", RasaClient)
CONVERSATIONS = web.AppKey("conversations", ConversationService)
QUEUE = web.AppKey("queue", HandoffQueue)
AUTH = web.AppKey("auth", AgentAuth)
BUS = web.AppKey("bus", Bus)
NOTIFIER = web.AppKey("notifier", Notifier)
CONV_LIMIT = web.AppKey("conv_limit", RateLimiter)
CLIENT_LIMIT = web.AppKey("client_limit", RateLimiter)
CALLBACK_LIMIT = web.AppKey("callback_limit", RateLimiter)
SOCKETS = web.AppKey("sockets", SocketCaps)
MAIL = web.AppKey("mail", MailService)
ATTACHMENTS = web.AppKey("attachments", AttachmentService)
CHANNELS: web.AppKey[Dict[str, Channel]] = web.AppKey(
    "channels", dict
)  # configured messenger channels by name
METRICS: web.AppKey[Metrics] = web.AppKey(
    "metrics"
)  # Prometheus registry of this hub process (/metrics)
