"""bot/dialogue/yes_then.py: a plain yes to a pending change with a person asked for after it."""

import pytest

from bot.dialogue import pending as p
from bot.dialogue.yes_then import yes_part, yes_then_person


@pytest.mark.parametrize(
    "text",
    [
        "Ja, legen Sie sie bitte an. Und reichen Sie meine Frage an einen Kollegen weiter.",
        "ja, leg das so an. und gib bitte an einen kollegen weiter, dass ich es eilig habe",
        "Ja bitte, und danach möchte ich mit einem Mitarbeiter sprechen.",
    ],
)
def test_yes_then_a_person_does_both(text: str) -> None:
    assert yes_then_person(text, p.CONFIRM_CASE)
    assert yes_then_person(text, p.CONFIRM_CANCEL)


@pytest.mark.parametrize(
    "text",
    [
        "Ja, verbinden Sie mich mit einem Mitarbeiter.",  # the person is the yes itself
        "Ja, aber zuerst will ich mit einem Menschen sprechen.",  # a yes that turns
        "Nein. Geben Sie mich an einen Kollegen weiter.",
        "Ja, bitte anlegen.",  # no person asked
    ],
)
def test_no_plain_yes_before_a_person(text: str) -> None:
    assert not yes_then_person(text, p.CONFIRM_CASE)


def test_only_confirmations_of_a_change_count() -> None:
    text = "Ja gern. Und dann bitte an einen Kollegen weitergeben."
    assert not yes_then_person(text, p.ANYTHING_ELSE)
    assert not yes_then_person(text, p.RETURN_OFFER)  # an offer starts a form
    assert not yes_then_person(text, None)


def test_yes_part_ends_at_the_sentence_or_und() -> None:
    assert yes_part("Ja, bitte anlegen. Und weiter") == "Ja, bitte anlegen"
    assert yes_part("ja passt und gib es weiter") == "ja passt"
