"""The phishing safety text needs a real phishing cue (bot/dialogue/phishing.py, persona run problem 4)."""

import pytest

from bot.dialogue.phishing import SUSPICIOUS, has_cue, read_phishing


@pytest.mark.parametrize(
    "text",
    [
        "Da kam eine SMS mit einem Link, ich soll meine Lieferung bezahlen. Sind Sie das?",
        "Ist die Mail mit dem Gutschein echt oder ist das Betrug?",
        "Jemand will per Telefon meine TAN wissen",
        "mir ist eine verdächtige nachricht gekommen",
        "ich hab auf den link geklickt, was jetzt",
        "Soll ich mein Passwort ändern?",
        "Is this e-mail really from you? It wants my password",
    ],
)
def test_a_phishing_question_has_a_cue(text):
    assert has_cue(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ja, passt so. Und das Geld landet dann auf der Karte meines Mannes, richtig?",
        "brauche ich dafür ein Konto oder muss ich mich anmelden?",
        "Kann ich den Link zum Rücksendeportal auch am Handy öffnen?",
        "Wo finde ich den Link zur Sendungsverfolgung?",
    ],
)
def test_a_question_without_a_cue_is_no_phishing_question(text):
    assert not has_cue(text)


def parse(text: str) -> dict:
    return {
        "text": text,
        "intent": {"name": SUSPICIOUS, "confidence": 0.6},
        "intent_ranking": [
            {"name": SUSPICIOUS, "confidence": 0.6},
            {"name": "faq", "confidence": 0.3},
        ],
    }


def test_without_a_cue_the_next_reading_is_taken():
    read = read_phishing(parse("muss ich mich vorher irgendwo anmelden?"), advised=False)
    assert read["intent"]["name"] == "faq"
    assert [r["name"] for r in read["intent_ranking"]] == ["faq"]
    assert read["context"]["read_as"] == SUSPICIOUS


def test_a_cue_or_the_advice_just_given_keeps_the_reading():
    cued = parse("Die SMS will meine Kontodaten, ist das Betrug?")
    assert read_phishing(cued, advised=False) is cued
    follow_up = parse("reicht es, wenn ich das Fenster einfach zumache?")
    assert read_phishing(follow_up, advised=True) is follow_up
    other = {**parse("wo ist mein Paket"), "intent": {"name": "order_status", "confidence": 0.9}}
    assert read_phishing(other, advised=False) is other
