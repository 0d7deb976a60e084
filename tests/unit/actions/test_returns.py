from dataclasses import replace
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions import cases, shop
from actions.returns import ActionCreateComplaint, ActionCreateReturn
from bot.shop import demo_db, ledger
from bot.shop.demo import DemoShop
from bot.shop.model import ReturnCase
from tests.trackers import make_tracker, user_event


async def test_return_creates_record_with_label(shop_db, domain):
    d = CollectingDispatcher()
    slots = {
        "order_id": "100235",
        "verified_order": "100235",
        "return_reason": "zu groß",
        "return_mode": "exchange",
    }
    await confirmed(ActionCreateReturn(), d, slots, domain)
    message = d.messages[-2]
    assert message["response"] == "utter_return_created"  # the label is on its way: promised
    assert "Ersatzartikel" in message["mode_text"]
    returns = demo_db.returns_for("100235")
    assert len(returns) == 1 and returns[0].mode == "exchange" and returns[0].reason == "zu groß"
    assert returns[0].label_reference.startswith("DHL-LBL-")


class NoLabels(DemoShop):
    """A shop whose returns are requests the team approves (Shopify, WooCommerce): no label yet."""

    async def create_return(self, *args: Any, **kwargs: Any) -> ReturnCase:
        made = await super().create_return(*args, **kwargs)
        return replace(made, label_reference="")


async def test_return_without_a_label_promises_no_label(shop_db, domain):
    shop._state["backend"] = NoLabels()
    try:
        d = CollectingDispatcher()
        slots = {
            "order_id": "100235",
            "verified_order": "100235",
            "return_reason": "zu groß",
            "return_mode": "refund",
        }
        await confirmed(ActionCreateReturn(), d, slots, domain)
    finally:
        shop.reset()
    message = d.messages[-2]
    assert message["response"] == "utter_return_requested" and message["return_ref"]
    texts = [v["text"] for v in domain["responses"]["utter_return_requested"]]
    assert all("Etikett" not in t for t in texts)


async def test_return_needs_delivery(shop_db, domain):
    d = CollectingDispatcher()
    slots = {
        "order_id": "100236",
        "verified_order": "100236",
        "return_reason": "x",
        "return_mode": "refund",
    }
    await ActionCreateReturn().run(d, make_tracker(slots), domain)
    assert (
        d.messages[-1]["response"] == "utter_return_not_possible"
        and demo_db.returns_for("100236") == []
    )


async def test_complaint_creates_ticket_and_apologises(shop_db, domain):
    d = CollectingDispatcher()
    slots = {
        "order_id": "100238",
        "verified_order": "100238",
        "complaint_details": "Rucksack Reißverschluss kaputt",
    }
    await confirmed(ActionCreateComplaint(), d, slots, domain)
    assert d.messages[-2]["response"] == "utter_complaint_created"
    tickets = demo_db.tickets_for("100238")
    # the item the customer named leads the description the team reads
    assert tickets[0].description == "Rucksack Gipfelstürmer 35 l: Rucksack Reißverschluss kaputt"


async def test_unverified_return_reveals_nothing(shop_db, domain):
    d = CollectingDispatcher()
    await ActionCreateReturn().run(
        d, make_tracker({"order_id": "100235", "return_reason": "x"}), domain
    )
    assert [m["response"] for m in d.messages] == ["utter_verification_failed"]
    assert demo_db.returns_for("100235") == []


async def confirmed(action: Any, d: CollectingDispatcher, slots: dict, domain: Any) -> None:
    """The submit action's summary, then the customer's "ja" (actions/cases.py creates on it)."""
    done = await action.run(d, make_tracker(slots), domain)
    after = dict(slots)
    after.update({e["name"]: e["value"] for e in done if e.get("event") == "slot"})
    assert d.messages[-1]["response"] in ("utter_confirm_return", "utter_confirm_complaint")
    await cases.create(d, make_tracker(after))


def created(conversation: str) -> list:
    """(kind, reference) of the records the bot created in a conversation (what data protection reads)."""
    with demo_db.session() as db:
        rows = db.scalars(
            select(ledger.CreatedRecord)
            .where(ledger.CreatedRecord.conversation_id == conversation)
            .order_by(ledger.CreatedRecord.id)
        )
        return [(r.kind, r.reference) for r in rows]


async def test_created_records_are_recorded_for_their_conversation(shop_db, domain):
    """Issue 23.6: the action that creates a return or complaint records it for its conversation, in the
    same transaction; the order-number mail to an address's owner is nobody's record in the chat."""
    slots = {"order_id": "100235", "verified_order": "100235", "return_reason": "zu groß"}
    d = CollectingDispatcher()
    await confirmed(ActionCreateReturn(), d, {**slots, "return_mode": "refund"}, domain)
    d2 = CollectingDispatcher()
    await confirmed(
        ActionCreateComplaint(), d2, {**slots, "complaint_details": "Naht offen"}, domain
    )
    assert created("test") == [
        ("return", d.messages[-2]["return_ref"]),
        ("ticket", d2.messages[-2]["ticket_ref"]),
    ]
    assert await shop.send_order_numbers("anna.schmidt@web.de")
    with demo_db.session() as db:
        assert db.scalar(select(func.count()).select_from(ledger.CreatedRecord)) == 2


