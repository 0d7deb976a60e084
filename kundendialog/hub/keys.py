"""Typed application state keys (aiohttp web.AppKey)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict

from aiohttp import web

from kundendialog.core.company import Company
from kundendialog.hub.attachments.service import AttachmentService
from kundendialog.hub.bus import Bus
from kundendialog.hub.conversations import ConversationService
from kundendialog.hub.handoff.agents import AgentAuth
from kundendialog.hub.handoff.queue import HandoffQueue
from kundendialog.hub.mail.outbox import MailService
from kundendialog.hub.notifier import Notifier
from kundendialog.hub.rasa_client import RasaClient
from kundendialog.hub.ratelimit import RateLimiter
from kundendialog.hub.settings import Settings
from kundendialog.hub.store.repository import Repository
from kundendialog.hub.web.sockets import SocketCaps

if TYPE_CHECKING:
    from kundendialog.hub.channels.base import Channel
    from kundendialog.hub.metrics import Metrics

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
CHANNELS: web.AppKey[Dict[str, Channel]] = web.AppKey("channels", dict)  # configured messenger channels by name
METRICS: web.AppKey[Metrics] = web.AppKey("metrics")  # Prometheus registry of this hub process (/metrics)
