"""Whether a parcel arrives by a day the customer names ("vor dem Wochenende", "bis Samstag").

Held-out run 8, e15: "ob die Jacke VOR DEM WOCHENENDE ankommt" after the status started the complaint
form; "ist das sicher, dass es vor Samstag da ist?" got a help-page quote on stuck tracking or "I
cannot say anything sure". The order's expected delivery answers it: this module finds the last day
the customer accepts (plain strings and dates in), actions/orders.py compares it with the order.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_DAYS = {
    "montag": 0,
    "monday": 0,
    "dienstag": 1,
    "tuesday": 1,
    "mittwoch": 2,
    "wednesday": 2,
    "donnerstag": 3,
    "thursday": 3,
    "freitag": 4,
    "friday": 4,
    "samstag": 5,
    "sonnabend": 5,
    "saturday": 5,
    "sonntag": 6,
    "sunday": 6,
}
FRIDAY, SATURDAY = 4, 5
_DAY = r"(?:wochenende|weekend|" + "|".join(_DAYS) + r")"
# "vor dem Wochenende", "vorm Samstag", "before Saturday": the day before; "bis (zum) Samstag",
# "bis Wochenende", "by the weekend": that day itself.
_BEFORE = re.compile(rf"(?i)\b(?:vor|vorm|before)\s+(?:dem\s+|the\s+)?({_DAY})\b")
_BY = re.compile(rf"(?i)\b(?:bis|by|zum|am|on)\s+(?:zum\s+|dem\s+|the\s+|this\s+)?({_DAY})\b")
_TOMORROW = re.compile(r"(?i)\b(?:bis|by)\s+(?:morgen|tomorrow)\b")
# It is about arriving: "ankommen", "da sein", "geliefert", "zugestellt", "arrive".
_ARRIVES = re.compile(
    r"(?i)\b(?:an(?:kommt|kommen|gekommen)|kommt|kommen|da\b|hier\b|bei\s+(?:mir|uns)|geliefert|"
    r"zugestellt|liefer\w*|zustell\w*|arriv\w*|deliver\w*|get\s+here|schaff\w*)"
)


def _next(today: date, weekday: int) -> date:
    """That weekday this week, or next week once it has passed (today counts)."""
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def last_day(text: str, today: date) -> date | None:
    """The last day the customer accepts the parcel by, when the message asks whether it arrives by
    a named day; None otherwise."""
    text = text or ""
    if not _ARRIVES.search(text):
        return None
    if _TOMORROW.search(text):
        return today + timedelta(days=1)
    before = _BEFORE.search(text)
    if before:
        named = before.group(1).lower()
        if named in ("wochenende", "weekend"):
            return _next(today, FRIDAY)
        return _next(today, _DAYS[named]) - timedelta(days=1)
    by = _BY.search(text)
    if by:
        named = by.group(1).lower()
        return _next(today, SATURDAY if named in ("wochenende", "weekend") else _DAYS[named])
    return None


def asks_arrival_by(text: str) -> bool:
    """Whether the message asks if the parcel arrives by a named day (any week will do here)."""
    return last_day(text, date.today()) is not None


def arrives_in_time(expected: date, text: str, today: date) -> bool | None:
    """True when the expected delivery is on or before the day asked about, False when after it,
    None when the message names no such day."""
    limit = last_day(text, today)
    return None if limit is None else expected <= limit
