"""A cancellation request for an order that is cancelled already (actions/cancellation.py)."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions import shop
from actions.cancellation import offer_cancel
from tests.trackers import make_tracker


async def test_a_cancelled_and_refunded_order_tells_where_the_money_goes(shop_db):
    """Issue 22.10: "storniert - wann kommt mein Geld?" gets the refund the way it was paid (card)."""
    t = make_tracker({"register": "sie"})
    order = await shop.find_order("100239", t)
    d = CollectingDispatcher()
    offer_cancel(order, "Wann kommt mein Geld zurück?", d, t)
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "bereits storniert" in said and "ausgezahlt" in said and "Kreditkarte" in said
    assert d.messages[-1]["response"] == "utter_anything_else"


async def test_a_delivery_question_next_to_the_address_change_is_answered_after_it(shop_db):
    """Issue 22.5: "Adresse ändern, und wann wird sie dann geliefert?" - after the change, when it
    comes; for an unpaid prepayment order that is the payment it waits for, not a date."""
    from actions.cancellation import do_address
    from tests.trackers import user_event

    slots = {
        "order_id": "100241",
        "verified_order": "100241",
        "new_address": "Hafenweg 3, 20457 Hamburg",
    }
    asked = user_event(
        "Geht bei 100241 noch eine neue Lieferadresse, und wann kommt das Paket dann an?",
        "change_address",
    )
    d = CollectingDispatcher()
    await do_address(d, make_tracker(slots, [asked, user_event("ja", "affirm")]))
    assert d.messages[0]["response"] == "utter_address_changed"
    assert "Überweisung" in d.messages[1]["text"] and "Versand" in d.messages[1]["text"]
    assert d.messages[-1]["response"] == "utter_anything_else"
    slots["new_address"] = (
        "Hafenweg 4, 20457 Hamburg"  # the question the NLU listed as a second one
    )
    listed = user_event(
        "Neue Adresse für 100241 bitte, und wo steht das Paket gerade?",
        "change_address",
        other_requests=[{"intent": "order_status", "text": "wo steht das paket gerade"}],
    )
    d = CollectingDispatcher()
    await do_address(d, make_tracker(slots, [listed, user_event("ja", "affirm")]))
    assert "Überweisung" in d.messages[1]["text"]
    slots["new_address"] = "Hafenweg 5, 20457 Hamburg"  # no delivery question: nothing added
    d = CollectingDispatcher()
    plain = user_event("Ich möchte die Lieferadresse von 100241 ändern.", "change_address")
    await do_address(d, make_tracker(slots, [plain, user_event("ja", "affirm")]))
    assert [m.get("response") for m in d.messages] == [
        "utter_address_changed",
        "utter_anything_else",
    ]


async def test_a_delivery_question_next_to_a_too_late_address_change_gets_the_day(shop_db):
    """Persona run, problem 9: "Wann kommt 100234 an, und kann ich sie an eine Packstation umleiten?"
    for a shipped order: the address cannot change, and the expected day is said too."""
    from actions.cancellation import offer_address
    from tests.trackers import user_event

    asked = user_event(
        "Zwei Dinge: wann ist 100234 bei mir, und geht noch eine Umleitung an meine Arbeit?",
        "change_address",
        other_requests=[{"intent": "order_status", "text": "wann ist 100234 bei mir"}],
    )
    t = make_tracker({"order_id": "100234", "verified_order": "100234"}, [asked])
    order = await shop.find_order("100234", t)
    d = CollectingDispatcher()
    offer_address(order, d, t)
    assert d.messages[0]["response"] == "utter_address_too_late"
    assert "voraussichtlich" in d.messages[1]["text"] and "100234" in d.messages[1]["text"]
    plain = user_event("Bitte an meine Arbeit umleiten, 100234.", "change_address")
    d = CollectingDispatcher()
    offer_address(order, d, make_tracker({"verified_order": "100234"}, [plain]))
    assert [m.get("response") for m in d.messages] == ["utter_address_too_late"]


def test_an_item_named_on_the_way_to_cancelling_the_order_is_no_partial_cancel(shop_db):
    """Persona run 2 (d05): the widow names the jacket her husband ordered and asks to undo the
    order - the whole order, not a single item for the team."""
    from actions.cancellation import is_partial
    from bot.shop import demo_db

    order = demo_db.find_order("100241")  # Daunenjacke and socks
    text = (
        "Mein Vater hat kurz vor seinem Tod die Daunenjacke bestellt. Bitte machen Sie seine "
        "Bestellung rückgängig."
    )
    assert not is_partial(text, order)
    assert not is_partial("die Daunenjacke brauchen wir nicht, bitte alles stornieren", order)
    assert is_partial("nur die Daunenjacke stornieren, die Bestellung sonst behalten", order)
    assert is_partial("die Daunenjacke stornieren bitte", order)


async def test_asking_whether_an_unpaid_order_cancels_itself_gets_the_deadline(shop_db):
    """Held-out persona run 4, d25: "Will my order be cancelled automatically if I don't pay …?" is
    a question about the prepayment deadline, not a cancellation to confirm."""
    for reg, text, said in (
        (
            "en",
            "Will my order be cancelled automatically if I don't pay in time?",
            "only cancelled",
        ),
        ("sie", "Wird die Bestellung von selbst storniert, wenn ich nicht überweise?", "nur, wenn"),
    ):
        t = make_tracker({"register": reg, "language": "en" if reg == "en" else "de"})
        order = await shop.find_order("100241", t)
        d = CollectingDispatcher()
        offer_cancel(order, text, d, t)
        assert [m.get("response") for m in d.messages] == [None]
        assert said in d.messages[0]["text"]
    t = make_tracker({"register": "sie"})  # the request itself is still confirmed first
    d = CollectingDispatcher()
    offer_cancel(await shop.find_order("100241", t), "Bitte stornieren Sie 100241.", d, t)
    assert d.messages[-1]["response"] == "utter_confirm_cancel"


async def test_a_cancellation_interrupted_by_a_delivery_question_changes_nothing(shop_db):
    """Held-out persona run 4, d06: "dann storniere ich … oder wart – kommt das Zelt dann noch bis
    Freitag?" names one item, yet it is no partial cancellation and no handoff: the delivery facts,
    then the open question whether to cancel."""
    t = make_tracker({"register": "sie"})
    order = await shop.find_order("100236", t)
    d = CollectingDispatcher()
    text = "Dann storniere ich halt und bestelle neu. Oder wart – kommt das Zelt dann noch bis Freitag?"
    events = offer_cancel(order, text, d, t)
    assert [m.get("response") for m in d.messages] == ["utter_order_status", "utter_confirm_cancel"]
    assert not [e for e in events if e.get("event") == "followup"]
    d = CollectingDispatcher()  # without the question it stays the partial cancellation it names
    events = offer_cancel(order, "Bitte nur das Zelt stornieren.", d, t)
    assert d.messages[0]["response"] == "utter_cancel_partial"


def test_an_english_customer_keeping_one_item_cancels_only_some(shop_db):
    """Issue 22: "just the bottle, I'll keep the tent" at the cancel confirmation got the question
    for the whole order again; like "nur die Flasche, das Zelt behalte ich" it is a partial one."""
    from actions.cancellation import is_partial
    from bot.shop import demo_db

    order = demo_db.find_order("100236")  # Zelt Trekker 2 and Trinkflasche 1 l
    assert is_partial("just the bottle, I'll keep the tent", order, in_english=True)
    assert is_partial("can you cancel the tent, please?", order, in_english=True)
    assert is_partial("only cancel one of the items please", order, in_english=True)
    assert is_partial("nur die Flasche, das Zelt behalte ich", order)
    assert not is_partial("please cancel my whole order, I don't need the tent", order, True)
    assert not is_partial("cancel 100236 please, just the order", order, in_english=True)
    assert not is_partial("Please cancel order 100236", order, in_english=True)
    # an item named as the reason: the whole order (privacy_english corpus conversation)
    text = "Hello, please cancel order 100236, I don't need the tent any more."
    assert not is_partial(text, order, in_english=True)
    assert is_partial("cancel order 100236 but keep the tent", order, in_english=True)


async def test_a_cancelled_order_whose_money_is_missing_gets_what_to_do(shop_db):
    """Held-out persona run 7 (d06): "storniert, owa des Göld is no ned do" read as a cancellation:
    the paid-out refund, then what to do if it has not come - not only "Sonst noch etwas?"."""
    t = make_tracker({"register": "sie"})
    order = await shop.find_order("100239", t)
    d = CollectingDispatcher()
    events = offer_cancel(order, "Hob 100239 storniert, owa des Göld is no ned do!", d, t)
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "bereits storniert" in said and "ausgezahlt" in said
    assert d.messages[-1]["text"].startswith("Kommt die Erstattung in dieser Zeit nicht an")
    assert "Erstattung zu 100239 genannt" in str(events)
