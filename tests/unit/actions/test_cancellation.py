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
