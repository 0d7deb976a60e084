from bot.dialogue.escalation import decide, declines_on_topic
from bot.dialogue.pending import (
    ANYTHING_ELSE,
    CONFIRM_ADDRESS,
    CONFIRM_CANCEL,
    HUMAN_OFFER,
    current_task,
    last_question,
    pending,
)
from bot.shared.company import load_company
from tests.trackers import user_event

COMPANY = load_company()


def bot(response: str | None, text: str = "…"):
    return {
        "event": "bot",
        "text": text,
        "metadata": {"utter_action": response} if response else {},
    }


def test_the_last_question_before_the_latest_message_is_pending():
    events = [user_event("danke", "thank"), bot("utter_thank"), user_event("nein danke", "deny")]
    assert last_question(events) == "utter_thank" and pending(events) == ANYTHING_ELSE


def test_plain_texts_in_the_same_turn_are_skipped():
    events = [
        user_event("?", "bot_challenge"),
        bot("utter_bot_challenge"),
        bot(None, "{json}"),
        user_event("ja", "affirm"),
    ]
    assert pending(events) == HUMAN_OFFER


def test_an_older_question_is_no_longer_pending():
    events = [
        bot("utter_confirm_cancel"),
        user_event("hm", "nlu_fallback"),
        bot("utter_fallback"),
        user_event("ja", "affirm"),
    ]
    assert pending(events) is None
    assert pending([bot("utter_confirm_cancel"), user_event("ja", "affirm")]) == CONFIRM_CANCEL


def test_no_thanks_to_anything_else_never_counts_as_declining():
    events = [
        user_event("versandkosten?", "faq"),
        bot("utter_faq/shipping_costs"),
        user_event("danke", "thank"),
        bot("utter_thank"),
        user_event("nein danke", "deny"),
        bot("utter_goodbye_ask_rating"),
        user_event("nein, sonst nichts", "deny"),
    ]
    assert declines_on_topic(events) == 0
    assert decide(events, COMPANY) is None


def test_no_to_answers_still_counts():
    events = [
        user_event("versandkosten?", "faq"),
        bot("utter_faq/shipping_costs"),
        user_event("nein", "deny"),
        bot("utter_deny_ack"),
        user_event("stimmt nicht", "correct"),
    ]
    assert declines_on_topic(events) == 2
    assert decide(events, COMPANY).reason == "declined_answers"


def test_the_task_survives_an_faq_question_inside_the_form():
    events = [
        user_event("bestellung stornieren", "cancel_order"),
        {"event": "active_loop", "name": "verify_form"},
        user_event("was kostet der versand?", "faq"),
        user_event("100236", "inform"),
        user_event("wo ist die bestellung 100236", "order_status"),
        {"event": "active_loop", "name": None},
    ]
    assert current_task(events) == "cancel_order"


def test_a_task_set_by_an_action_wins_and_before_any_form_the_latest_request():
    events = [
        user_event("paket?", "order_status"),
        {"event": "active_loop", "name": "verify_form"},
        {"event": "active_loop", "name": None},
        {"event": "slot", "name": "task", "value": "return_item"},
    ]
    assert current_task(events) == "return_item"
    assert current_task([user_event("rechnung", "invoice_request")]) == "invoice_request"
    assert current_task([user_event("hallo", "greet")]) is None


def test_an_utter_action_counts_when_its_message_is_missing():
    events = [
        user_event("danke", "thank"),
        {"event": "action", "name": "utter_thank"},
        {"event": "action", "name": "action_listen"},
        user_event("nein", "deny"),
    ]
    assert pending(events) == ANYTHING_ELSE


def test_a_replayed_thank_action_counts_as_its_anything_else_question():
    """`rasa test` records action_thank without its message; "nein danke" after it is no decline."""
    events = [
        user_event("versandkosten?", "faq"),
        {"event": "action", "name": "action_faq"},
        user_event("danke", "thank"),
        {"event": "action", "name": "action_thank"},
        user_event("nein danke", "deny"),
    ]
    assert pending(events) == ANYTHING_ELSE
    assert pending(events[:2] + [user_event("nein", "deny")]) is None


def test_a_confirmation_stays_pending_behind_a_side_answer_that_asked_nothing():
    """Held-out persona run 2, problem 3: "ja, bitte ändern" after the FAQ text still confirms."""
    side = [
        bot("utter_confirm_address"),
        user_event("und was kostet das?", "faq"),
        bot(None, "Der Standardversand kostet 4,95 €."),
        user_event("ok. ja, bitte ändern", "affirm"),
    ]
    assert pending(side) == CONFIRM_ADDRESS
    # not behind a turn that asked something else, ran a form, or after two side turns
    asked = side[:2] + [bot("utter_ask_new_address"), side[3]]
    assert pending(asked) is None
    form = side[:2] + [{"event": "active_loop", "name": "verify_form"}, side[2], side[3]]
    assert pending(form) is None
    twice = side[:3] + [user_event("und wie lange?", "faq"), bot(None, "2–3 Tage"), side[3]]
    assert pending(twice) is None


def test_an_answer_whose_only_button_is_a_person_offers_one():
    human = {"title": "Zum Kundenservice", "payload": "/request_human"}
    answer = {"event": "bot", "text": "… oder ich gebe es weiter.", "data": {"buttons": [human]}}
    assert pending([answer, user_event("ja, bitte", "affirm")]) == HUMAN_OFFER
    menu = {
        **answer,
        "data": {"buttons": [{"title": "Rücksendung", "payload": "/return_item"}, human]},
    }
    assert pending([menu, user_event("ja, bitte", "affirm")]) is None
