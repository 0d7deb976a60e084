"""SQL pieces the report queries share, for SQLite and PostgreSQL alike."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any, List, Sequence

from sqlalchemy import ColumnElement, String, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from bot.hub.reports.period import Period
from bot.hub.states import Sender
from bot.hub.store.models import Conversation, Message

HOUR_FORMAT = "%Y-%m-%d %H"


class hour_of(FunctionElement[str]):
    """The UTC hour of a stored timestamp as 'YYYY-MM-DD HH' (grouping key; folded into local time later).
    SQLite stores SQLAlchemy datetimes as ISO text, so a prefix is the cheapest way there."""

    type = String()
    inherit_cache = True
    name = "hour_of"


@compiles(hour_of)
def _hour_sqlite(element: hour_of, compiler: Any, **kw: Any) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 13)"


@compiles(hour_of, "postgresql")
def _hour_postgresql(element: hour_of, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD HH24')"


def parse_hour(value: str) -> datetime:
    return datetime.strptime(value, HOUR_FORMAT)


def within(column: Any, period: Period) -> ColumnElement[bool]:
    start, end = period.bounds
    return (column >= start) & (column < end)  # type: ignore[no-any-return]


def hours_within(
    db: AsyncSession, column: Any, period: Period, open_end: bool = False
) -> ColumnElement[bool]:
    """The period (or everything since its start) as a range of the column's hour: on SQLite that is
    what the report indexes on messages hold (migration 0006); the bounds are whole hours, so nothing
    changes but the plan."""
    sqlite = db.get_bind().dialect.name == "sqlite"
    value, (start, end) = (
        (hour_of(column), [m.strftime(HOUR_FORMAT) for m in period.bounds])
        if sqlite
        else (column, period.bounds)
    )
    return (value >= start) if open_end else (value >= start) & (value < end)  # type: ignore[no-any-return]


def hour_range(db: AsyncSession, column: Any, hour: datetime) -> ColumnElement[bool]:
    """One UTC hour of the column (an equality on SQLite's hour index)."""
    if db.get_bind().dialect.name == "sqlite":
        return hour_of(column) == hour.strftime(HOUR_FORMAT)  # type: ignore[no-any-return]
    return (column >= hour) & (column < hour + timedelta(hours=1))  # type: ignore[no-any-return]


def typed_by_customer() -> ColumnElement[bool]:
    """Customer messages the NLU read (no button taps), spelled as the partial index says: a bound
    parameter would keep SQLite from using it."""
    return (Message.sender == literal_column(f"'{Sender.CUSTOMER}'")) & Message.payload.is_(None)  # type: ignore[no-any-return]


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest rank: the smallest value with at least p % of all values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def seconds(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return max(0.0, (later - earlier).total_seconds())


def summary(values: List[float]) -> dict:
    """count, p50, p90, mean and max of durations in seconds (None where there is nothing)."""
    mean = round(sum(values) / len(values), 1) if values else None
    return {
        "count": len(values),
        "p50": percentile(values, 50),
        "p90": percentile(values, 90),
        "mean": mean,
        "max": max(values) if values else None,
    }


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def of_channel(conversation_id: Any, channel: str, period: Period) -> ColumnElement[bool]:
    """Rows (messages) of conversations on this channel, without a join per row: the conversations that
    can have rows in the period (started before its end, last active after its start), as one list."""
    return conversation_id.in_(
        select(Conversation.id).where(  # type: ignore[no-any-return]
            Conversation.channel == channel,
            Conversation.created_at < period.end,
            Conversation.last_message_at >= period.start,
        )
    )
