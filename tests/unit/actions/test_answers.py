from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import shop
from actions.answers import ActionAnswer, ActionCorrectSlot, ActionThank, slot_to_correct
from actions.cancellation import asks_whether, is_partial
from actions.orders import ActionHandleVerified
from bot.shop import demo_db
from tests.trackers import make_tracker, user_event


def bot(response):
    return {"event": "bot", "text": "…", "metadata": {"utter_action": response}}


async def answer(question, text, intent, slots=None, action=None, active_loop=None, before=()):
    d = CollectingDispatcher()
    events = list(before) + ([bot(question)] if question else []) + [user_event(text, intent)]
    result = await (action or ActionAnswer()).run(d, make_tracker(slots, events, active_loop), {})
    return [m.get("response") for m in d.messages], result


async def test_no_thanks_to_anything_else_says_goodbye_with_the_rating_question(domain):
    said, events = await answer(
        "utter_anything_else",
        "nein danke",
        "deny",
        before=[user_event("versandkosten?", "faq/shipping_costs")],
    )
    assert said == ["utter_goodbye_ask_rating"] and SlotSet("rating_asked", True) in events


async def test_a_no_that_asks_what_now_at_anything_else_gets_the_next_step_not_a_goodbye(domain):
    """Held-out persona run 4 (d08): "Das stimmt nöd. Es isch geschter cho. Was söll ich jetzt
    mache?" after "noch unterwegs … Kann ich sonst noch etwas tun?" got a goodbye and the rating."""
    before = [user_event("Kann ich die Stöcke zurückschicken?", "return_item")]
    text = "Stimmt nicht, das Paket kam am Samstag. Was soll ich denn jetzt machen?"
    said, _ = await answer("utter_anything_else", text, "correct", before=before)
    assert said == ["utter_next_step_human"]
    said, _ = await answer(
        "utter_anything_else", text, "deny", {"handoff_ticket": 6}, before=before
    )
    assert said == [None]  # the team's answer time as text, no goodbye
    said, _ = await answer("utter_anything_else", "nein, das wars, danke", "deny", before=before)
    assert said == ["utter_goodbye_ask_rating"]


async def test_yes_to_the_bot_challenge_calls_a_human_and_no_continues_without_offering_one():
    said, events = await answer("utter_bot_challenge", "ja", "affirm")
    assert said == [] and FollowupAction("action_handoff") in events
    assert SlotSet("handoff_reason", "customer_request") in events
    said, events = await answer("utter_bot_challenge", "nein", "deny")
    assert said == ["utter_continue_with_bot"] and not events


async def test_account_help_question_means_what_it_says():
    said, _ = await answer("utter_account_help", "ja", "affirm")
    assert said == ["utter_glad_it_helped"]
    _, events = await answer("utter_account_help", "nein", "deny", slots={"bot_actions": []})
    assert FollowupAction("action_handoff") in events


async def test_yes_to_the_return_offer_starts_the_return_form():
    _, events = await answer("utter_cancel_not_possible_delivered", "ja", "affirm")
    assert FollowupAction("return_form") in events and SlotSet("task", "return_item") in events


async def test_without_a_question_yes_and_no_get_the_neutral_answers():
    assert (await answer(None, "ja", "affirm"))[0] == ["utter_affirm_ack"]
    assert (await answer(None, "nein", "deny"))[0] == ["utter_deny_ack"]


async def test_the_cancellation_happens_only_on_yes(shop_db):
    slots = {"order_id": "100236", "verified_order": "100236", "bot_actions": []}
    said, _ = await answer("utter_confirm_cancel", "nein", "deny", slots)
    assert said == ["utter_cancel_kept"] and demo_db.find_order("100236").status == shop.PROCESSING
    said, events = await answer("utter_confirm_cancel", "ja", "affirm", slots)
    assert said == ["utter_cancel_done", None, "utter_anything_else"]  # None: the money line
    assert demo_db.find_order("100236").status == shop.CANCELLED
    said, _ = await answer(
        "utter_confirm_cancel", "ja", "affirm", slots
    )  # again: already cancelled
    assert said == ["utter_cancel_already"]


async def test_the_address_changes_only_on_yes(shop_db):
    slots = {
        "order_id": "100236",
        "verified_order": "100236",
        "new_address": "Neue Str. 1, 10115 Berlin",
        "bot_actions": [],
    }
    said, events = await answer("utter_confirm_address", "nein", "deny", slots)
    assert said == ["utter_address_kept"] and SlotSet("new_address", None) in events
    said, _ = await answer("utter_confirm_address", "ja", "affirm", slots)
    assert said == ["utter_address_changed", "utter_anything_else"]
    assert demo_db.find_order("100236").shipping_address == "Neue Str. 1, 10115 Berlin"


