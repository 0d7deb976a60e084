"""Customer-visible notices come from company.yml, in Sie and du, with every placeholder filled."""

import re

import pytest

from bot.shared.company import load_company

COMPANY = load_company()
NOTICES = COMPANY.raw["notices"]
VALUES = {
    "position": 2,
    "minutes": 4,
    "until": "14:35",
    "when": "Morgen ab 8 Uhr",
    "ticket": 17,
    "contact": "0171 1234567",
    "agent": "Eva",
    "things": "Bilder",
    "verb": "ansehen",
    "order_id": "100234",
    "topic": "Lieferstatus",
    "team": "Buchhaltung",
    "thing": "das Foto",
    "limit": "10 MB",
    "name": "retoure.pdf",
    "days": 30,
    "date": "3. November",
    "reference": "TK-123456",
    "new_address": "Gartenweg 3, 01067 Dresden",
    "question": "Geht das auch per Nachnahme?",
    "amount": "258,90 €",
    "refund_way": "kommt meist nach 3–5 Werktagen an.",
    "payment": "Die Erstattung über 89,90 € ist veranlasst.",
    "label": "Rücksendung",
    "state": "ist abgeschlossen.",
    "items": "Stirnlampe Lux 300",
    "covered": "Rucksack Gipfelstürmer 35 l",
    "carrier": "DHL",
    "product": "Regenhose",
    "page": "Schlafsack waschen – https://www.waldmann-outdoor.de/hilfe/schlafsack-pflege",
    "aspect": "dem Gewicht",
    "weekday": "Freitag",
}
DU_WORDS = re.compile(r"\b(du|dich|dir|dein\w*)\b", re.IGNORECASE)
SIE_WORDS = re.compile(r"\b(Sie|Ihnen|Ihr\w*)\b")


@pytest.mark.parametrize("key", sorted(NOTICES))
def test_every_notice_renders_in_both_registers(key):
    sie = COMPANY.notice(key, "sie", **VALUES)
    du = COMPANY.notice(key, "du", **VALUES)
    assert "{" not in sie and "{" not in du, (sie, du)
    assert not DU_WORDS.search(sie), sie
    assert not SIE_WORDS.search(du), du


def test_values_are_inserted_once_and_not_rendered_again():
    text = COMPANY.notice("callback_confirmed", "sie", contact="{contact.email}", ticket=3)
    assert "{contact.email}" in text and "Ihre Vorgangsnummer ist 3" in text


def test_a_missing_notice_is_an_error_not_a_silent_blank():
    with pytest.raises(KeyError):
        COMPANY.notice("no_such_notice", "sie")


def test_every_content_kind_has_its_words():
    for kind, words in COMPANY.raw["content_kinds"].items():
        assert set(words) == {"label", "things", "verb"}, kind
