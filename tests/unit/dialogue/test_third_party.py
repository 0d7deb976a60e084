"""A relative writing for someone who died or cannot write (bot/dialogue/third_party.py, run 3 d04)."""

import pytest

from bot.dialogue.third_party import for_someone_else, no_access, read_no_access


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mein Vater ist letzte Woche verstorben, er hatte noch Schuhe bestellt", True),
        ("meine Oma liegt seit Tagen im Krankenhaus, ich kümmere mich um ihre Bestellung", True),
        ("My husband passed away in October", True),
        ("meine Frau hat die Jacke bestellt", False),
        ("Mein Akku ist tot", False),
    ],
)
def test_for_someone_else(text, expected):
    assert for_someone_else([text]) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ich kann seine Mails nicht öffnen, das Passwort kennt keiner", True),
        ("in ihr Kundenkonto komme ich nicht rein", True),
        ("I can't log in to her account", True),
        ("Ich komme nicht in mein Konto", False),
        ("Ihre Mail ist nicht angekommen", False),
    ],
)
def test_no_access(text, expected):
    assert no_access(text) is expected


def parse_of(text, intent="account_help"):
    return {"text": text, "intent": {"name": intent}, "intent_ranking": [{"name": intent}]}


def test_a_relative_without_access_is_handed_to_a_person():
    earlier = ["Mein Vater ist verstorben. Bitte sein Konto schließen."]
    parse = read_no_access(parse_of("in sein Konto komme ich nicht rein, machen Sie das?"), earlier)
    assert parse["intent"]["name"] == "request_human"
    assert parse["context"] == {"read_as": "account_help", "third_party": True}


def test_without_someone_else_or_without_no_access_the_reading_stays():
    own = parse_of("Ich komme nicht in mein Konto")
    assert read_no_access(own, ["Mein Vater ist verstorben."]) is own
    other = parse_of("in ihr Konto komme ich nicht rein")
    assert read_no_access(other, ["Meine Frau hat bestellt"]) is other
    stop = parse_of("in ihr Konto komme ich nicht rein", "stop")
    assert read_no_access(stop, ["Meine Mutter ist gestorben"]) is stop


def test_getting_at_his_mails_counts_as_access():
    assert no_access("An sein Konto und seine Mails komme ich nicht heran.")
