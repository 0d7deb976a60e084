"""Small helpers the platform backends share: reading the platforms' dates and amounts."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any


def utc(value: Any, local_zone: str = "") -> datetime | None:
    """An ISO 8601 / RFC 3339 timestamp as naive UTC (the model's convention).

    A timestamp without offset is in `local_zone` (an IANA name; UTC when empty): WooCommerce's
    `date_*` fields are the shop's local time, DHL writes event times without offset in the
    event's local time."""
    if not value:
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        if not local_zone:
            return parsed
        from zoneinfo import ZoneInfo

        parsed = parsed.replace(tzinfo=ZoneInfo(local_zone))
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)


def cents(amount: Any) -> int:
    """'149.90', 149.9 or Decimal -> 14990; unreadable amounts are 0 (never guessed)."""
    try:
        return int((Decimal(str(amount)) * 100).quantize(Decimal(1)))
    except (InvalidOperation, ValueError):
        return 0


def carrier_name(text: str) -> str:
    """The carrier as the flows and trackers name it: 'DHL Express' / 'deutsche-post-dhl' -> 'DHL'."""
    lowered = (text or "").lower()
    for needle, name in (
        ("dhl", "DHL"),
        ("deutsche post", "DHL"),
        ("dpd", "DPD"),
        ("hermes", "Hermes"),
        ("ups", "UPS"),
        ("gls", "GLS"),
    ):
        if needle in lowered:
            return name
    return text.strip()
