"""bot/dialogue/same_question.py: clauses that only go on with the question before them."""

from __future__ import annotations

from bot.dialogue.same_question import goes_on_with_the_one_before


def test_choices_offered_for_the_question_before_go_on_with_it():
    assert goes_on_with_the_one_before("Ab Zustellung oder schon ab Versand?")
    assert goes_on_with_the_one_before("ab dem versand oder erst ab der lieferung")
    assert goes_on_with_the_one_before("Mit Karte oder per Rechnung")


def test_paying_for_what_was_just_named_goes_on_with_it():
    assert goes_on_with_the_one_before("Muss ich dafür noch was bezahlen?")
    assert goes_on_with_the_one_before("muss ich da etwas zahlen")
    assert goes_on_with_the_one_before("Kostet das dann extra?")


def test_a_question_that_names_its_own_topic_is_a_question_of_its_own():
    for clause in (
        "Gibt es da Rabatt?",
        "Kann ich da mit PayPal zahlen?",
        "Muss ich Zoll zahlen?",
        "wie schnell ist Express",
        "Wann verschickt ihr?",
        "Zelt oder Schlafsack, was ist leichter?",
    ):
        assert not goes_on_with_the_one_before(clause), clause
