"""Business time on a team calendar with a fixed clock: weekends, public holidays (DE-BY),
shutdowns and a lunch break never count (issue 27.13)."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.hub.sla.clock import business_seconds, deadline
from bot.hub.sla.status import standing
from bot.shared.calendar import parse_calendar

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = {day: "08:00-17:00" for day in ("mon", "tue", "wed", "thu", "fri")}
CAL = parse_calendar({"hours": WEEKDAYS, "calendar": {"public_holidays": "DE-BY"}}, BERLIN)
SHUTDOWN = parse_calendar(
    {
        "hours": WEEKDAYS,
        "calendar": {
            "public_holidays": "DE-BY",
            "shutdowns": [{"from": "2026-12-28", "to": "2026-12-31"}],
        },
    },
    BERLIN,
)
LUNCH = parse_calendar({"hours": {"mon": ["08:00-12:00", "13:00-17:00"]}}, BERLIN)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def test_a_friday_afternoon_target_runs_out_on_monday_morning():
    start = local(2026, 11, 27, 16, 0)  # Friday
    assert deadline(CAL, start, 2 * 3600) == local(2026, 11, 30, 9, 0).astimezone(timezone.utc)
    assert business_seconds(CAL, start, local(2026, 11, 30, 9, 0)) == 2 * 3600
    assert business_seconds(CAL, local(2026, 11, 28, 10), local(2026, 11, 29, 20)) == 0  # weekend


def test_christmas_holidays_do_not_count():
    start = local(2026, 12, 24, 16, 30)  # Thursday; 25th and 26th are public holidays
    assert deadline(CAL, start, 3600) == local(2026, 12, 28, 8, 30).astimezone(timezone.utc)
    assert business_seconds(CAL, start, local(2026, 12, 28, 8, 30)) == 3600


def test_a_shutdown_and_new_year_do_not_count():
    start = local(2026, 12, 24, 16, 30)
    # 28-31 December shut, 1 January a holiday, then the weekend: Monday 4 January
    assert deadline(SHUTDOWN, start, 3600) == local(2027, 1, 4, 8, 30).astimezone(timezone.utc)


def test_the_lunch_break_does_not_count():
    start = local(2026, 11, 30, 11, 30)  # Monday
    assert business_seconds(LUNCH, start, local(2026, 11, 30, 13, 30)) == 3600
    assert deadline(LUNCH, start, 3600) == local(2026, 11, 30, 13, 30).astimezone(timezone.utc)


def test_naive_utc_from_the_database_is_read_as_utc():
    start = datetime(2026, 11, 30, 7, 0)  # 08:00 in Berlin
    assert business_seconds(CAL, start, datetime(2026, 11, 30, 8, 0)) == 3600


@pytest.mark.parametrize(
    "now, stopped, state, paused",
    [
        (local(2026, 11, 30, 8, 30), None, "running", False),  # 1.5 of 2 hours left
        (local(2026, 11, 30, 9, 40), None, "warning", False),  # 20 minutes left: <= 20 %
        (local(2026, 11, 30, 10, 1), None, "breached", False),
        (local(2026, 11, 28, 12, 0), None, "running", True),  # Saturday: the clock stands
        (local(2026, 12, 1, 12, 0), local(2026, 11, 30, 9, 59), "met", False),
        (local(2026, 12, 1, 12, 0), local(2026, 11, 30, 10, 30), "missed", False),
    ],
)
def test_standing_warns_before_and_says_when_breached(now, stopped, state, paused):
    started = local(2026, 11, 27, 16, 0)  # Friday, one business hour before the weekend
    shown = standing(CAL, 3 * 3600, 20, started, stopped, now)
    assert shown["state"] == state and shown["paused"] is paused
    assert shown["due_at"] == "2026-11-30T09:00:00Z"  # Monday 10:00 in Berlin
