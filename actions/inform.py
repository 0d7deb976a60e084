"""An order number or e-mail address on its own (`inform`): context for the customer's request, never
a new one (issue 22).

The NLU reads a message that is mostly an order number as `inform`. If the customer has stated a
request (in this message, as the runner-up reading, or in the message before, which the bot
answered without starting its flow), that request's flow starts with the number already filled;
only without any request does the bot ask what it is about. An e-mail while verification is locked
is not checked and not taken as a request: the lock is told again (issue 22.11).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.verification import lock_of, now, paused, subjects
from bot.dialogue.pending import TASK_INTENTS

FLOWS = {
    "return_item": "return_form",
    "complaint": "complaint_form",
    "change_address": "address_form",
}
RUNNER_UP = 0.2  # a request read this likely next to the order number is what the customer wants


def stated_request(events: List[Dict[str, Any]], latest: Dict[str, Any]) -> str | None:
    """The request the latest `inform` belongs to: the best request in its own ranking, else the
    previous message's request when no form ran for it since."""
    for reading in latest.get("intent_ranking") or []:
        if (
            reading.get("name") in TASK_INTENTS
            and float(reading.get("confidence") or 0) >= RUNNER_UP
        ):
            return str(reading["name"])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if len(users) < 2:
        return None
    before = events[users[-2]]
    intent = ((before.get("parse_data") or {}).get("intent") or {}).get("name")
    started = any(
        e.get("event") == "active_loop" and e.get("name") for e in events[users[-2] : users[-1]]
    )
    return str(intent) if intent in TASK_INTENTS and not started else None


def gives_email(latest: Dict[str, Any]) -> bool:
    """Whether the message carries an e-mail address (the entity, or the text itself)."""
    if any(e.get("entity") == "email" for e in latest.get("entities") or []):
        return True
    return "@" in str(latest.get("text") or "")


class ActionInform(Action):
    def name(self) -> str:
        return "action_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if gives_email(tracker.latest_message or {}):
            order_id = str(tracker.get_slot("order_id") or "")
            if lock_of(subjects(tracker, order_id), now()):  # a guess after the lock: not checked
                slots = paused(tracker, dispatcher, order_id)
                return [SlotSet(name, value) for name, value in slots.items()]
        task = stated_request(list(tracker.events), tracker.latest_message or {})
        if task is None:
            dispatcher.utter_message(response="utter_inform_ack")
            return []
        return [SlotSet("task", task), FollowupAction(FLOWS.get(task, "verify_form"))]
