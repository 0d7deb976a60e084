"""Handing a conversation to a human, and taking it back afterwards."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import shop
from actions.common import facts, register, topic_label, topic_of
from kundendialog.core.escalation import (
    NORMAL,
    REASON_LABELS,
    URGENT,
    current_mood,
    decide,
    intent_of,
    mood_trend,
    since_resume,
    user_turns,
)

URGENT_REASONS = {"frustration", "human_only_topic"}


def last_messages(events: List[Dict[str, Any]], limit: int = 6) -> List[Dict[str, str]]:
    said = [{"sender": "customer" if e["event"] == "user" else "bot", "text": e.get("text") or ""}
            for e in events if e.get("event") in ("user", "bot") and e.get("text")]
    return said[-limit:]


def customer_request(events: List[Dict[str, Any]], topic: str | None) -> str | None:
    """The customer's own words when they raised the current topic."""
    turns = user_turns(events)
    for event in reversed(turns):
        if topic and intent_of(event) == topic.split("/")[0]:
            return event.get("text")
    return turns[-1].get("text") if turns else None


def build_summary(tracker: Tracker, reason: str, detail: str | None) -> Dict[str, Any]:
    """What an agent needs to read in ten seconds."""
    events = since_resume(tracker.events)
    order_id = shop.normalize_order_id(tracker.get_slot("order_id"))
    verified = bool(order_id) and tracker.get_slot("verified_order") == order_id
    intents: List[str] = []
    for event in user_turns(events):
        name = intent_of(event)
        if name and name not in intents:
            intents.append(name)
    topic = topic_of(tracker)
    return {
        "topic": topic_label(topic) or "unklar",
        "topic_key": topic,  # the hub routes by it (company.yml teams.*.topics)
        "request": customer_request(events, topic),
        "reason_detail": detail,
        "intents": intents,
        "order_id": order_id,
        "email": tracker.get_slot("email") if verified else None,
        "email_verified": verified,
        "order_status": tracker.get_slot("order_status") if verified else None,
        "bot_actions": list(tracker.get_slot("bot_actions") or []),
        "mood": round(current_mood(events), 2),
        "mood_trend": mood_trend(events),
        "register": register(tracker),
        "last_messages": last_messages(events),
    }


class ActionHandoff(Action):
    """Pauses the bot and emits the structured payload the hub turns into a queued handoff."""

    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        decision = decide(tracker.events, facts())
        reason = tracker.get_slot("handoff_reason") or (decision.reason if decision else "customer_request")
        priority = URGENT if reason in URGENT_REASONS else (decision.priority if decision else NORMAL)
        detail = decision.detail if decision and decision.reason == reason else None
        dispatcher.utter_message(response="utter_handoff_frustrated" if reason == "frustration" else "utter_handoff")
        dispatcher.utter_message(json_message={"handoff": {
            "reason": reason, "reason_label": REASON_LABELS.get(reason, reason), "priority": priority,
            "summary": build_summary(tracker, reason, detail),
        }})
        return [SlotSet("handoff_reason", None), SlotSet("requested_slot", None), ActiveLoop(None), ConversationPaused()]


class ActionWelcomeBack(Action):
    """Runs after an agent hands back: shows the bot still knows the context, asks for a rating."""

    def name(self) -> str:
        return "action_welcome_back"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        reg = register(tracker)
        order_id = shop.normalize_order_id(tracker.get_slot("order_id"))
        topic = topic_label(topic_of(tracker))
        key = "context_order_topic" if order_id and topic else "context_order" if order_id else \
            "context_topic" if topic else None
        context = facts().notice(key, reg, order_id=order_id, topic=topic) if key else ""
        dispatcher.utter_message(response="utter_welcome_back", context_text=context)
        dispatcher.utter_message(response="utter_ask_rating")
        return [SlotSet("rating", None)]


RATING = re.compile(r"\b([1-5])\b")
RATING_WORDS = {"sehr zufrieden": 5, "super": 5, "sehr gut": 5, "zufrieden": 4, "gut": 4, "ok": 3, "okay": 3,
                "geht so": 3, "naja": 3, "schlecht": 2, "unzufrieden": 2, "sehr schlecht": 1, "katastrophe": 1}


def parse_rating(value: Any, text: str) -> int | None:
    for source in (str(value or ""), text or ""):
        match = RATING.search(source)
        if match:
            return int(match.group(1))
    low = (text or "").lower()
    for words, score in sorted(RATING_WORDS.items(), key=lambda kv: -len(kv[0])):
        if words in low:
            return score
    return None


class ActionRate(Action):
    """Stores the 1-5 rating: the hub records the `rating` payload on the conversation."""

    def name(self) -> str:
        return "action_rate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        rating = parse_rating(tracker.get_slot("rating"), (tracker.latest_message or {}).get("text") or "")
        if rating is None:
            dispatcher.utter_message(response="utter_ask_rating")
            return []
        dispatcher.utter_message(json_message={"rating": rating})
        # Asked at the goodbye (actions/farewell.py): thank and let them go, no "anything else?".
        farewell = tracker.get_slot("rating_asked")
        dispatcher.utter_message(response="utter_rating_thanks_bye" if farewell else "utter_rating_thanks", rating=rating)
        return [SlotSet("rating", str(rating))]
