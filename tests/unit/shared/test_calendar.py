"""Business calendars: public holidays per federal state, split shifts, shutdowns, 'ab Montag, 8 Uhr'."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.shared.calendar import Calendar, next_available_text, parse_calendar, parse_week

# Public holidays come from `holidays`, which only the hub environment installs (the Rasa side
# renders texts and never computes opening hours); there these tests run, here they are skipped.
pytest.importorskip("holidays")

TZ = ZoneInfo("Europe/Berlin")
WEEKDAYS = {d: "08:00-17:00" for d in ("mon", "tue", "wed", "thu", "fri")}


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def test_epiphany_is_a_holiday_in_bavaria_but_not_in_berlin():
    bavaria = parse_calendar({"hours": WEEKDAYS, "calendar": {"public_holidays": "DE-BY"}}, TZ)
    berlin = parse_calendar({"hours": WEEKDAYS, "calendar": {"public_holidays": "DE-BE"}}, TZ)
    epiphany = at(2027, 1, 6, 10, 0)  # a Wednesday
    assert bavaria.holiday(date(2027, 1, 6)) == "Heilige Drei Könige"
    assert not bavaria.is_open(epiphany)
    assert berlin.is_open(epiphany) and berlin.holiday(date(2027, 1, 6)) is None
    assert bavaria.next_opening(epiphany) == at(2027, 1, 7, 8, 0)
    # both close on a nationwide holiday
    assert (
        not berlin.is_open(at(2027, 10, 3 + 1, 10, 0))
        or berlin.holiday(date(2027, 10, 3)) is not None
    )


def test_other_countries_and_cantons():
    austria = parse_calendar({"hours": WEEKDAYS, "calendar": {"public_holidays": "AT"}}, TZ)
    zurich = parse_calendar({"hours": WEEKDAYS, "calendar": {"public_holidays": "CH-ZH"}}, TZ)
    assert austria.holiday(date(2027, 12, 8)) == "Mariä Empfängnis"
    assert (
        zurich.holiday(date(2027, 4, 26)) is None and zurich.holiday(date(2027, 12, 26)) is not None
    )


def test_split_shift_boundaries():
    cal = Calendar(
        TZ, parse_week({"mon": ["08:00-12:00", "13:00-17:00"], "tue": "08:00-12:00, 13:00-17:00"})
    )
    monday = (2026, 11, 23)
    assert not cal.is_open(at(*monday, 7, 59))
    assert cal.is_open(at(*monday, 8, 0)) and cal.is_open(at(*monday, 11, 59))
    assert not cal.is_open(at(*monday, 12, 0)) and not cal.is_open(at(*monday, 12, 59))
    assert cal.is_open(at(*monday, 13, 0)) and cal.is_open(at(*monday, 16, 59))
    assert not cal.is_open(at(*monday, 17, 0))
    assert cal.next_opening(at(*monday, 12, 0)) == at(*monday, 13, 0)
    assert cal.next_opening(at(*monday, 17, 0)) == at(2026, 11, 24, 8, 0)
    assert cal.next_opening(at(*monday, 9, 30)) == at(*monday, 9, 30)  # open: now
    assert cal.hours_text() == "Mo/Di 8–12 und 13–17 Uhr"


def test_shutdown_and_closed_days():
    cal = parse_calendar(
        {
            "hours": WEEKDAYS,
            "holidays": ["2026-12-21"],
            "calendar": {
                "shutdowns": [{"from": "2026-12-24", "to": "2027-01-01"}],
                "closed": ["2026-12-22"],
            },
        },
        TZ,
    )
    assert (
        cal.holiday(date(2026, 12, 21)) == "geschlossen"
        and cal.holiday(date(2026, 12, 28)) == "Betriebsferien"
    )
    assert cal.next_opening(at(2026, 12, 21, 9, 0)) == at(2026, 12, 23, 8, 0)
    assert cal.next_opening(at(2026, 12, 23, 18, 0)) == at(2027, 1, 4, 8, 0)


def test_team_overrides_keep_the_company_calendar():
    company = parse_calendar({"hours": WEEKDAYS, "calendar": {"public_holidays": "DE-BY"}}, TZ)
    team = company.with_overrides({"hours": {"mon": ["08:00-12:00", "13:00-16:30"]}})
    assert team.region == ("DE", "BY") and team.week[0][1][1].minute == 30 and team.week[1] == ()


def test_next_available_text():
    friday_evening = at(2026, 11, 27, 18, 0)
    assert next_available_text(at(2026, 11, 30, 8, 0), friday_evening) == "ab Montag, 8 Uhr"
    assert next_available_text(at(2026, 11, 28, 9, 30), friday_evening) == "morgen ab 9:30 Uhr"
    assert next_available_text(at(2026, 11, 27, 19, 0), friday_evening) == "heute ab 19 Uhr"
    assert (
        next_available_text(at(2027, 1, 4, 8, 0), at(2026, 12, 23, 18, 0))
        == "ab Montag, 4. Januar, 8 Uhr"
    )


def test_next_available_text_in_english():
    """For an English-writing customer (register "en") the hub says when the team is back in English."""
    friday_evening = at(2026, 11, 27, 18, 0)
    assert next_available_text(at(2026, 11, 30, 8, 0), friday_evening, "en") == "from Monday, 8:00"
    assert (
        next_available_text(at(2026, 11, 28, 9, 30), friday_evening, "en") == "tomorrow from 9:30"
    )
    assert next_available_text(at(2026, 11, 27, 19, 0), friday_evening, "en") == "today from 19:00"
    assert (
        next_available_text(at(2027, 1, 4, 8, 0), at(2026, 12, 23, 18, 0), "en")
        == "from Monday, 4 January, 8:00"
    )
    assert next_available_text(friday_evening, friday_evening, "en") == "right away"


def test_hours_text_in_english():
    week = parse_week(
        {"mon": "08:00-20:00", "tue": "08:00-20:00", "sat": ["09:00-12:00", "13:00-16:30"]}
    )
    cal = Calendar(tz=ZoneInfo("Europe/Berlin"), week=week)
    assert cal.hours_text() == "Mo/Di 8–20 Uhr, Sa 9–12 und 13–16:30 Uhr"
    assert cal.hours_text("en") == "Mon/Tue 8:00–20:00, Sat 9:00–12:00 and 13:00–16:30"
