"""Button payloads longer than a platform allows travel as a short token.

Telegram's `callback_data` holds at most 64 bytes; a Rasa payload with entities
(`/inform{"order_id":"100234",...}`) can be longer. Such a payload is sent as
`kd:<12 hex of its SHA-256>` and the token is mapped back when the customer taps
the button. Limitation: the map lives in this process's memory and is bounded,
so after a restart (or with several hubs, on another hub; or after very many
long payloads) an old button's token is unknown. The tap then still arrives, as
the button's title in plain text, which the bot's NLU usually understands.
"""

from __future__ import annotations

import hashlib
import re

from bot.hub.channels.bounded import BoundedDict

TOKEN = re.compile(r"kd:[0-9a-f]{12}")


class PayloadTokens:
    def __init__(self, size: int = 10_000) -> None:
        self._payloads: BoundedDict[str, str] = BoundedDict(size)

    def fit(self, payload: str, limit_bytes: int) -> str:
        """The payload itself when it fits, else a token that `resolve` maps back."""
        if len(payload.encode()) <= limit_bytes:
            return payload
        token = "kd:" + hashlib.sha256(payload.encode()).hexdigest()[:12]
        self._payloads.put(token, payload)
        return token

    def resolve(self, value: str) -> str | None:
        """The original payload; None for a token this process no longer knows."""
        if TOKEN.fullmatch(value):
            return self._payloads.get(value)
        return value
