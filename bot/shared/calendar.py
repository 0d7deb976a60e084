"""Business calendars: weekly shifts (split by a lunch break), company shutdowns and public holidays.

Pure and clock-free (every question takes `now`), so tests pin any date. Public holidays come from the
`holidays` package for a region such as "DE-BY", "AT" or "CH-ZH" instead of a hand-written list; it is
imported only when a region is configured, because the Rasa environment (which only renders
`hours_text`) does not install it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Mapping, Tuple
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES_DE = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
DAY_NAMES_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
HORIZON_DAYS = 400  # a shutdown plus holidays never hides the next opening for longer

Shift = Tuple[time, time]


@lru_cache(maxsize=64)
def _public_holidays(country: str, subdivision: str | None, year: int) -> Dict[date, str]:
    import holidays  # the hub's environment only

    return dict(
        holidays.country_holidays(country, subdiv=subdivision, years=year, language="de").items()
    )


def parse_region(value: Any) -> Tuple[str, str | None] | None:
    """'DE-BY' -> ('DE', 'BY'); 'AT' -> ('AT', None); empty -> None."""
    if not value:
        return None
    country, _, sub = str(value).strip().upper().partition("-")
    return country, sub or None


def parse_shifts(value: Any) -> Tuple[Shift, ...]:
    """None, "08:00-20:00", "08:00-12:00, 13:00-17:00" or a list of such spans, in order."""
    if not value:
        return ()
    parts: Iterable[Any] = value if isinstance(value, list) else str(value).split(",")
    shifts: List[Shift] = []
    for part in parts:
        start, end = (time.fromisoformat(p.strip()) for p in str(part).split("-"))
        if end <= start:
            raise ValueError(f"shift {part!r} ends before it starts")
        shifts.append((start, end))
    return tuple(sorted(shifts))


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@dataclass(frozen=True)
class Calendar:
    tz: ZoneInfo
    week: Tuple[Tuple[Shift, ...], ...]  # Monday .. Sunday
    closed: frozenset[date] = field(default_factory=frozenset)  # single closed days
    shutdowns: Tuple[Tuple[date, date], ...] = ()  # Betriebsferien, inclusive ranges
    region: Tuple[str, str | None] | None = None  # public holidays of this country/subdivision

    def holiday(self, day: date) -> str | None:
        """Why the team is closed all day (holiday name, 'Betriebsferien', 'geschlossen'), or None."""
        if self.region is not None:
            name = _public_holidays(self.region[0], self.region[1], day.year).get(day)
            if name:
                return name
        if any(start <= day <= end for start, end in self.shutdowns):
            return "Betriebsferien"
        return "geschlossen" if day in self.closed else None

    def shifts(self, day: date) -> Tuple[Shift, ...]:
        return () if self.holiday(day) else self.week[day.weekday()]

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(self.tz)
        return any(start <= local.time() < end for start, end in self.shifts(local.date()))

    def next_opening(self, now: datetime) -> datetime | None:
        """The next moment someone is there (now if open); None if the calendar never opens."""
        local = now.astimezone(self.tz)
        if not any(self.week):
            return None
        for offset in range(HORIZON_DAYS):
            day = local.date() + timedelta(days=offset)
            for start, end in self.shifts(day):
                begin, finish = (
                    datetime.combine(day, start, self.tz),
                    datetime.combine(day, end, self.tz),
                )
                if local < finish:
                    return max(begin, local)
        return None

    def hours_text(self, register: str | None = None) -> str:
        """Compact, as said aloud: "Mo–Fr 8–20 Uhr, Sa 9–16 Uhr" (days with the same hours grouped);
        "Mon–Fri 8:00–20:00, Sat 9:00–16:00" for register "en"."""
        english = register == "en"
        names = DAY_NAMES_EN if english else DAY_NAMES_DE
        clock = _clock_en if english else _clock
        groups: List[Tuple[int, int, Tuple[Shift, ...]]] = []
        for idx, shifts in enumerate(self.week):
            if groups and shifts and groups[-1][2] == shifts and groups[-1][1] == idx - 1:
                groups[-1] = (groups[-1][0], idx, shifts)
            elif shifts:
                groups.append((idx, idx, shifts))
        parts = []
        for first, last, shifts in groups:
            days = (
                names[first]
                if first == last
                else f"{names[first]}{'–' if last - first > 1 else '/'}{names[last]}"
            )
            spans = (" and " if english else " und ").join(
                f"{clock(s)}–{clock(e)}" for s, e in shifts
            )
            parts.append(f"{days} {spans}" + ("" if english else " Uhr"))
        return ", ".join(parts)

    def with_overrides(self, raw: Mapping[str, Any] | None) -> Calendar:
        """A team's calendar: its own `hours` and `calendar` entries over the company's."""
        raw = raw or {}
        week = parse_week(raw["hours"]) if raw.get("hours") else self.week
        own = raw.get("calendar") or {}
        region = parse_region(own["public_holidays"]) if "public_holidays" in own else self.region
        return Calendar(
            tz=self.tz,
            week=week,
            closed=self.closed | _closed_days(own),
            shutdowns=self.shutdowns + _shutdowns(own),
            region=region,
        )


def _clock_en(moment: time) -> str:
    """8:00 -> "8:00", 16:30 -> "16:30"."""
    return f"{moment.hour}:{moment.minute:02d}"


def _clock(moment: time) -> str:
    """8:00 -> "8", 16:30 -> "16:30"."""
    return f"{moment.hour}" if not moment.minute else f"{moment.hour}:{moment.minute:02d}"


def parse_week(raw: Mapping[str, Any] | None) -> Tuple[Tuple[Shift, ...], ...]:
    raw = raw or {}
    return tuple(parse_shifts(raw.get(day)) for day in DAYS)


def _closed_days(raw: Mapping[str, Any]) -> frozenset[date]:
    return frozenset(_date(d) for d in raw.get("closed") or [])


def _shutdowns(raw: Mapping[str, Any]) -> Tuple[Tuple[date, date], ...]:
    spans = []
    for item in raw.get("shutdowns") or []:
        start = _date(item["from"])
        spans.append((start, _date(item.get("to") or start)))
    return tuple(spans)


def parse_calendar(raw: Mapping[str, Any], tz: ZoneInfo) -> Calendar:
    """The company calendar from company.yml: `hours`, the legacy `holidays` list and `calendar`."""
    section = raw.get("calendar") or {}
    closed = frozenset(_date(d) for d in raw.get("holidays") or []) | _closed_days(section)
    return Calendar(
        tz=tz,
        week=parse_week(raw.get("hours")),
        closed=closed,
        shutdowns=_shutdowns(section),
        region=parse_region(section.get("public_holidays")),
    )


def clock_de(moment: datetime) -> str:
    return f"{moment.hour} Uhr" if moment.minute == 0 else f"{moment.hour}:{moment.minute:02d} Uhr"


def next_available_text(moment: datetime, now: datetime, register: str | None = None) -> str:
    """'ab Montag, 8 Uhr' - how the hub says when a team is next there; in English for register "en"
    (an English-writing customer, company.yml's convention)."""
    local_now = now.astimezone(moment.tzinfo)
    days = (moment.date() - local_now.date()).days
    if register == "en":
        return _next_available_en(moment, local_now, days)
    if moment <= local_now + timedelta(minutes=1):
        return "sofort"
    if days == 0:
        return f"heute ab {clock_de(moment)}"
    if days == 1:
        return f"morgen ab {clock_de(moment)}"
    if days < 7:
        return f"ab {WEEKDAYS_DE[moment.weekday()]}, {clock_de(moment)}"
    return f"ab {WEEKDAYS_DE[moment.weekday()]}, {moment.day}. {MONTHS_DE[moment.month - 1]}, {clock_de(moment)}"


WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _next_available_en(moment: datetime, local_now: datetime, days: int) -> str:
    clock = f"{moment.hour}:{moment.minute:02d}"
    if moment <= local_now + timedelta(minutes=1):
        return "right away"
    if days == 0:
        return f"today from {clock}"
    if days == 1:
        return f"tomorrow from {clock}"
    weekday = WEEKDAYS_EN[moment.weekday()]
    day = weekday if days < 7 else f"{weekday}, {moment.day} {MONTHS_EN[moment.month - 1]}"
    return f"from {day}, {clock}"
