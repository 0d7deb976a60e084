"""Undoing a cancellation: said honestly that it cannot be done here, with a person offered.

"ne doch nicht, kannst du das rückgängig machen?" right after "Erledigt: storniert" used to get the
goodbye (read as a stop), "ich will die Stornierung rückgängig machen" got "schon storniert – da ist
nichts mehr zu tun" (held-out persona run 3, d09). The shop has no way back from a cancellation, so
the bot says so, names the way to get the items (order them again) and offers a colleague.
"""

from __future__ import annotations

import re
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import shop
from actions.common import STATUS_LABELS, facts, register, remember

# "rückgängig machen", "zurücknehmen", "wiederherstellen", "soll doch kommen", "undo", "reinstate"
UNDO = re.compile(
    r"(?i)r(?:ü|ue|u)ckg(?:ä|ae|a)ngig|zur(?:ü|ue|u)ck\s*(?:nehmen|holen|zieh\w*)|wiederherstell\w*|"
    r"reaktivier\w*|storn\w*\s+(?:\w+\s+)?aufheb\w*|\bsoll\s+(?:\w+\s+)?doch\s+(?:noch\s+)?(?:kommen|geliefert)|"
    r"\bundo\b|\breverse\b|\breinstate\b|\bun-?cancel|take\s+(?:back|it\s+back)\s+the\s+cancel"
)


def asks_undo(text: str) -> bool:
    """The message asks to take a cancellation back."""
    return bool(UNDO.search(text or ""))


def cancelled_here(tracker: Tracker) -> bool:
    """The verified order is cancelled (this chat cancelled it or the shop showed it so)."""
    return tracker.get_slot("order_status") == STATUS_LABELS[shop.CANCELLED]


def wants_undo(tracker: Tracker) -> bool:
    """The latest message asks to undo the cancellation of the order on the table."""
    text = str((tracker.latest_message or {}).get("text") or "")
    return cancelled_here(tracker) and asks_undo(text)


def cannot_undo(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The honest answer, then "Soll ich Sie mit einem Mitarbeiter verbinden?" (a yes hands over)."""
    order_id = str(tracker.get_slot("order_id") or "")
    dispatcher.utter_message(
        text=facts().notice("cancel_undo", register(tracker), order_id=order_id)
    )
    dispatcher.utter_message(response="utter_next_step_human")
    return [remember(tracker, f"Stornierung von {order_id} rückgängig gewünscht – geht hier nicht")]
