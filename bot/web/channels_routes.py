"""Webhook routes of the messenger channels (filled by bot.channels)."""

from __future__ import annotations

from bot.web.spec import Api

api = Api()
