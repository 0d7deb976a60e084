"""Reading request bodies and fields; anything malformed becomes a domain error (4xx)."""

from __future__ import annotations

import json
from typing import Any, Dict

from aiohttp import web

from kundendialog.core.errors import InvalidInput, MalformedRequest, TooLong, UnsupportedMediaType


def parse_object(raw: bytes | str) -> Dict[str, Any]:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise MalformedRequest("invalid_json", "Der Request-Body ist kein gültiges JSON.") from None
    if not isinstance(body, dict):
        raise MalformedRequest("invalid_json", "Der Request-Body muss ein JSON-Objekt sein.")
    return body


async def json_body(request: web.Request) -> Dict[str, Any]:
    """The request's JSON object, or a domain error explaining what is wrong."""
    if request.content_type != "application/json":
        raise UnsupportedMediaType("unsupported_media_type", "Content-Type muss application/json sein.")
    return parse_object(await request.read())


def text_field(body: Dict[str, Any], name: str, max_length: int, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InvalidInput("invalid_field", f"'{name}' muss ein Text sein.")
    value = value.strip()
    if not value:
        raise InvalidInput("empty_text", f"'{name}' darf nicht leer sein.")
    if len(value) > max_length:
        raise TooLong("text_too_long", f"'{name}' ist länger als {max_length} Zeichen.")
    return value


def bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None
