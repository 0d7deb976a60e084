"""Answers that need no order: FAQ from company.yml, fallback, frustration."""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import empathize, facts, faq_response_key, register, remember


def faq_key(tracker: Tracker) -> str:
    key = faq_response_key(tracker) or ""
    return key.split("/", 1)[1] if "/" in key else key


class ActionFaq(Action):
    """Company answers live in company.yml; the ResponseSelector only picks which."""

    def name(self) -> str:
        return "action_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        key = faq_key(tracker)
        answer = facts().text("faq", key, register(tracker)) if key else None
        if not answer:
            dispatcher.utter_message(response="utter_fallback")
            return []
        empathize(dispatcher, tracker)
        dispatcher.utter_message(text=answer)
        return [remember(tracker, f"FAQ beantwortet: {key}")]


class ActionFallback(Action):
    """First miss: offer topics and the human route (the policy escalates the second)."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_fallback")
        return []


class ActionFrustration(Action):
    def name(self) -> str:
        return "action_frustration"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_frustration")
        return [remember(tracker, "Ärger aufgenommen, Mitarbeiter angeboten")]


