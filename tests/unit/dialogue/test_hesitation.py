"""A request stopped half-way by a question (bot/dialogue/hesitation.py, held-out persona run 4, d06)."""

from __future__ import annotations

from bot.dialogue.hesitation import hesitant_question


def test_the_question_after_the_hesitation_is_found() -> None:
    text = (
        "Na gut, dann storniere ich eben. Oder warte – bekomme ich die Jacke dann noch vor Sonntag?"
    )
    assert hesitant_question(text) == "bekomme ich die Jacke dann noch vor Sonntag?"
    assert hesitant_question("Storniern bitte, oder wart, kriag i des dann no bis Montag?") == (
        "kriag i des dann no bis Montag?"
    )
    assert hesitant_question("Cancel it. Hold on - would it still come by Friday?") == (
        "would it still come by Friday?"
    )


def test_no_hesitation_without_a_request_before_or_a_question_after() -> None:
    assert hesitant_question("Moment, wann kommt das Paket?") is None  # nothing said before it
    assert hesitant_question("Bitte stornieren, oder warte mal.") is None  # no question
    assert hesitant_question("Ich warte schon eine Woche, wann kommt das Paket?") is None
    # still about the request itself: the cancellation path answers it
    assert hesitant_question("Stornieren bitte, oder halt, kann ich dann noch stornieren?") is None