async def test_a_return_after_the_return_period_offers_the_warranty_not_a_return(shop_db, domain):
    """Issue 22.10: delivered 40 days ago - no return is proposed or created; the 2-year warranty
    is offered as a complaint (button), in the customer's register."""
    from datetime import datetime, timedelta

    with ledger.session() as db:
        db.query(demo_db.Order).filter_by(id="100235").update(
            {"delivered_at": datetime.utcnow() - timedelta(days=40)}
        )
        db.commit()
    shop.reset()
    d = CollectingDispatcher()
    slots = {"order_id": "100235", "verified_order": "100235", "register": "du"}
    slots.update(return_reason="die Naht ist aufgegangen", return_mode="refund")
    await ActionCreateReturn().run(d, make_tracker(slots, []), domain)
    said = d.messages[-1]
    assert "Die 30 Tage Rückgabe für deine Bestellung 100235 sind leider vorbei" in said["text"]
    assert "Gewährleistung von 2 Jahren" in said["text"]
    assert [b["title"] for b in said["buttons"]] == ["Problem mit Artikel"]
    assert demo_db.returns_for("100235") == []


async def test_a_return_for_a_cancelled_order_offers_no_cancellation(shop_db, domain):
    """Held-out persona run 3, d20: 100239 is cancelled and refunded - never "noch nicht angekommen
    … stornieren?"; the refund and a person for goods that came anyway."""
    d = CollectingDispatcher()
    slots = {"order_id": "100239", "verified_order": "100239", "return_reason": "zu lang"}
    await ActionCreateReturn().run(d, make_tracker(slots), domain)
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "storniert" in said and "bereits ausgezahlt" in said and "Kreditkarte" in said
    assert not any(m.get("response") == "utter_return_not_possible" for m in d.messages)
    assert "stattdessen stornieren" not in said and not demo_db.returns_for("100239")
    assert [b["payload"] for b in d.messages[-1]["buttons"]] == ["/request_human"]


async def test_money_back_for_a_late_parcel_is_the_trace_not_the_delay_again(shop_db, domain):
    """Held-out persona run 4 (d03): "ich will einfach mein Geld zurück" read as a return of the
    overdue 100242 gets the trace and then a replacement or refund, not the delay text again."""
    slots = {"order_id": "100242", "verified_order": "100242", "return_reason": "x"}
    asked = user_event("warten mag ich nicht mehr, gebt mir mein Geld zurück", "return_item")
    d = CollectingDispatcher()
    await ActionCreateReturn().run(d, make_tracker(slots, [asked]), domain)
    said = d.messages[-1].get("text") or d.messages[-1].get("response")
    assert "Nachforschung" in said and "Ersatz oder erstatten" in said
    assert demo_db.returns_for("100242") == []


async def test_asking_again_how_to_start_a_return_before_delivery_gets_the_steps(shop_db, domain):
    """Held-out persona run 6 (d04 t7): "You're not answering. How do I START A RETURN?" after "has
    not reached you yet, so I cannot create a return" got that answer again - now how and when (write
    "return <order>" once it is there, the label by e-mail), with an apology for the insisting."""
    from actions.returns import not_possible_note

    slots = {
        "order_id": "100236",
        "verified_order": "100236",
        "language": "en",
        "register": "en",
        "bot_actions": [not_possible_note("100236")],
    }
    asked = user_event(
        "That is not what I asked. How do I actually start the return?", "return_item"
    )
    d = CollectingDispatcher()
    await ActionCreateReturn().run(d, make_tracker(slots, [asked]), domain)
    said = [m.get("text") or m.get("response") for m in d.messages]
    assert "utter_return_not_possible" not in said
    assert said[0].startswith("Sorry, you are right") and "return 100236" in said[-1], said
    assert demo_db.returns_for("100236") == []
    # the first time, the 'not yet' answer with its cancel offer as before
    slots["bot_actions"] = []
    d = CollectingDispatcher()
    await ActionCreateReturn().run(d, make_tracker(slots, [asked]), domain)
    assert d.messages[-1]["response"] == "utter_return_not_possible"


async def test_asking_again_for_a_parcel_on_its_way_gets_the_steps_not_i_believe_you(
    shop_db, domain
):
    """After "still on its way, no return yet", a second start request that does not say the parcel
    came gets the steps (no apology when nobody complained), not 'Dann glaube ich Ihnen natürlich'."""
    from actions.orders import not_arrived_note

    slots = {
        "order_id": "100234",
        "verified_order": "100234",
        "bot_actions": [not_arrived_note("100234")],
    }
    asked = user_event("Und wie melde ich eine Rücksendung an?", "return_item")
    d = CollectingDispatcher()
    await ActionCreateReturn().run(d, make_tracker(slots, [asked]), domain)
    said = " ".join(m.get("text") or m.get("response") or "" for m in d.messages)
    assert "Rücksendung 100234" in said and "hinkt" not in said and "Entschuldigung" not in said
    here = user_event(
        "Das Paket ist seit gestern hier, wie melde ich eine Rücksendung an?", "return_item"
    )
    d = CollectingDispatcher()
    await ActionCreateReturn().run(d, make_tracker(slots, [here]), domain)
    assert "hinkt" in (d.messages[-1].get("text") or "")  # said to be here: the tracking lags
