"""The forms' questions for the order number and the e-mail (Rasa calls `action_ask_<slot>` instead
of the response when it exists): a grieving, worried or angry first message gets its own line before
the question, so "Mein Vater ist verstorben …" is not answered with the number question alone (issue
22.7). Once per flow: the condolence is not said again when the e-mail matches. After such a message
the e-mail is asked without the cheerful "Danke!" and without assuming who ordered (persona run 2:
a widow writing about her late husband's order); so it is after annoyance without anger ("bro wo
bleibt mein paket 😤"), with the topic's acknowledgement before it."""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import settings
from actions.common import acknowledge_annoyance, feel
from bot.dialogue.empathy import shown


class ActionAskOrderId(Action):
    def name(self) -> str:
        return "action_ask_order_id"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if not feel(dispatcher, tracker):
            acknowledge_annoyance(dispatcher, tracker)
        dispatcher.utter_message(response="utter_ask_order_id")
        return []


class ActionAskEmail(Action):
    def name(self) -> str:
        return "action_ask_email"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        said = False
        if not tracker.get_slot("order_id"):
            # asked before any number (the order-number help): the feeling's line comes here;
            # with a number, validate_order_id said it in this turn already
            said = feel(dispatcher, tracker)
        # annoyance ("echt jetzt?", "😤"): the topic's acknowledgement, then the gentle question
        annoyance = not said and acknowledge_annoyance(dispatcher, tracker)
        gently = shown(tracker.events, settings.EMPATHY_THRESHOLD) or annoyance
        dispatcher.utter_message(response="utter_ask_email_gently" if gently else "utter_ask_email")
        return []
