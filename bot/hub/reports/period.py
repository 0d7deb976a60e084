"""The period a report covers: whole local days in the company's time zone.

The database stores naive UTC; a period is turned into UTC bounds once, and counts come back per
UTC hour, which this module folds into local days and hours of the week. That is exact for time
zones whose offset is a whole number of hours (every European one, across DST changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import List, Tuple
from zoneinfo import ZoneInfo

MAX_DAYS = 366
PRESETS = {"today": 1, "7d": 7, "30d": 30}


@dataclass(frozen=True)
class Period:
    first: date  # the first local day
    days: int
    tz: ZoneInfo

    @classmethod
    def ending_today(cls, days: int, tz: ZoneInfo, now: datetime | None = None) -> Period:
        today = (now or datetime.now(timezone.utc)).astimezone(tz).date()
        return cls(today - timedelta(days=days - 1), days, tz)

    @property
    def last(self) -> date:
        return self.first + timedelta(days=self.days - 1)

    def _utc(self, day: date) -> datetime:
        return (
            datetime(day.year, day.month, day.day, tzinfo=self.tz)
            .astimezone(timezone.utc)
            .replace(tzinfo=None)
        )

    @property
    def start(self) -> datetime:
        """Inclusive lower bound, naive UTC (as stored)."""
        return self._utc(self.first)

    @property
    def end(self) -> datetime:
        """Exclusive upper bound, naive UTC: the start of the day after the last one."""
        return self._utc(self.first + timedelta(days=self.days))

    @property
    def bounds(self) -> Tuple[datetime, datetime]:
        return self.start, self.end

    def day_list(self) -> List[str]:
        return [(self.first + timedelta(days=i)).isoformat() for i in range(self.days)]

    def local(self, utc: datetime) -> datetime:
        return utc.replace(tzinfo=timezone.utc).astimezone(self.tz)

    def day_of(self, utc: datetime) -> str:
        return self.local(utc).date().isoformat()

    def week_hour(self, utc: datetime) -> Tuple[int, int]:
        """(weekday 0 = Monday, hour) in local time."""
        moment = self.local(utc)
        return moment.weekday(), moment.hour

    def json(self) -> dict:
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "days": self.days,
            "timezone": self.tz.key,
        }
