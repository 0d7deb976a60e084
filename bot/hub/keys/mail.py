"""The e-mail service (outbox, answers to tickets, inbound replies)."""

from __future__ import annotations

from aiohttp import web

from bot.hub.mail.outbox import MailService

MAIL = web.AppKey("mail", MailService)
