"""The attachment service (validated uploads and their storage)."""

from __future__ import annotations

from aiohttp import web

from bot.hub.attachments.service import AttachmentService

ATTACHMENTS = web.AppKey("attachments", AttachmentService)
