"""Complaints that the bot repeats itself or did not answer (bot/dialogue/not_answered.py)."""

import pytest

from bot.dialogue.not_answered import complains_not_answered, insists, restated


@pytest.mark.parametrize(
    "text",
    [
        "Sie wiederholen sich.",
        "du wiederholst dich, ich wollte was anderes wissen",
        "Das war nicht meine Frage!",
        "Sie haben meine Frage gar nicht beantwortet",
        "You're repeating yourself.",
        "you told me the same thing again",
        "That's not what I asked.",
        "You didn't answer my question",
    ],
)
def test_complaints_that_the_bot_repeats_or_did_not_answer(text):
    assert complains_not_answered(text) and insists(text)


@pytest.mark.parametrize(
    "text",
    [
        "wie bitte?",
        "Können Sie das wiederholen?",
        "Was kostet der Versand?",
        "Danke, das hilft mir.",
    ],
)
def test_other_messages_are_no_such_complaint(text):
    assert not complains_not_answered(text)


def test_yes_or_no_insists_without_complaining():
    assert insists("Muss ich selbst bei DHL anrufen, ja oder nein?")
    assert not complains_not_answered("Muss ich selbst bei DHL anrufen, ja oder nein?")


def test_the_restated_question_is_kept_and_the_complaint_alone_dropped():
    assert restated("Sie wiederholen sich. Ich wollte wissen, ob Express geht.") == (
        "Ich wollte wissen, ob Express geht."
    )
    assert restated("Sie wiederholen sich!") == ""


@pytest.mark.parametrize(
    "text",
    ["No, I asked about sending it back.", "Ich habe doch gefragt, ob das auch per Post geht."],
)
def test_pointing_back_to_the_question_asked_is_such_a_complaint(text):
    """Held-out persona run 6 (d04): "No, I asked about RETURNING the tent" got the same block again."""
    assert complains_not_answered(text)
