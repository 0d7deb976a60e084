"""A new session (after `session_expiration_time` minutes of silence) starts clean.

Rasa would carry every slot over (`carry_over_slots_to_new_session`): someone using the
same browser later could then see order details without verifying. Only how the customer
wants to be addressed, and the new session's start metadata, survive.

The hub marks a message that answers the widget's welcome (Wanda's greeting and disclosure) with
`welcomed: true`; Rasa puts the first message's metadata in `session_started_metadata` before this
action runs, and the `welcomed` slot lets utter_greet skip a second introduction.
"""

from __future__ import annotations

from typing import Any, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.shared.wire import MessageMetadata

KEPT_SLOTS = ("register", "session_started_metadata")


def welcomed(metadata: Any) -> bool:
    return MessageMetadata.from_json(metadata).welcomed


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        for slot in KEPT_SLOTS:
            value = tracker.get_slot(slot)
            if value is not None:
                events.append(SlotSet(slot, value))
        events.append(SlotSet("welcomed", welcomed(tracker.get_slot("session_started_metadata"))))
        events.append(ActionExecuted("action_listen"))
        return events
