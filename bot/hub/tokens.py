"""Bearer tokens (customers', agents' sessions, websocket tickets) are stored only as their SHA-256:
a copy of the database opens no conversation and no console."""

from __future__ import annotations

import hashlib


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
