"""Undoing a cancellation is said honestly, with a person offered (actions/undo.py)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import shop
from actions.answers import ActionAnswer
from actions.cancellation import offer_cancel
from actions.common import STATUS_LABELS
from actions.undo import asks_undo, wants_undo
from tests.trackers import make_tracker, user_event

CANCELLED = {
    "order_id": "100236",
    "verified_order": "100236",
    "order_status": STATUS_LABELS[shop.CANCELLED],
    "register": "du",
}


@pytest.mark.parametrize(
    "text",
    [
        "ne doch nicht, kannst du das rückgängig machen?",
        "kann man eine Stornierung zurücknehmen?",
        "die Bestellung soll doch kommen",
        "can you undo that?",
    ],
)
def test_undo_wishes(text):
    assert asks_undo(text)


@pytest.mark.parametrize("text", ["nein danke, tschüss", "wann kommt mein Geld zurück?"])
def test_no_undo_wish(text):
    assert not asks_undo(text)


def test_only_a_cancelled_order_is_undone():
    said = [user_event("kannst du das rückgängig machen?", "stop")]
    assert wants_undo(make_tracker(CANCELLED, said))
    assert not wants_undo(make_tracker({**CANCELLED, "order_status": "in Bearbeitung"}, said))


async def test_undo_right_after_the_cancellation_is_no_goodbye():
    """Persona run 3, d09: "ne doch nicht … kannst du das rückgängig machen?" got "Tschüss"."""
    events = [
        user_event("ja", "affirm"),
        {"event": "bot", "text": "Erledigt", "metadata": {"utter_action": "utter_cancel_done"}},
        {"event": "bot", "text": "Sonst?", "metadata": {"utter_action": "utter_anything_else"}},
        user_event("ne doch nicht 🙈 kannst du das rückgängig machen?", "stop"),
    ]
    d = CollectingDispatcher()
    await ActionAnswer().run(d, make_tracker(CANCELLED, events), {})
    assert "nicht rückgängig machen" in d.messages[0]["text"] and "100236" in d.messages[0]["text"]
    assert "bestell sie" in d.messages[0]["text"]  # du, the way to get the items
    assert d.messages[-1]["response"] == "utter_next_step_human"


async def test_asking_to_undo_an_already_cancelled_order_is_not_nothing_to_do(shop_db):
    t = make_tracker({**CANCELLED, "order_id": "100239", "register": "sie"})
    order = await shop.find_order("100239", t)
    d = CollectingDispatcher()
    offer_cancel(order, "ich will die Stornierung rückgängig machen", d, t)
    assert "bleibt storniert" in d.messages[0]["text"]
    assert d.messages[-1]["response"] == "utter_next_step_human"
