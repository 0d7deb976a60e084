"""bot/dialogue/told_already.py: exasperation at saying it again is no question."""

import pytest

from bot.dialogue.told_already import only_exasperation, told_already


@pytest.mark.parametrize(
    "text",
    [
        "Wie oft denn noch.",
        "wie oft muss ich das denn noch sagen",
        "Das hab ich Ihnen doch schon geschrieben!",
        "Ich sag es jetzt zum x-ten Mal",
        "How many times do I have to say it",
    ],
)
def test_exasperation_is_heard(text: str) -> None:
    assert told_already(text)


@pytest.mark.parametrize("text", ["Wie oft kann ich umtauschen?", "Wie lange dauert das noch?"])
def test_real_questions_are_no_exasperation(text: str) -> None:
    assert not told_already(text)


def test_only_the_exasperated_sentence_is_dropped() -> None:
    assert only_exasperation("Wie oft denn noch?")
    assert not only_exasperation("Wie oft denn noch muss ich warten, bis das Geld kommt?")
