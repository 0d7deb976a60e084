"""`asks_passed_on`: whether a request was passed on, asked (held-out run 8, e25)."""

import pytest

from bot.dialogue.passed_on import asks_passed_on


@pytest.mark.parametrize(
    "text",
    [
        "Did that go through to your accounting department?",
        "Did you send it to accounting? And will it get a new number?",
        "Has my request been passed on?",
        "Is that request with your accounting team or not?",
        "Haben Sie das jetzt an die Buchhaltung weitergegeben?",
        "wurde mein Anliegen schon weitergeleitet?",
        "Liegt das schon bei der Buchhaltung?",
    ],
)
def test_a_question_whether_it_was_passed_on(text):
    assert asks_passed_on(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please pass it on to accounting.",
        "Bitte geben Sie das an die Buchhaltung weiter.",
        "Can you send me the invoice again?",
        "Wo ist meine Bestellung 100234?",
        "I have sent the parcel back.",
    ],
)
def test_a_wish_or_another_question_is_not(text):
    assert not asks_passed_on(text)
