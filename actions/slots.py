"""Per-message context: register (du/Sie), mood and topic, filled after every user message."""

from __future__ import annotations

from typing import Any, Dict

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.common import faq_response_key
from kundendialog.core.escalation import TOPIC_INTENTS, current_mood, since_resume


class ValidateSlotMappings(ValidationAction):
    """Fills the custom-mapped slots (runs as `action_validate_slot_mappings`)."""

    async def extract_register(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        detected = (tracker.latest_message or {}).get("register")
        # Once a customer says du we stay with du until they clearly say Sie.
        return {"register": detected or tracker.get_slot("register") or "sie"}

    async def extract_mood(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return {"mood": round(current_mood(since_resume(tracker.events)), 3)}

    async def extract_topic(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""
        if intent.split("/")[0] in TOPIC_INTENTS:
            key = faq_response_key(tracker)
            return {"topic": key if intent == "faq" and key else intent}
        return {"topic": tracker.get_slot("topic")}
