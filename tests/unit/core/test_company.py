from datetime import datetime, timezone

from kundendialog.core.calendar import next_available_text
from kundendialog.core.company import load_company


def test_faq_texts_have_both_registers():
    company = load_company()
    for key in company.raw["faq"]:
        sie = company.text("faq", key, "sie")
        du = company.text("faq", key, "du")
        assert sie and du and sie != du
        assert "{" not in sie and "{" not in du, key


def test_business_hours_and_holidays():
    company = load_company()
    tz = company.tz
    assert company.is_open(datetime(2026, 11, 23, 10, 0, tzinfo=tz))  # Monday
    assert not company.is_open(datetime(2026, 11, 22, 10, 0, tzinfo=tz))  # Sunday
    assert not company.is_open(datetime(2026, 12, 24, 10, 0, tzinfo=tz))  # holiday
    assert not company.is_open(datetime(2026, 11, 23, 21, 0, tzinfo=tz))


def test_next_opening_after_hours_is_next_morning():
    company = load_company()
    now = datetime(2026, 11, 23, 21, 0, tzinfo=company.tz)
    opening = company.next_opening(now)
    assert opening == datetime(2026, 11, 24, 8, 0, tzinfo=company.tz)
    assert next_available_text(opening, now) == "morgen ab 8 Uhr"


def test_next_opening_skips_sunday_and_holidays():
    company = load_company()
    saturday_evening = datetime(2026, 12, 26, 18, 0, tzinfo=company.tz)  # holiday, then Sunday
    assert company.next_opening(saturday_evening) == datetime(2026, 12, 28, 8, 0, tzinfo=company.tz)
    assert company.next_opening(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)) is not None


def test_human_only_topics():
    company = load_company()
    assert company.human_only_topic("Ich schalte meinen Anwalt ein") == "legal"
    assert company.human_only_topic("Ich mache eine Rückbuchung") == "payment_dispute"
    assert company.human_only_topic("Wo ist mein Paket") is None