async def test_can_i_still_cancel_is_answered_and_offered_not_executed(shop_db):
    d = CollectingDispatcher()
    events = [
        user_event("kann ich noch stornieren?", "cancel_order"),
        {"event": "active_loop", "name": "verify_form"},
        user_event("100236", "inform"),
        {"event": "active_loop", "name": None},
    ]
    tracker = make_tracker(
        {"order_id": "100236", "verified_order": "100236", "bot_actions": []}, events
    )
    await ActionHandleVerified().run(d, tracker, {})
    assert [m["response"] for m in d.messages] == ["utter_cancel_possible", "utter_confirm_cancel"]
    assert demo_db.find_order("100236").status == shop.PROCESSING


async def test_partial_cancellation_goes_to_a_human_with_the_wish(shop_db):
    d = CollectingDispatcher()
    events = [user_event("nur die Trinkflasche stornieren", "cancel_order")]
    tracker = make_tracker(
        {"order_id": "100236", "verified_order": "100236", "bot_actions": []}, events
    )
    result = await ActionHandleVerified().run(d, tracker, {})
    assert [m["response"] for m in d.messages] == ["utter_cancel_partial"]
    assert (
        FollowupAction("action_handoff") in result
        and SlotSet("handoff_reason", "bot_cannot_act") in result
    )
    assert any(
        isinstance(e, dict)
        and e.get("name") == "bot_actions"
        and "Trinkflasche" in str(e.get("value"))
        for e in result
    )
    assert demo_db.find_order("100236").status == shop.PROCESSING


async def test_cancel_by_state_delivered_and_cancelled(shop_db):
    for order_id, response in (
        ("100235", "utter_cancel_not_possible_delivered"),
        ("100239", "utter_anything_else"),  # cancelled and refunded: the refund is told first
    ):
        d = CollectingDispatcher()
        tracker = make_tracker(
            {"order_id": order_id, "verified_order": order_id},
            [user_event("stornieren", "cancel_order")],
        )
        await ActionHandleVerified().run(d, tracker, {})
        assert d.messages[-1]["response"] == response


def test_partial_and_question_detection(shop_db):
    order = demo_db.find_order("100236")
    assert is_partial("nur die handschuhe stornieren", order) and is_partial(
        "einen Artikel stornieren", order
    )
    assert is_partial("die Trinkflasche stornieren bitte", order)
    assert not is_partial("bitte die ganze Bestellung stornieren", order)
    assert not is_partial("ich wollte nur fragen ob ich stornieren kann", order)
    assert asks_whether("kann ich noch stornieren?") and asks_whether(
        "ist eine Stornierung möglich"
    )
    assert not asks_whether("bitte stornieren")


async def test_a_correction_inside_the_form_clears_what_it_corrects():
    events = [
        user_event("stornieren", "cancel_order"),
        {"event": "active_loop", "name": "verify_form"},
        {"event": "slot", "name": "order_id", "value": "100234"},
    ]
    said, result = await answer(
        None,
        "stimmt nicht",
        "correct",
        {"order_id": "100234"},
        ActionCorrectSlot(),
        "verify_form",
        events,
    )
    assert said == ["utter_correction_ack"] and SlotSet("order_id", None) in result
    said, result = await answer(
        None, "nein", "deny", {"order_id": "100234"}, ActionCorrectSlot(), "verify_form", events
    )
    assert said == ["utter_form_continue"] and not result


def test_the_slot_a_correction_names_wins():
    events = [{"event": "slot", "name": "order_id", "value": "100234"}]
    assert slot_to_correct("die E-Mail ist falsch", "verify_form", events) == "email"
    assert slot_to_correct("das ist die falsche Nummer", "verify_form", []) == "order_id"
    assert slot_to_correct("stimmt nicht", "verify_form", events) == "order_id"
    assert slot_to_correct("stimmt nicht", "verify_form", []) is None


async def test_a_return_of_an_order_not_yet_shipped_asks_no_reason(shop_db):
    from actions.verification import ValidateReturnForm

    tracker = make_tracker({"order_id": "100236", "verified_order": "100236"}, [], "return_form")
    slots = await ValidateReturnForm().required_slots(
        ["order_id", "email", "return_reason", "return_mode"], CollectingDispatcher(), tracker, {}
    )
    assert slots == ["order_id", "email"]


