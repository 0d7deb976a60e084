"""actions/confirmation.py: a question asked while a confirmation waits is answered from the case or
the order, and the confirmation is asked again (held-out persona run 2, problems 3 and 4)."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswer
from actions.confirmation import answer_then_ask
from actions.faq import ActionFaq
from bot.dialogue import pending
from bot.shop import demo_db
from tests.trackers import make_tracker, user_event
from tests.unit.actions.test_cases import slots_after, submit_return, verified

BUTTONS = [{"title": "Ja, ändern", "payload": "/affirm"}, {"title": "Nein", "payload": "/deny"}]


def confirmation(response: str) -> Dict[str, Any]:
    return {
        "event": "bot",
        "text": "Soll ich …?",
        "data": {"buttons": BUTTONS},
        "metadata": {"utter_action": response},
    }


async def ask(slots: Dict[str, Any], response: str, text: str) -> CollectingDispatcher:
    """The customer asks `text` (read as a question, `faq`) at the confirmation `response`."""
    d = CollectingDispatcher()
    events = [user_event("…", "return_item"), confirmation(response), user_event(text, "faq")]
    await ActionFaq().run(d, make_tracker(slots, events), {})
    return d


def texts(d: CollectingDispatcher) -> List[str]:
    return [str(m.get("text") or "") for m in d.messages]


async def test_questions_at_a_return_summary_are_answered_then_it_is_asked_again(shop_db):
    _, slots = await submit_return(
        "100238", "Rucksack zurück, zu klein", return_reason="zu klein", return_mode="refund"
    )
    d = await ask(
        slots,
        "utter_confirm_return",
        "Moment, bekomme ich dann mein Geld wieder? Und muss ich den Rucksack selbst einschicken?",
    )
    said = texts(d)
    assert "erstatten wir den Betrag" in said[0] and "PayPal" in said[0]  # the order's refund way
    assert "Rücksendeetikett" in said[1]
    again = d.messages[-1]
    assert again["utter_action"] == "utter_confirm_return" and again["buttons"] == BUTTONS
    assert "Rücksendung" in again["text"] and "anlegen" in again["text"]
    assert pending.QUESTIONS[again["utter_action"]] == pending.CONFIRM_CASE
    assert demo_db.returns_for("100238") == []  # a question creates nothing


async def test_questions_at_a_complaint_summary_say_the_team_decides(shop_db):
    slots = verified("100238", case_draft={"kind": "complaint", "order_id": "100238"})
    d = await ask(
        slots, "utter_confirm_complaint", "krieg ich mein Geld? muss ich sie einschicken?"
    )
    said = texts(d)
    assert "Geld zurück" in said[0] and "Noch nicht" in said[1]
    assert d.messages[-1]["utter_action"] == "utter_confirm_complaint"


async def test_questions_at_an_address_change_get_the_cost_and_the_day(shop_db):
    slots = verified("100236", new_address="Hafenstraße 3, 04109 Leipzig")
    d = await ask(slots, "utter_confirm_address", "wo ist das Paket gerade?")
    assert "100236" in texts(d)[0] and "verschickt" in texts(d)[0]  # where it is, not the FAQ
    d = await ask(slots, "utter_confirm_address", "kostet das was? kommt es trotzdem diese Woche?")
    said = texts(d)
    assert "kostet nichts" in said[0]
    assert "100236" in said[1] and "Zustellung" in said[1]  # the order's planned day
    again = d.messages[-1]
    assert again["utter_action"] == "utter_confirm_address"
    assert "Hafenstraße 3, 04109 Leipzig" in again["text"]


async def test_a_yes_after_the_side_answer_still_confirms_the_change(shop_db):
    slots = verified("100236", new_address="Hafenstraße 3, 04109 Leipzig")
    events = [
        user_event("Adresse ändern", "change_address"),
        confirmation("utter_confirm_address"),
        user_event("gibt es Express?", "faq"),
        {"event": "bot", "text": "Expressversand kostet 9,95 €.", "metadata": {}},
        user_event("ok whatever. ja, bitte ändern", "affirm"),
    ]
    d = CollectingDispatcher()
    done = await ActionAnswer().run(d, make_tracker(slots, events), {})
    assert d.messages[0]["response"] == "utter_address_changed"
    assert slots_after(done, slots)["new_address"] is None
    order = demo_db.find_order("100236")
    assert order is not None and "Hafenstraße 3" in str(order.shipping_address)


async def test_a_question_right_after_the_change_is_about_that_change(shop_db):
    slots = verified("100236")
    events = [
        user_event("ja", "affirm"),
        {"event": "bot", "text": "Erledigt", "metadata": {"utter_action": "utter_address_changed"}},
        {
            "event": "bot",
            "text": "Sonst noch?",
            "metadata": {"utter_action": "utter_anything_else"},
        },
        user_event("und kostet die Änderung jetzt was?", "faq"),
    ]
    d = CollectingDispatcher()
    await ActionFaq().run(d, make_tracker(slots, events), {})
    assert texts(d) == ["Die Änderung der Lieferadresse kostet nichts."]
    assert not ActionFaq.runs_in_worker(make_tracker(slots, events))


async def test_money_at_a_cancellation_is_told_by_the_payment_state(shop_db):
    slots = verified("100236")  # a Klarna invoice, still open
    d = await ask(slots, "utter_confirm_cancel", "Muss ich die Rechnung dann trotzdem zahlen?")
    assert "Klarna-Rechnung" in texts(d)[0] and "nichts bezahlen" in texts(d)[0]
    assert d.messages[-1]["utter_action"] == "utter_confirm_cancel"
    assert "100236" in d.messages[-1]["text"]


async def test_when_to_pay_if_the_order_is_kept_is_the_invoice_terms_not_the_cancellation(shop_db):
    # held-out run 8, e09 t2: "Wenn ich das Zelt behalte, wann muss ich zahlen?" got "hinfällig"
    slots = verified("100236")
    question = "Angenommen, ich behalte alles – bis wann müsste ich die Klarna-Rechnung bezahlen?"
    d = await ask(slots, "utter_confirm_cancel", question)
    assert "30 Tage" in texts(d)[0] and "hinfällig" not in " ".join(texts(d))
    assert d.messages[-1]["utter_action"] == "utter_confirm_cancel"


async def test_a_question_nothing_on_the_table_answers_gets_the_usual_answer_then_the_question(
    shop_db,
):
    slots = verified("100236", new_address="Hafenstraße 3, 04109 Leipzig")
    d = await ask(slots, "utter_confirm_address", "Welche Zahlungsarten gibt es bei Ihnen?")
    assert len(d.messages) >= 2 and "Soll ich" not in str(d.messages[0].get("text"))
    assert all(not m.get("buttons") for m in d.messages[:-1])  # only the confirmation's buttons
    assert d.messages[-1]["utter_action"] == "utter_confirm_address"
    assert d.messages[-1]["buttons"] == BUTTONS


async def test_nothing_found_before_the_confirmation_offers_no_person_in_between(shop_db):
    slots = verified("100236", new_address="Hafenstraße 3, 04109 Leipzig")
    events = [
        user_event("…", "change_address"),
        confirmation("utter_confirm_address"),
        user_event("Gibt es bei Ihnen Gutscheine für Sportvereine?", "faq"),
    ]

    async def nothing_found(d: CollectingDispatcher, tracker: Any) -> List[Any]:
        d.utter_message(response="utter_knowledge_none")
        return []

    d = CollectingDispatcher()
    kind = pending.CONFIRM_ADDRESS
    await answer_then_ask(d, make_tracker(slots, events), kind, nothing_found)
    assert d.messages[0]["response"] is None and "nichts Sicheres" in d.messages[0]["text"]
    assert d.messages[-1]["utter_action"] == "utter_confirm_address"


async def test_a_question_at_the_offer_of_a_return_is_answered_and_the_offer_stands(shop_db):
    slots = verified("100238")
    d = await ask(slots, "utter_cancel_not_possible_delivered", "Kostet mich die Rücksendung was?")
    assert "kostet Sie nichts" in texts(d)[0]
    again = d.messages[-1]
    assert again["utter_action"] == "utter_cancel_not_possible_delivered"
    assert again["text"] == "Soll ich die Rücksendung zur Bestellung 100238 dann anlegen?"
    assert pending.QUESTIONS[again["utter_action"]] == pending.RETURN_OFFER


async def test_a_question_next_to_a_refused_cancellation_is_answered_and_not_asked_again(shop_db):
    """Held-out persona run 3, d24: "no, don't cancel. my question: …" got "Shall I cancel?" again."""
    slots = {"order_id": "100241", "verified_order": "100241", "register": "sie"}
    d = CollectingDispatcher()
    asked = user_event(
        "nein, nicht stornieren. was passiert, wenn ich nicht überweise?",
        "faq",
        declined_requests=["cancel_order"],
    )
    events = [user_event("…", "cancel_order"), confirmation("utter_confirm_cancel"), asked]
    await ActionFaq().run(d, make_tracker(slots, events), {})
    assert all(m.get("utter_action") != "utter_confirm_cancel" for m in d.messages)
    assert not any(m.get("buttons") for m in d.messages)  # no "Ja, stornieren" again
    kept = d.messages[-1]  # the order stays (said by cancellation.keep_order)
    assert kept.get("response") == "utter_cancel_kept" or "100241" in str(kept.get("text"))
    order = demo_db.find_order("100241")
    assert order is not None and order.status != "cancelled"  # nothing was cancelled


def test_keeping_the_order_is_read_from_the_words():
    from actions.confirmation import KEEPS

    for kept in ("wenn ich das Zelt behalte", "ich storniere doch nicht", "if I keep it"):
        assert KEEPS.search(kept), kept
    for cancel in (
        "Muss ich nach dem Stornieren trotzdem zahlen?",
        "do I keep paying if I cancel?",
    ):
        assert not KEEPS.search(cancel), cancel
