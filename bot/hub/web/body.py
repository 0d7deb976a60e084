"""Reading request bodies and fields; anything malformed becomes a domain error (4xx)."""

from __future__ import annotations

import json
from typing import Any, Dict

from aiohttp import web

from bot.hub.errors import InvalidInput, MalformedRequest, TooLong, UnsupportedMediaType

# What a text is trimmed of: Python's whitespace and JavaScript's (U+FEFF), so that "has a non-blank
# character" means the same to the hub and to the OpenAPI document's pattern (spec.NON_BLANK).
BLANK = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "\ufeff"
MAX_DEPTH = 32  # no request of the API nests deeper (Meta webhooks: ~8)
MAX_ID = 2**31 - 1  # the largest integer id any backend's INTEGER column holds


def depth(value: Any) -> int:
    """Nesting depth of parsed JSON, without recursion (a deep document must not overflow the stack)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        node, level = todo.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, level)
            todo.extend(
                (child, level + 1) for child in (node.values() if isinstance(node, dict) else node)
            )
    return deepest


def not_json(constant: str) -> Any:
    """NaN and Infinity are no JSON (RFC 8259); stored, they would break PostgreSQL's JSON columns."""
    raise ValueError(constant)


def parse_object(raw: bytes | str) -> Dict[str, Any]:
    """A JSON object of bounded depth; anything else is a 400 (deep nesting once crashed the parser)."""
    try:
        body = json.loads(raw, parse_constant=not_json)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise MalformedRequest("invalid_json", "Der Request-Body ist kein gültiges JSON.") from None
    if not isinstance(body, dict):
        raise MalformedRequest("invalid_json", "Der Request-Body muss ein JSON-Objekt sein.")
    if depth(body) > MAX_DEPTH:
        raise MalformedRequest(
            "invalid_json", f"Der Request-Body ist tiefer als {MAX_DEPTH} Ebenen verschachtelt."
        )
    return body


async def json_body(request: web.Request) -> Dict[str, Any]:
    """The request's JSON object, or a domain error explaining what is wrong."""
    if request.content_type != "application/json":
        raise UnsupportedMediaType(
            "unsupported_media_type", "Content-Type muss application/json sein."
        )
    return parse_object(await request.read())


def text_field(
    body: Dict[str, Any],
    name: str,
    max_length: int,
    required: bool = True,
    label: str | None = None,
) -> str | None:
    """A text field of a JSON body; `label`: the field's German name in the error (a console form shows it)."""
    value = body.get(name)
    if value is None and not required:
        return None
    shown = label or name
    if not isinstance(value, str):
        raise InvalidInput("invalid_field", f"'{shown}' muss ein Text sein.")
    # Measured before stripping, so the limit is exactly the documented maxLength.
    if len(value) > max_length:
        raise TooLong("text_too_long", f"'{shown}' ist länger als {max_length} Zeichen.")
    value = value.strip(BLANK)
    if not value:
        raise InvalidInput("empty_text", f"'{shown}' darf nicht leer sein.")
    return value


def id_value(value: Any) -> int | None:
    """An integer id within what the database can hold, else None (a larger one would be a 500 on PostgreSQL)."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
        return value
    return None


def bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None
