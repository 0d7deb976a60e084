"""Whether a parcel arrives by a named day (bot/dialogue/arrival_by.py, held-out run 8, e15)."""

from datetime import date

import pytest

from bot.dialogue.arrival_by import arrives_in_time, last_day

WEDNESDAY = date(2026, 12, 9)


@pytest.mark.parametrize(
    "text, day",
    [
        ("Kommt die Jacke noch VOR DEM WOCHENENDE an?", date(2026, 12, 11)),  # Friday
        ("ist das paket bis samstag da?", date(2026, 12, 12)),
        ("schafft ihr das vor Samstag zu liefern?", date(2026, 12, 11)),
        ("Will it arrive by the weekend?", date(2026, 12, 12)),
        ("kommt es bis morgen an?", date(2026, 12, 10)),
        ("Wird es am Montag zugestellt?", date(2026, 12, 14)),
    ],
)
def test_the_last_day_the_customer_accepts(text, day):
    assert last_day(text, WEDNESDAY) == day


@pytest.mark.parametrize(
    "text",
    [
        "Was mache ich am Wochenende mit der Jacke?",  # no arrival asked
        "Wo ist mein Paket?",
        "Haben Sie am Samstag geöffnet?",
    ],
)
def test_no_day_asked_for_the_arrival(text):
    assert last_day(text, WEDNESDAY) is None


def test_the_expected_delivery_answers_it():
    text = "kommt es noch vor dem Wochenende an?"
    assert arrives_in_time(date(2026, 12, 10), text, WEDNESDAY) is True
    assert arrives_in_time(date(2026, 12, 11), text, WEDNESDAY) is True
    assert arrives_in_time(date(2026, 12, 12), text, WEDNESDAY) is False
    assert arrives_in_time(date(2026, 12, 12), "Wo ist es?", WEDNESDAY) is None


def test_on_a_saturday_the_weekend_asked_about_is_the_next_one():
    saturday = date(2026, 12, 12)
    assert last_day("kommt es vor dem Wochenende an?", saturday) == date(2026, 12, 18)
