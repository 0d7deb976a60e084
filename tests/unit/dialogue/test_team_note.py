"""A wish for the team while the matter lies with it is read as a note for the open request."""

import pytest

from bot.dialogue.team_note import (
    CALL,
    NOTE,
    NOTE_INTENT,
    other_question,
    passes_on,
    read_team_note,
    task_before_wish,
    wish_after_yes,
    wish_for_team,
)


@pytest.mark.parametrize(
    "text",
    [
        "Could you let the team know I would rather have a new one than my money back?",
        "Sagen Sie Ihren Kollegen bitte, dass ich lieber einen Ersatz will.",
        "Notieren Sie bitte, dass ich ab 18 Uhr nicht kann.",
        "Richten Sie bitte aus, dass die Sache eilt.",
        "I want a new jacket, please note it.",
        "Bestätigen Sie mir bitte schriftlich, dass alles gelöscht ist.",
        "please confirm that in writing",
        "Wann etwa? Nach 16 Uhr bin ich nicht mehr erreichbar.",
        "I am only available until 4 pm",
    ],
)
def test_a_message_for_the_team_is_a_note(text):
    assert wish_for_team(text) == NOTE


@pytest.mark.parametrize(
    "text",
    [
        "please make sure somebody rings me today",
        "ruf mich bitte zurück",
        "Bitte nur bis 16 Uhr anrufen",
        "Ich hätte gern einen Rückruf.",
        "fine. just make sure one of your people phones me about it",
    ],
)
def test_a_call_back_asked_for_is_a_call(text):
    assert wish_for_team(text) == CALL


@pytest.mark.parametrize(
    "text",
    [
        "Can you send me the invoice?",
        "How long until someone calls me?",
        "Wann ruft mich jemand an?",
        "Wie lange dauert eine Rücksendung?",
        "Geben Sie mich an einen Mitarbeiter weiter",
        "Ich warte einfach auf den Anruf. Auf Wiederhören.",
        "Kann ich per Post zurückschicken?",
        "Ist der Laden bis 20 Uhr erreichbar?",
        "Danke, tschüss",
        "Why did you call me yesterday?",
    ],
)
def test_questions_and_other_messages_are_no_note(text):
    assert wish_for_team(text) is None


def parse(text: str, intent: str) -> dict:
    return {"text": text, "intent": {"name": intent, "confidence": 0.8}, "intent_ranking": []}


def test_with_a_request_open_the_topic_reading_gives_way_to_the_note():
    read = read_team_note(parse("tell the team I want a replacement", "faq"), "6", None)
    assert read["intent"]["name"] == NOTE_INTENT
    assert read["context"] == {"team_note": True, "read_as": "faq"}


def test_a_thank_you_with_a_call_wish_is_a_note():
    read = read_team_note(parse("fine, just have someone call me. thanks", "thank"), 4, None)
    assert read["intent"]["name"] == NOTE_INTENT


@pytest.mark.parametrize(
    ("ticket", "loop"),
    [(None, None), ("6", "verify_form")],
)
def test_without_a_request_or_inside_a_form_the_reading_stays(ticket, loop):
    original = parse("tell the team I want a replacement", "faq")
    assert read_team_note(original, ticket, loop) is original


def test_a_goodbye_passing_something_on_stays_a_goodbye():
    original = parse("bitte so weitergeben, tschüss", "goodbye")
    assert read_team_note(original, "6", None) is original


def test_a_question_beside_the_wish_keeps_its_reading():
    """Held-out run 6 (d15 t3): the privacy-policy question beside "bestätigen Sie mir die Löschung
    schriftlich" is answered as read (the action notes the wish first), not dropped for the note."""
    text = "Wo steht Ihre Datenschutzerklärung? Und die Löschung bitte schriftlich bestätigen."
    assert other_question(text)
    original = parse(text, "faq")
    assert read_team_note(original, "7", None) is original
    thanks = read_team_note(parse(text, "thank"), "7", None)  # its action would note nothing
    assert thanks["intent"]["name"] == NOTE_INTENT
    assert not other_question("Wann ungefähr? Vor 9 Uhr bin ich nicht erreichbar.")


def test_a_pressing_word_beside_the_when_is_no_other_question():
    """ "Wie lange dauert das noch? Ernsthaft?" asks only the time; "Und mit PayPal?" asks more."""
    assert not other_question("Wie lange dauert das noch? Ernsthaft?")
    assert not other_question("Wann meldet sich endlich jemand?? Hallo??")
    assert other_question("Wie lange dauert das noch? Und mit PayPal?")
    assert other_question("How long until someone replies? And will I get a new jacket?")


