"""bot/dialogue/course_change.py: an okay that goes on with a question is the question, never a
goodbye; a message that only leaves is a goodbye whatever request its words name (held-out run 7,
d13 and d17; the sentences are new)."""

import pytest

from bot.dialogue.course_change import (
    asked_question,
    only_leaves,
    read_course_change,
    read_return_revision,
    revises_return,
)


def parse(text, *ranking):
    names = [{"name": n, "confidence": c} for n, c in ranking]
    return {"text": text, "intent": names[0], "intent_ranking": names}


@pytest.mark.parametrize(
    "text",
    [
        "na gut. und wie wasch ich den schlafsack nach der tour? der müffelt bestimmt",
        "Alles klar, danke. Und wie lange dauert der Versand nach Österreich?",
        "ok cool. wie trocknet man so ein zelt richtig?",
    ],
)
def test_a_goodbye_that_goes_on_with_a_question_is_the_question(text):
    read = read_course_change(
        parse(text, ("goodbye", 0.45), ("product_question", 0.2), ("thank", 0.1)), None
    )
    assert read["intent"]["name"] == "product_question"
    assert read["context"]["read_as"] == "goodbye"


def test_without_another_reading_the_question_goes_to_the_help_pages():
    read = read_course_change(
        parse("na gut. und wie pflege ich das zelt danach?", ("goodbye", 0.6), ("thank", 0.3)), None
    )
    assert read["intent"]["name"] == "nlu_fallback"


def test_a_plain_goodbye_stays_one():
    for text in ("na gut, dann tschüss", "Alles klar. Echt?", "Danke, schönen Abend noch!"):
        read = read_course_change(parse(text, ("goodbye", 0.8), ("product_question", 0.1)), None)
        assert read["intent"]["name"] == "goodbye"


@pytest.mark.parametrize(
    "text",
    [
        "Never mind. Thanks for setting up the return anyway, goodbye.",
        "Forget it, thanks for the help with the return, bye!",
        "Vergessen Sie es. Danke für die Rücksendung trotzdem, tschüss",
    ],
)
def test_a_message_that_only_leaves_is_a_goodbye(text):
    assert only_leaves(text)
    read = read_course_change(parse(text, ("return_item", 0.53), ("thank", 0.36)), None)
    assert read["intent"]["name"] == "goodbye"
    assert read["context"]["read_as"] == "return_item"


@pytest.mark.parametrize(
    "text",
    [
        "Bitte stornieren Sie noch die 100236, tschüss",
        "I want to return the jacket too, bye",
        "Where is my parcel? bye",
        "Schick die Rechnung an mich@example.de, ciao",
    ],
)
def test_a_goodbye_beside_a_request_keeps_the_request(text):
    assert not only_leaves(text)
    read = read_course_change(parse(text, ("return_item", 0.7), ("goodbye", 0.2)), None)
    assert read["intent"]["name"] == "return_item"


def test_answers_and_forms_keep_their_reading():
    """ "Nein danke, tschüss" to a confirmation is answered by what it keeps (actions/answers.py);
    inside a form the form's readings stay."""
    no = read_course_change(parse("Nein danke, tschüss", ("deny", 0.9)), None)
    assert no["intent"]["name"] == "deny"
    in_form = read_course_change(parse("Forget it, bye", ("return_item", 0.6)), "return_form")
    assert in_form["intent"]["name"] == "return_item"
    asked = read_course_change(parse("und wie pflege ich das?", ("goodbye", 0.5)), "return_form")
    assert asked["intent"]["name"] == "goodbye"


def test_the_question_is_the_sentence_with_a_question_mark():
    assert asked_question("na gut. und wie pfleg ich das zelt? wird eh dreckig") == (
        "und wie pfleg ich das zelt?"
    )
    assert asked_question("ok. echt?") is None


DRAFT = {"kind": "return", "order_id": "100238", "reason": "zu klein", "mode": "exchange"}


@pytest.mark.parametrize(
    "text",
    [
        "Dann lassen Sie es halt. Ich nehme doch lieber mein Geld zurück.",
        "egal, vergiss den umtausch. lieber geld zurück",
        "Never mind then. I'd rather have my money back.",
    ],
)
def test_a_choice_after_the_person_offer_revises_the_return(text):
    """Held-out run 7, d10: the summary was shown, a product question got a person offered, and the
    let-go with a new choice was read as a stop; it revises the return on the table."""
    read = read_return_revision(parse(text, ("stop", 0.67)), DRAFT, "human_offer", None)
    assert read["intent"]["name"] == "correct"


def test_no_revision_without_a_return_on_the_table_or_with_another_order():
    text = "Lassen Sie es. Doch lieber Geld zurück."
    assert not revises_return(text, None)
    assert not revises_return(text, {**DRAFT, "kind": "complaint"})
    assert not revises_return("Für 100235 lieber Geld zurück.", DRAFT)
    assert not revises_return("Bekomme ich dann mein Geld zurück?", DRAFT)  # asks, chooses nothing
    # the summary itself and forms read the choice on their own
    for question, loop in (("confirm_case", None), (None, "return_form")):
        read = read_return_revision(parse(text, ("stop", 0.7)), DRAFT, question, loop)
        assert read["intent"]["name"] == "stop"