async def test_wrong_number_at_the_confirmation_asks_for_the_right_one(shop_db):
    slots = {"order_id": "100236", "verified_order": "100236", "bot_actions": []}
    said, events = await answer(
        "utter_confirm_cancel", "das ist die falsche Nummer", "correct", slots
    )
    assert said == ["utter_correction_ack"] and FollowupAction("verify_form") in events
    assert (
        SlotSet("order_id", None) in events
        and demo_db.find_order("100236").status == shop.PROCESSING
    )
    said, events = await answer(
        "utter_confirm_address", "die Adresse stimmt nicht", "correct", slots
    )
    assert FollowupAction("address_form") in events and SlotSet("new_address", None) in events


async def test_thanks_to_anything_else_say_goodbye_instead_of_asking_again(domain):
    faq = [user_event("versandkosten?", "faq/shipping_costs")]
    for question in ("utter_thank", "utter_anything_else", "utter_rating_thanks"):
        said, events = await answer(
            question, "danke, das war's", "thank", action=ActionThank(), before=faq
        )
        assert said == ["utter_goodbye_ask_rating"] and SlotSet("rating_asked", True) in events, (
            question
        )
    said, events = await answer(
        "utter_thank",
        "danke",
        "thank",
        action=ActionThank(),
        before=faq,
        slots={"rating_asked": True},
    )
    assert said == ["utter_goodbye"] and not events


async def test_thanks_after_an_answer_are_returned_with_anything_else():
    said, events = await answer("utter_faq/shipping_costs", "danke", "thank", action=ActionThank())
    assert said == ["utter_thank"] and not events
    assert (await answer(None, "vielen dank", "thank", action=ActionThank()))[0] == ["utter_thank"]


async def cancelled_with_yes(order_id, email_slots=None):
    """The messages of a yes to the cancellation of `order_id` (text or response name)."""
    slots = {
        "order_id": order_id,
        "verified_order": order_id,
        "bot_actions": [],
        **(email_slots or {}),
    }
    d = CollectingDispatcher()
    events = [bot("utter_confirm_cancel"), user_event("ja", "affirm")]
    await ActionAnswer().run(d, make_tracker(slots, events), {})
    return [m.get("response") or m.get("text") for m in d.messages]


async def test_the_cancellation_says_what_it_means_for_the_money_by_the_payment_state(shop_db):
    """Held-out persona run 2 (d05, d21): 'Falls Sie schon bezahlt haben, erstatten wir …' after
    cancelling an unpaid prepayment and an open Klarna invoice; now the order's own payment state."""
    unpaid = await cancelled_with_yes("100241")  # Vorkasse, not transferred
    assert unpaid[0] == "utter_cancel_done" and "noch kein Geld eingegangen" in unpaid[1]
    assert "nichts zu erstatten" in unpaid[1] and "Falls" not in unpaid[1]
    invoice = await cancelled_with_yes("100236")  # Klarna invoice, open
    assert "Klarna-Rechnung über 338,90 € ist damit hinfällig" in invoice[1]
    with demo_db.session() as db, db.begin():  # the same order again, for an English customer
        db.get(demo_db.Order, "100236").status = shop.PROCESSING
    english = await cancelled_with_yes("100236", {"language": "en"})
    assert "Klarna invoice" in english[1] and "void" in english[1]


async def test_the_cancellation_of_a_paid_order_names_the_refund_and_its_way(shop_db):
    demo_db.find_order("100236")  # the shop seeded
    with demo_db.session() as db, db.begin():
        db.get(demo_db.Order, "100236").payment_status = "paid"
    said = await cancelled_with_yes("100236")
    assert said[1].startswith("Die Erstattung über 338,90 € läuft über Klarna")


async def test_a_yes_with_a_question_is_done_first_then_the_question_answered(shop_db):
    """Persona run, problem 4: "Ja, bitte stornieren. Muss ich die Klarna-Rechnung dann noch
    bezahlen?" cancels, then answers the money question for that order."""
    slots = {"order_id": "100236", "verified_order": "100236", "bot_actions": []}
    d = CollectingDispatcher()
    text = "Ja, bitte stornieren. Muss ich die Klarna-Rechnung dann trotzdem bezahlen?"
    events = [bot("utter_confirm_cancel"), user_event(text, "affirm")]
    await ActionAnswer().run(d, make_tracker(slots, events), {})
    assert demo_db.find_order("100236").status == shop.CANCELLED
    said = [m.get("response") or m.get("text") for m in d.messages]
    assert said[0] == "utter_cancel_done"
    assert "stornierte Bestellung 100236" in said[1] and "Klarna" in said[1]
    assert said[2] == "utter_anything_else"  # the answer comes before the closing question


