"""A bare "bin so weit!" inside a form is the cue for the value, not anger (bot/dialogue/ready.py)."""

import pytest

from bot.dialogue.ready import only_ready, read_ready


def parse(text, intent, confidence=0.8):
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": [],
    }


@pytest.mark.parametrize(
    "text",
    [
        "Jetzt bin ich so weit!!!",
        "so, bin bereit",
        "I bin parat!",
        "okay, los geht's",
        "Moment … ok, hab sie jetzt gefunden",
        "alright, here it comes",
        "I'm ready now!!",
        "ok got it",
        "Sekunde … ok, hab sie jetzt gefunden!!",
        "one sec... ok here it comes",
    ],
)
def test_a_bare_cue_is_only_ready(text):
    assert only_ready(text)


@pytest.mark.parametrize(
    "text",
    [
        "Bin so weit: Lindenallee 9, 50968 Köln",  # the value beside the cue
        "ready - anna@example.org",
        "Bin so weit, aber wie lange dauert das?",  # a question
        "Ich bin nicht bereit, das hinzunehmen",
        "ich bin fertig mit den Nerven",
        "ok",  # no cue at all: the form's own check (bot/dialogue/form_answer.py)
        "/affirm",
        "",
    ],
)
def test_anything_more_than_the_cue_is_not_only_ready(text):
    assert not only_ready(text)


def test_inside_a_form_the_cue_is_read_as_the_answer():
    out = read_ready(parse("So, bin so weit!!", "frustration"), "address_form", "new_address")
    assert out["intent"]["name"] == "inform"
    assert out["context"] == {"read_as": "frustration", "ready": True}
    out = read_ready(parse("okay, here we go", "stop"), "verify_form", "order_id")
    assert out["intent"]["name"] == "inform"


def test_outside_a_form_or_for_a_person_nothing_changes():
    original = parse("So, bin so weit!!", "frustration")
    assert read_ready(original, None, None) is original
    assert read_ready(original, "verify_form", None) is original
    human = parse("bin bereit", "request_human")
    assert read_ready(human, "verify_form", "email") is human
