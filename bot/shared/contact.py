"""How a customer's e-mail address or phone number is spotted in a message, for the hub (a contact typed
after a ticket or callback offer) and the actions (a contact for the open request) alike."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# At least 7 digits, optionally +49 / (0) / spaces / dashes / slashes: not an order number (6 digits).
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d ()/-]{5,18}\d(?!\w)")
MIN_PHONE_DIGITS = 7


def phone_in(text: str) -> str | None:
    """The first phone number in the text, as written; None when there is none."""
    for match in PHONE.finditer(text or ""):
        if sum(c.isdigit() for c in match.group(0)) >= MIN_PHONE_DIGITS:
            return match.group(0).strip()
    return None