async def test_a_corrected_address_is_confirmed_again_never_the_old_one(shop_db):
    slots = {
        "order_id": "100236",
        "verified_order": "100236",
        "bot_actions": [],
        "new_address": "Lindenweg 3, 50667 Köln",
    }
    for text, fixed in [
        ("Halt, nicht Lindenweg 3, sondern Lindenweg 8!", "Lindenweg 8, 50667 Köln"),
        ("Nee, ACHT, nicht drei", "Lindenweg 8, 50667 Köln"),
        ("Richtig wäre Birkenallee 2, 50667 Köln", "Birkenallee 2, 50667 Köln"),
        ("bitte noch c/o Jana Krüger davor", "c/o Jana Krüger, Lindenweg 3, 50667 Köln"),
    ]:
        said, events = await answer("utter_confirm_address", text, "correct", slots)
        assert said == ["utter_confirm_address"], text
        assert SlotSet("new_address", fixed) in events, text
    assert demo_db.find_order("100236").shipping_address != "Lindenweg 8, 50667 Köln"


async def test_a_care_of_line_asked_about_is_explained_and_confirmed_again(shop_db):
    """Held-out persona run 2, d10: "Und wo ist „bei Krüger“?" at "c/o Krüger, …"."""
    slots = {
        "order_id": "100236",
        "verified_order": "100236",
        "bot_actions": [],
        "new_address": "c/o Krüger, Lindenweg 3, 50667 Köln",
    }
    d = CollectingDispatcher()
    events = [bot("utter_confirm_address"), user_event("Und wo ist „bei Krüger“?", "correct")]
    await ActionAnswer().run(d, make_tracker(slots, events), {})
    assert d.messages[0]["text"].startswith("„c/o Krüger“ heißt „bei Krüger“")
    assert d.messages[1]["response"] == "utter_confirm_address"


async def test_a_no_that_refuses_a_cancellation_says_the_order_stays():
    """ "Also doch nicht stornieren." with an order on the table (held-out persona run 2, d16)."""
    d = CollectingDispatcher()
    event = user_event("Also doch nicht stornieren.", "deny", declined_requests=["cancel_order"])
    tracker = make_tracker({"order_id": "100237", "bot_actions": []}, [event])
    await ActionAnswer().run(d, tracker, {})
    assert [m.get("response") for m in d.messages] == ["utter_cancel_kept"]
    assert d.messages[0]["order_id"] == "100237"
    d = CollectingDispatcher()  # no order yet: the plain acknowledgement
    await ActionAnswer().run(d, make_tracker({}, [event]), {})
    assert [m.get("response") for m in d.messages] == ["utter_deny_ack"]


async def test_no_to_cancelling_an_unpaid_prepayment_order_promises_no_delivery(shop_db):
    """Held-out persona run 3, d24: an unpaid prepayment order does not "come as planned"."""
    slots = {"order_id": "100241", "verified_order": "100241", "bot_actions": []}
    d = CollectingDispatcher()
    events = [bot("utter_confirm_cancel"), user_event("nein", "deny")]
    await ActionAnswer().run(d, make_tracker(slots, events), {})
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "bleibt bestehen" in said and "Überweisung" in said and "wie geplant" not in said
    assert demo_db.find_order("100241").status == shop.PROCESSING


async def test_a_tracking_number_the_carrier_does_not_know_is_no_correction(domain):
    """Held-out persona run 2 (d14): read as `correct` after the status it got "was brauchst du
    stattdessen?" and the menu; now the honest line with a person offered."""
    text = "beim paketdienst heißt es bei der nummer nur 'nicht gefunden', stimmt die nummer nicht?"
    slots = {"verified_order": "100234", "order_id": "100234", "register": "du"}
    d = CollectingDispatcher()
    await ActionAnswer().run(d, make_tracker(slots, [user_event(text, "correct")]), domain)
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "nichts Sicheres" in said and "dir" in said
    assert any(b["payload"] == "/request_human" for m in d.messages for b in m.get("buttons") or [])
    d = CollectingDispatcher()  # a plain correction without an order on the table stays one
    await ActionAnswer().run(d, make_tracker({}, [user_event(text, "correct")]), domain)
    assert "nichts Sicheres" not in " ".join(m.get("text") or "" for m in d.messages)


