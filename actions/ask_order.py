"""The forms' question for the order number (Rasa calls `action_ask_order_id` instead of the
response when it exists): a grieving, worried or angry first message gets its own line before the
question, so "Mein Vater ist verstorben …" is not answered with the number question alone (issue
22.7). Once per flow: the condolence is not said again when the e-mail matches."""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import feel


class ActionAskOrderId(Action):
    def name(self) -> str:
        return "action_ask_order_id"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        feel(dispatcher, tracker)
        dispatcher.utter_message(response="utter_ask_order_id")
        return []