@pytest.mark.parametrize(
    "text",
    [
        "Bitte stornieren Sie meine Bestellung 100236 und sagen Sie dem Team, dass es sich erledigt hat.",
        "Please cancel order 100236 and let the team know I found the tent elsewhere.",
    ],
)
def test_a_cancellation_asked_before_the_wish_stays_the_cancellation(text):
    """The task starts (with its confirmation) and carries the wish for its form to note."""
    assert task_before_wish(text, "cancel_order")
    read = read_team_note(parse(text, "cancel_order"), "6", None)
    assert read["intent"]["name"] == "cancel_order" and read["context"] == {"team_note": True}


@pytest.mark.parametrize(
    "text",
    [
        "Sagen Sie dem Team, dass ich nicht stornieren möchte.",
        "Bitte nicht stornieren, sagen Sie dem Team, ich warte lieber.",
        "Tell the team I do not want to cancel anything.",
    ],
)
def test_a_cancellation_only_inside_the_wish_or_refused_stays_a_note(text):
    assert not task_before_wish(text, "cancel_order")
    assert read_team_note(parse(text, "cancel_order"), "6", None)["intent"]["name"] == NOTE_INTENT


@pytest.mark.parametrize(
    "text",
    [
        "Können Sie der Buchhaltung schon mal Bescheid geben, dass ich warte?",
        "Bitte sagen Sie doch der Buchhaltung Bescheid, dass ich auf das Geld warte.",
        "Informieren Sie bitte die Buchhaltung darüber.",
    ],
)
def test_telling_a_team_is_a_wish_for_it(text):
    assert wish_for_team(text) == NOTE


def test_bescheid_for_the_customer_is_no_wish_for_the_team():
    assert wish_for_team("Geben Sie mir Bescheid, wenn das Geld da ist.") is None


def _slot(name, value):
    return {"event": "slot", "name": name, "value": value}


def test_a_wish_with_a_matter_on_the_table_and_no_request_is_passed_on():
    text = "Sagen Sie der Buchhaltung Bescheid, dass ich warte."
    on_table = [_slot("verified_order", "100243")]
    assert passes_on(on_table, text, "payment_issue")
    assert not passes_on([], text, "payment_issue")  # nothing on the table
    assert not passes_on(on_table + [_slot("handoff_ticket", "4")], text, "faq")  # a note then
    in_form = on_table + [{"event": "active_loop", "name": "return_form"}]
    assert not passes_on(in_form, text, "faq")
    assert not passes_on(on_table, "Sagen Sie dem Team Bescheid, tschüss", "goodbye")
    # "Ja, bitte so weitergeben" answers "Soll ich die Reklamation so an unser Team geben?"
    assert not passes_on(on_table, "Ja, bitte so weitergeben.", "affirm")
    assert not passes_on(on_table, "Bitte so weitergeben.", "inform")  # names no team


def test_a_yes_to_a_change_with_a_wish_after_it_stays_a_yes():
    """held-out run 8, e05: the yes is done, then the wish noted (actions/answers.py)."""
    from bot.dialogue import pending

    text = "Ja, legen Sie sie an. Und sagen Sie dem Team bitte, dass es eilig ist."
    read = read_team_note(parse(text, "affirm"), "6", None, pending.CONFIRM_CASE)
    assert read["intent"]["name"] == "affirm" and read["context"]["team_note"] is True
    assert read_team_note(parse(text, "affirm"), "6", None)["intent"]["name"] == NOTE_INTENT


def test_a_yes_typed_like_a_button_keeps_the_wish_for_the_team():
    from bot.dialogue import pending

    text = "Ja, genau so anlegen. Und sagen Sie Ihrem Team bitte, dass ich erst Montag abgebe."
    read = wish_after_yes(parse(text, "affirm"), "4", pending.CONFIRM_CASE)
    assert read["context"] == {"team_note": True} and read["intent"]["name"] == "affirm"
    assert wish_after_yes(parse(text, "affirm"), None, pending.CONFIRM_CASE).get("context") is None
    assert wish_after_yes(parse("Ja, anlegen.", "affirm"), "4", pending.CONFIRM_CASE) == parse(
        "Ja, anlegen.", "affirm"
    )
