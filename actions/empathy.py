"""The acknowledgement that opens a complaint (rule: complaint -> action_acknowledge -> complaint_form).

A "complaint" that only asks how to do something ("Wie bekomme ich mein Zelt wieder wasserdicht?")
with no order behind it is answered from the help pages instead, when they are sure (actions/knowledge.py).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import knowledge, settings
from actions.common import empathize, facts, register, remember
from bot.dialogue.empathy import feeling

ASKS_AFTER = (
    "grief",
    "worry",
    "anger",
)  # feelings whose line is followed by the question what it is about


def react(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> bool:
    """The feeling's own line where the bot would otherwise say "nicht verstanden" or its stock
    frustration text (issue 22.7): condolence, safety advice on a suspicious message, thanks for praise,
    an acknowledged anger - then, after grief, worry or anger, what it is about with the topic buttons.
    False when the message shows no such feeling (the caller says what it said before)."""
    key = feeling(tracker.events, settings.EMPATHY_THRESHOLD)
    if not key:
        return False
    reg = register(tracker)
    dispatcher.utter_message(text=facts().text("emotions", key, reg))
    if key in ASKS_AFTER:
        dispatcher.utter_message(
            text=facts().text("emotions", "ask", reg), buttons=topic_buttons(domain)
        )
    return True


def topic_buttons(domain: DomainDict) -> List[Dict[str, Any]]:
    """The topic buttons of the fallback (its Sie variant: titles are the same in both registers)."""
    variants = (domain.get("responses") or {}).get("utter_fallback") or []
    plain = [v for v in variants if not v.get("condition")]
    return list((plain or [{}])[0].get("buttons") or [])


class ActionAcknowledge(Action):
    """A described problem ("Das Zelt ist mit einem Riss angekommen") gets one fitting acknowledgement; the
    "Problem mit Artikel" button gets none (the form's question follows), and no second one later in the flow.
    Praise the NLU read as a complaint ("Die Socken sind der Hammer 😊") gets thanks and no complaint form."""

    def name(self) -> str:
        return "action_acknowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if (
            feeling(tracker.events, settings.EMPATHY_THRESHOLD) == "joy"
        ):  # praise read as a complaint
            empathize(dispatcher, tracker)  # thanks, no defect apology and no complaint form
            dispatcher.utter_message(response="utter_anything_else")
            return [FollowupAction("action_listen")]
        answered = await knowledge.answer_complaint_question(dispatcher, tracker)
        if answered is not None:
            return answered
        empathize(dispatcher, tracker)
        return []


class ActionPhishingAdvice(Action):
    """A worried question whether a mail, SMS or link is from the shop: never click, the shop never asks
    for a password or TAN, where to forward it (company.yml `emotions.phishing`, contact data filled in)."""

    def name(self) -> str:
        return "action_phishing_advice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(text=facts().text("emotions", "phishing", register(tracker)))
        dispatcher.utter_message(response="utter_anything_else")
        return [remember(tracker, "Sicherheitshinweis zu verdächtiger Nachricht gegeben")]
