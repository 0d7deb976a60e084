from datetime import datetime, timezone

import pytest

from bot.shared.calendar import next_available_text
from bot.shared.company import load_company
from tests.conftest import ROOT


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


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Ich habe eine Rücklastschrift veranlasst", "payment_dispute"),
        ("Dann beantrage ich PayPal-Käuferschutz", "payment_dispute"),
        ("ich melde das beim kaeuferschutz", "payment_dispute"),
        ("Die Rückbuchungen kamen gestern", "payment_dispute"),
        ("Das klären dann die Anwälte", "legal"),
        ("Ich werde Sie verklagen", "legal"),
        ("Wir sehen uns vor Gericht!", "legal"),
        ("Liefern Sie auch nach Klagenfurt?", None),
        ("Ich habe mein Konto eingerichtet, aber kann mich nicht anmelden", None),
        ("Ist das Gerichtete Licht der Stirnlampe hell?", None),
    ],
)
def test_human_only_topics_match_whole_words(text, topic):
    assert load_company().human_only_topic(text) == topic


def test_opening_hours_are_read_out_compactly():
    company = load_company()
    assert company.hours_text() == "Mo–Fr 8–20 Uhr, Sa 9–16 Uhr"
    assert "Mo–Fr 8–20 Uhr, Sa 9–16 Uhr" in company.text("faq", "opening_hours", "sie")


def test_calendar_groups_days_with_the_same_hours():
    from bot.shared.calendar import Calendar, parse_week

    week = parse_week(
        {
            "mon": "08:30-17:00",
            "tue": "08:30-17:00",
            "thu": "09:00-12:00",
            "fri": "09:00-12:00",
            "sat": "09:00-12:00",
        }
    )
    assert Calendar(load_company().tz, week).hours_text() == "Mo/Di 8:30–17 Uhr, Do–Sa 9–12 Uhr"


def test_fact_texts_read_well():
    company = load_company()
    for reg in ("sie", "du"):
        assert "in 2–3 Werktagen " in company.text("faq", "delivery_time", reg)
        assert "Klarna-Rechnung" in company.text("faq", "payment_methods", reg)
        assert company.text("faq", "return_policy", reg).count("kostenlos") == 1


def test_customers_see_one_term_for_reference_numbers():
    raw = (ROOT / "company.yml").read_text(encoding="utf-8") + (ROOT / "domain.yml").read_text(
        encoding="utf-8"
    )
    for other in ("Anfrage Nr.", "Ticket {", "(Nummer {", "hat die Nummer", "{label_ref}"):
        assert other not in raw, other
    assert (
        load_company()
        .notice("ticket", "sie", when="Morgen", ticket="TK-123456")
        .count("Vorgangsnummer TK-123456")
        == 1
    )


def test_variations_and_the_english_variant():
    from bot.shared.company import company

    c = company()
    # `emotions` texts are lists of variations: every reply is one of them, in the right register
    sie = {c.text("emotions", "joy", "sie") for _ in range(40)}
    assert len(sie) > 1 and all("Ihr" in t or "Sie" in t or "Ihre" in t for t in sie)
    assert all(
        "dein" in t or "du " in t for t in {c.text("emotions", "joy", "du") for _ in range(20)}
    )
    # English for the core answers; texts without an English variant fall back to Sie
    assert "Standard shipping" in (c.text("faq", "shipping_costs", "en") or "")
    assert c.text("notices", "chat_ended", "en") == c.text("notices", "chat_ended", "sie")
