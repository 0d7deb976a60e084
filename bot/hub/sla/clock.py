"""Business time on a team calendar: how much of a span fell in the team's shifts, and when a number
of business seconds from a start runs out. Pure and clock-free like the calendar itself."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterator, Tuple

from bot.shared.calendar import HORIZON_DAYS, Calendar

Span = Tuple[datetime, datetime]


def aware(moment: datetime) -> datetime:
    """The database's naive UTC as an aware moment; aware moments stay."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _spans(calendar: Calendar, start: datetime, days: int) -> Iterator[Span]:
    """The team's open spans (local shifts, holidays and shutdowns skipped) from start's local day on."""
    first = aware(start).astimezone(calendar.tz).date()
    for offset in range(days):
        day = first + timedelta(days=offset)
        for begin, end in calendar.shifts(day):
            yield (
                datetime.combine(day, begin, calendar.tz),
                datetime.combine(day, end, calendar.tz),
            )


def business_seconds(calendar: Calendar, start: datetime, end: datetime) -> float:
    """Seconds between start and end that fell in the team's hours."""
    start, end = aware(start), aware(end)
    if end <= start:
        return 0.0
    days = min((end - start).days + 2, HORIZON_DAYS * 3)
    total = 0.0
    for begin, finish in _spans(calendar, start, days):
        if begin >= end:
            break
        overlap = (min(finish, end) - max(begin, start)).total_seconds()
        if overlap > 0:
            total += overlap
    return total


def deadline(calendar: Calendar, start: datetime, seconds: float) -> datetime | None:
    """The moment `seconds` of business time after start have passed (None: the calendar never has
    that much time within the horizon)."""
    start = aware(start)
    left = float(seconds)
    for begin, finish in _spans(calendar, start, HORIZON_DAYS):
        if finish <= start:
            continue
        begin = max(begin, start)
        span = (finish - begin).total_seconds()
        if left <= span:
            return (begin + timedelta(seconds=left)).astimezone(timezone.utc)
        left -= span
    return None
