"""What Messenger and WhatsApp share: Meta's webhook handshake and payload signature.

Meta subscribes a callback URL with a GET carrying `hub.verify_token`; every
event POST is signed with `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw
body with the app secret>`. The signature is checked on the raw bytes before
the JSON is parsed, so a forged request changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, ClassVar, Dict, Tuple

from aiohttp import web

from bot.hub.channels.base import Channel, matches_secret
from bot.hub.errors import AuthenticationFailed, PermissionDenied
from bot.hub.settings import MetaSettings
from bot.hub.web.body import parse_object

SIGNATURE_HEADER = "X-Hub-Signature-256"


def check_signature(raw: bytes, header: str | None, app_secret: str) -> None:
    if not header:
        raise AuthenticationFailed("signature_missing", f"Der Header {SIGNATURE_HEADER} fehlt.")
    expected = "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
    if not matches_secret(header.strip().lower(), expected if app_secret else ""):
        raise PermissionDenied("invalid_signature", "Die Signatur der Anfrage ist ungültig.")


def handshake(request: web.Request, verify_token: str) -> web.Response:
    """Answer Meta's subscription check with the challenge, only for our verify token."""
    query = request.query
    if query.get("hub.mode") != "subscribe" or not matches_secret(
        query.get("hub.verify_token", ""), verify_token
    ):
        raise PermissionDenied("verification_failed", "Verify-Token oder Modus stimmt nicht.")
    return web.Response(text=query.get("hub.challenge", ""), content_type="text/plain")


class MetaChannel(Channel):
    object_type: ClassVar[str] = ""  # the "object" field of this product's webhook payloads
    required: ClassVar[Tuple[str, ...]] = ("app_secret", "verify_token")
    config: MetaSettings

    def handshake(self, request: web.Request) -> web.Response:
        return handshake(request, self.config.verify_token)

    async def authenticate(self, request: web.Request) -> Dict[str, Any]:
        raw = await request.read()
        check_signature(raw, request.headers.get(SIGNATURE_HEADER), self.config.app_secret)
        update = parse_object(raw)
        if update.get("object") != self.object_type:
            return {}  # another product's events on the same app: acknowledged, ignored
        return update