async def test_a_goodbye_inside_a_no_to_an_offer_says_goodbye():
    """ "No thanks, bye." to the team offer got "Understood. Tell me what you need instead" (issue 22)."""
    for question in ("utter_bot_challenge", None):
        for text in ("No thanks, bye.", "nein danke, tschüss"):
            said, _ = await answer(question, text, "deny")
            assert said and said[0].startswith("utter_goodbye"), (question, text, said)
    said, _ = await answer("utter_bot_challenge", "nein danke", "deny")
    assert said == ["utter_continue_with_bot"]
    said, _ = await answer("utter_bot_challenge", "nein, wer ist bis bald da?", "deny")
    assert said == ["utter_continue_with_bot"]  # a question is no goodbye


async def test_giving_up_at_did_the_help_page_help_is_a_sorry_goodbye():
    """Held-out persona run 6 (d17): "Vergessen Sie es. … schönen Tag noch" at "Hat Ihnen das
    geholfen?" got "Das tut mir leid. Vielleicht passt das hier besser" with another quote."""
    d = CollectingDispatcher()
    events = [
        bot("utter_knowledge_answer"),
        user_event("Ach, vergessen Sie es. Trotzdem danke und einen schönen Tag noch.", "stop"),
    ]
    await ActionAnswer().run(d, make_tracker({}, events), {})
    assert d.messages[0]["text"].startswith("Schade, dass ich Ihnen")
    assert [m.get("response") for m in d.messages[1:]] == ["utter_goodbye"]


async def test_thanks_with_a_question_gets_the_question_answered():
    """Held-out persona run 6 (d01): "Danke. Soll ich den Beleg schicken oder abwarten?" read as thanks
    got only "Sehr gern!"; a plain thank-you keeps its reply."""
    text = "Danke. Soll ich Ihnen den Zahlungsbeleg schicken oder abwarten?"
    said, result = await answer(None, text, "thank", action=ActionThank())
    assert said == [] and result == [FollowupAction("action_answer_from_knowledge")]
    said, _ = await answer(None, "Danke schön!", "thank", action=ActionThank())
    assert said == ["utter_thank"]


async def test_a_no_to_a_person_offered_as_help_is_never_continue_together():
    """Held-out runs 5/6 (d08): "Nein, danke" to "nichts gefunden - soll ich Sie verbinden?" got
    "Gern, dann machen wir zusammen weiter", which sounds like a yes. Only a no to "rather talk to a
    human?" chooses the bot; a no to help offered is asked whether there is anything else."""
    for question in ("utter_knowledge_none", "utter_knowledge_offer_human", "utter_order_delayed"):
        for text in ("Nein, danke", "nein danke, passt so", "no thanks"):
            said, events = await answer(question, text, "deny")
            assert said == ["utter_anything_else"] and not events, (question, text)
    said, _ = await answer("utter_bot_challenge", "Nein, mit Wanda", "deny")
    assert said == ["utter_continue_with_bot"]
    # the next "nein" to "Kann ich sonst noch etwas tun?" says goodbye
    before = [bot("utter_knowledge_none"), user_event("Nein, danke", "deny")]
    said, _ = await answer("utter_anything_else", "nein", "deny", before=before)
    assert said and said[0].startswith("utter_goodbye")


async def test_a_fix_right_after_the_change_shows_the_fixed_address_and_asks(shop_db):
    """Held-out run 8, e17/e27: no goodbye and rating, the fixed address confirmed again."""
    slots = {"order_id": "100236", "verified_order": "100236", "new_address": None}
    before = [
        {"event": "slot", "name": "new_address", "value": "Mühlenweg 3, 22587 Hamburg"},
        bot("utter_address_changed"),
    ]
    said, events = await answer(
        "utter_anything_else",
        "Nein!! Das ist falsch, die Postleitzahl muss 22589 sein, nicht 22587.",
        "correct",
        slots,
        before=before,
    )
    assert said == ["utter_confirm_address"]
    assert SlotSet("new_address", "Mühlenweg 3, 22589 Hamburg") in events


async def test_did_not_help_to_a_person_offered_offers_the_person_again():
    """Corpus cues_and_lead_ins: "That did not help me" after an English writer was named the German
    help page with a person offered got "anything else?"; the need stays, so the person is offered."""
    for question in ("utter_knowledge_none", "utter_bot_challenge"):
        for text in ("That did not help me", "Hat nicht geholfen."):
            said, _ = await answer(question, text, "deny")
            assert said == ["utter_knowledge_offer_human"], (question, text)
    said, _ = await answer("utter_knowledge_none", "No thanks, not needed.", "deny")
    assert said == ["utter_anything_else"]
