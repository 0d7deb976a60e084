"""Rasa's REST channel (`/webhooks/rest/webhook`) behind the Rasa token.

Kept for tools and the benchmark's direct turns; the stock channel would let
anything on loopback talk as any customer (any sender id), so credentials.yml
lists this subclass instead of `rest`.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from bot.rasa_plugins import auth


class TokenRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"  # same URL as the stock channel: /webhooks/rest/webhook

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = super().blueprint(on_new_message)
        auth.require_token(hook, auth.secret(auth.RASA_TOKEN, auth.RASA_TOKEN_FILE))
        return hook
