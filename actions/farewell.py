"""Saying goodbye, and asking a bot-only conversation once how it went.

The 1-5 rating after a human took over is asked when the conversation comes
back (action_welcome_back). A conversation the bot handled alone would never be
rated, so the reports could not compare bot and human: at its goodbye the bot
asks once, with a button to skip; a greeting-only chat is not asked.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import open_request
from actions.common import facts, register
from bot.dialogue.escalation import intent_of, user_turns
from bot.dialogue.follow_up import asks_if_not
from bot.dialogue.short_talk import let_down

SMALL_TALK = {
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "correct",
    "stop",
    "bot_challenge",
    "rate",
    "nlu_fallback",
    "out_of_scope",
}


# "Danke, das war alles", "das wär's", "mehr wollte ich nicht": a thank-you that ends the chat, so
# asking "Kann ich sonst noch etwas tun?" would ask what was just answered.
CLOSING = re.compile(
    r"(?i)\b(?:das\s+w(?:a|ä|ae)r(?:'?s|\s+(?:es|alles|schon\s+alles))|"
    r"mehr\s+(?:wollte|brauche|brauch|will)\s+ich\s+(?:auch\s+)?nicht|sonst\s+nichts|"
    r"(?:ist\s+)?alles\s+(?:erledigt|geklärt|geklaert|beantwortet)|that'?s\s+all)\b"
)


def closes(text: str) -> bool:
    """Whether a message says the customer has nothing more to ask."""
    return bool(CLOSING.search(text or ""))


def had_a_human(events: List[Dict[str, Any]]) -> bool:
    return any(e.get("event") == "action" and e.get("name") == "action_handoff" for e in events)


def bot_helped_with_something(events: List[Dict[str, Any]]) -> bool:
    """At least one real request (not only hello, thanks and bye) in this conversation."""
    return any((intent_of(e) or "").split("/")[0] not in SMALL_TALK for e in user_turns(events))


class ActionGoodbye(Action):
    def name(self) -> str:
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = str((tracker.latest_message or {}).get("text") or "")
        # "und falls dann trotzdem noch welche kommen, was mach ich dann?" asks; it does not leave
        if asks_if_not(text):
            short = open_request.answer(dispatcher, tracker)
            if short is not None:
                return short
        return farewell(dispatcher, tracker)


# Giving up on the bot: "Vergessen Sie es", "ich gebe auf", "forget it", "never mind".
GIVES_UP = re.compile(
    r"(?i)\b(?:vergessen\s+sie\s+es|vergiss\s+es|vergesst\s+es|ich\s+gebe?\s+auf|lassen\s+wir\s+das|"
    r"lass(?:en\s+sie)?\s+(?:es|mal)\s+gut\s+sein|schon\s+gut,?\s+egal|forget\s+it|never\s*mind|"
    r"i\s+give\s+up|i'?ll\s+figure\s+it\s+out|(?:bringt|hilft)\s+mi(?:ch|r)\s+(?:\w+\s+)?nicht\s+weiter|"
    r"(?:that|this)\s+(?:doesn't|does\s+not)\s+help)\b"
)


def gives_up(text: str) -> bool:
    """Whether a goodbye says the customer gave up on getting an answer here."""
    return bool(GIVES_UP.search(text or ""))


def farewell(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Goodbye, with the one-time rating question; also "nein danke" to "anything else?" (actions/answers.py).
    A customer who gives up ("Vergessen Sie es, schönen Tag noch") hears that the bot is sorry, and
    no cheerful "Gern geschehen" or rating question; nor does one who thanks with disappointment
    ("Danke trotzdem", bot/dialogue/short_talk.py let_down)."""
    events = tracker.events
    text = str((tracker.latest_message or {}).get("text") or "")
    if gives_up(text) or let_down(text):  # "Danke trotzdem", "schade": sorry, no rating
        dispatcher.utter_message(
            text=facts().text("faq", "goodbye_disappointed", register(tracker))
        )
        dispatcher.utter_message(response="utter_goodbye")
        return []
    ask = (
        not tracker.get_slot("rating")
        and not tracker.get_slot("rating_asked")
        and not had_a_human(events)
        and bot_helped_with_something(events)
    )
    if not ask:
        dispatcher.utter_message(response="utter_goodbye")
        return []
    dispatcher.utter_message(response="utter_goodbye_ask_rating")
    return [SlotSet("rating_asked", True)]
