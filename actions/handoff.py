"""Handing a conversation to a human, and taking it back afterwards."""

from __future__ import annotations

import re
from typing import Any, Awaitable, Callable, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import cancellation, cases, open_request, shop
from actions.common import english, facts, react, register, topic_label, topic_of
from actions.knowledge import shown_pages
from bot.dialogue import pending as p
from bot.dialogue.escalation import (
    current_mood,
    decide,
    frustrated,
    intent_of,
    mood_trend,
    since_resume,
    user_turns,
)
from bot.dialogue.pending import last_question, task_event
from bot.dialogue.third_party import for_someone_else
from bot.dialogue.time_asked import privacy_time_asked
from bot.dialogue.yes_then import yes_then_person
from bot.shared import wire
from bot.shared.wire import NORMAL, URGENT

URGENT_REASONS = {"frustration", "human_only_topic"}


def last_messages(events: List[Dict[str, Any]], limit: int = 6) -> List[Dict[str, str]]:
    said = [
        {"sender": "customer" if e["event"] == "user" else "bot", "text": e.get("text") or ""}
        for e in events
        if e.get("event") in ("user", "bot") and e.get("text")
    ]
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
    # The customer's task (the request that started the form) is what the agent takes over; an FAQ
    # question asked on the way is only the latest topic, shown separately when it differs.
    task, started = task_event(events)
    latest = topic_of(tracker)
    topic = task or latest
    third_party = for_someone_else(str(e.get("text") or "") for e in user_turns(events))
    summary: Dict[str, Any] = {
        "topic": topic_label(topic) or "unklar",
        "topic_key": topic,  # the hub routes by it (company.yml teams.*.topics)
        "request": (started or {}).get("text") or customer_request(events, topic),
        "reason_detail": detail,
        "intents": intents,
        "order_id": order_id,
        # a relative writing for someone who died: that person's mailbox is no contact (the hub asks)
        "email": tracker.get_slot("email") if verified and not third_party else None,
        "third_party": third_party,
        "email_verified": verified,
        "order_status": tracker.get_slot("order_status") if verified else None,
        "bot_actions": list(tracker.get_slot("bot_actions") or []),
        "mood": round(current_mood(events), 2),
        "mood_trend": mood_trend(events),
        "register": register(tracker),
        "last_messages": last_messages(events),
    }
    if english(tracker):  # the agent sees it in the story: what the bot did (issue 22.12)
        summary["language"] = "en"
        summary["bot_actions"].append(ENGLISH_NOTE)
    pages = shown_pages(events)
    if pages:  # what the customer already read on the help pages, and whether it helped
        summary["knowledge_pages"] = pages
    if latest and topic_label(latest) != summary["topic"]:
        summary["latest_topic"] = topic_label(latest)
    return summary


ENGLISH_NOTE = (
    "Kunde schreibt Englisch – auf Englisch geantwortet, bitte auf Englisch weiterschreiben"
)


def say_cannot_decide(
    dispatcher: CollectingDispatcher, tracker: Tracker, detail: str | None
) -> None:
    """Before a handoff for a decision the bot cannot make (a chargeback, bank fees, a refund to
    another account, an express replacement; a payment dispute or a legal matter): that it cannot
    decide it itself and who does (company.yml `beyond_reach`, held-out persona run 2)."""
    for key in (detail or "").split(", "):
        text = facts().text("beyond_reach", key, register(tracker)) if key else None
        if text:
            dispatcher.utter_message(text=text)


Handler = Callable[[CollectingDispatcher, Tracker], Awaitable[List[EventType]]]
# The change each confirmation makes on a yes (actions/answers.py does the same on a bare yes).
CONFIRMED: Dict[str, Handler] = {
    p.CONFIRM_CASE: cases.create,
    p.CONFIRM_CANCEL: cancellation.do_cancel,
    p.CONFIRM_ADDRESS: cancellation.do_address,
}


async def confirm_first(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """A yes to the pending change with a person asked for after it ("Ja, bitte anlegen. Und geben
    Sie die Frage an einen Kollegen weiter"): the change is made and its reference said before the
    handoff, never dropped for it (held-out run 8, e05). The undo hint is left out: the team has it."""
    question = p.pending(tracker.events)
    text = str((tracker.latest_message or {}).get("text") or "")
    if question is None or not yes_then_person(text, question):
        return []
    events = await CONFIRMED[question](dispatcher, tracker)
    dispatcher.messages[:] = [
        m for m in dispatcher.messages if m.get("response") != "utter_case_undo_hint"
    ]
    return [e for e in events if e.get("event") != "followup"]  # the handoff is what follows


def done_before(events: List[EventType]) -> List[str]:
    """The `bot_actions` a change made just before the handoff set, for the agent's summary."""
    found = [e for e in events if e.get("event") == "slot" and e.get("name") == "bot_actions"]
    return list(found[-1].get("value") or []) if found else []


def data_request_deadline(tracker: Tracker) -> str:
    """How long the data request handed over takes, when the message asks it beside the request
    (bot/dialogue/time_asked.py; held-out run 8, e19 t5 dropped it), else ""."""
    text = str((tracker.latest_message or {}).get("text") or "")
    matter = privacy_time_asked(text)
    if matter is None:
        return ""
    section, key = open_request.PRIVACY_TIME[matter]
    return str(facts().text(section, key, register(tracker)) or "")


class ActionHandoff(Action):
    """Pauses the bot and emits the structured payload the hub turns into a queued handoff."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        decision = decide(tracker.events, facts())
        reason = tracker.get_slot("handoff_reason") or (
            decision.reason if decision else "customer_request"
        )
        if reason == "customer_request" and frustrated(tracker.events, facts()):
            reason = "frustration"  # a yes to the offer of a person, from an angry customer: urgent
        priority = (
            URGENT if reason in URGENT_REASONS else (decision.priority if decision else NORMAL)
        )
        detail = decision.detail if decision and decision.reason == reason else None
        confirmed = await confirm_first(dispatcher, tracker)
        say_cannot_decide(dispatcher, tracker, detail)
        if not tracker.get_slot("handoff_ticket"):
            # With a request open in the hub (nobody reachable) the hub names it again instead of a
            # second one (bot/hub/handoff/requests.py): "ich verbinde Sie" would not be true.
            dispatcher.utter_message(
                response="utter_handoff_frustrated" if reason == "frustration" else "utter_handoff"
            )
        deadline = data_request_deadline(tracker)  # "… weiterleiten. Wie lange dauert das?" (e19)
        if deadline:
            dispatcher.utter_message(text=deadline)
        summary = build_summary(tracker, reason, detail)
        done = done_before(confirmed)
        summary["bot_actions"] = done + [a for a in summary["bot_actions"] if a not in done]
        dispatcher.utter_message(json_message=wire.handoff(reason, priority, summary))
        return confirmed + [
            SlotSet("handoff_reason", None),
            SlotSet("requested_slot", None),
            ActiveLoop(None),
            ConversationPaused(),
        ]


class ActionWelcomeBack(Action):
    """Runs after an agent hands back: shows the bot still knows the context, asks for a rating."""

    def name(self) -> str:
        return "action_welcome_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        reg = register(tracker)
        order_id = shop.normalize_order_id(tracker.get_slot("order_id"))
        topic = topic_label(topic_of(tracker))
        key = (
            "context_order_topic"
            if order_id and topic
            else "context_order"
            if order_id
            else "context_topic"
            if topic
            else None
        )
        context = facts().notice(key, reg, order_id=order_id, topic=topic) if key else ""
        dispatcher.utter_message(response="utter_welcome_back", context_text=context)
        dispatcher.utter_message(response="utter_ask_rating")
        return [SlotSet("rating", None)]


RATING_QUESTIONS = {"utter_ask_rating", "utter_goodbye_ask_rating"}
NUMBER_WORDS = {
    "null": 0,
    "kein": 0,
    "keinen": 0,
    "eins": 1,
    "ein": 1,
    "einen": 1,
    "einem": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "fuenf": 5,
    "funf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
}
NUMBER = r"(\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
# "4 von 5", "8/10", "3 Sterne", "vier": a number, optionally out of a scale.
SCORED = re.compile(
    r"(?<![\w.,])" + NUMBER + r"(?:\s*(?:/|von)\s*(5|10|fünf|zehn)\b|\s*(sterne?n?)\b|(?![\w.,/]))"
)
NEGATORS = {"nicht", "keine", "keinen", "kein", "nie", "niemals"}
# Longest phrase first; negated phrases come before the praise they contain.
RATING_WORDS = {
    "gar nicht zufrieden": 1,
    "überhaupt nicht zufrieden": 1,
    "gar nicht gut": 1,
    "überhaupt nicht gut": 1,
    "gar nicht geholfen": 1,
    "sehr unzufrieden": 1,
    "sehr schlecht": 1,
    "katastrophe": 1,
    "katastrophal": 1,
    "nicht so gut": 2,
    "nicht gut": 2,
    "nicht zufrieden": 2,
    "nicht hilfreich": 2,
    "nicht geholfen": 2,
    "nicht so toll": 2,
    "nicht toll": 2,
    "unzufrieden": 2,
    "eher schlecht": 2,
    "schlecht": 2,
    "nicht so schlecht": 3,
    "nicht ganz zufrieden": 3,
    "besser sein können": 3,
    "geht so": 3,
    "naja": 3,
    "mittel": 3,
    "mittelmäßig": 3,
    "mittelmaessig": 3,
    "durchschnittlich": 3,
    "ok": 3,
    "okay": 3,
    "nicht schlecht": 4,
    "ganz gut": 4,
    "eher zufrieden": 4,
    "zufrieden": 4,
    "gut": 4,
    "hilfreich": 4,
    "sehr zufrieden": 5,
    "sehr gut": 5,
    "super": 5,
    "top": 5,
    "perfekt": 5,
    "ausgezeichnet": 5,
    "volle punktzahl": 5,
    "spitze": 5,
    "hervorragend": 5,
}


def _scaled(number: str, scale: str | None) -> int | None:
    value = int(number) if number.isdigit() else NUMBER_WORDS[number]
    top = {"fünf": 5, "zehn": 10}.get(scale or "", int(scale) if scale and scale.isdigit() else 5)
    if top == 10:
        value = round(value / 2 + 0.01)
    if value > 5:
        return None
    return max(1, value)  # "null Sterne, wenn das ginge": the lowest there is


def parse_rating(value: Any, text: str) -> int | None:
    """1-5 from a button (`value`, the rating slot) or the customer's words.

    Understands digits and number words ("vier", "drei Sterne", "8 von 10") and negations:
    "keine 5" is no 5, "nicht so gut" is a 2, "gar nicht zufrieden" a 1.
    """
    low = " ".join((text or "").lower().split())
    negated_number = False
    for match in SCORED.finditer(low):
        number, scale, stars = match.group(1), match.group(2), match.group(3)
        if number in ("ein", "einen", "einem", "kein", "keinen") and not stars:
            continue  # "ein" is only a rating in "einen Stern"; "kein" only in "keine Sterne"
        before = low[: match.start()].split()[-1:]
        if before and before[0] in NEGATORS:
            negated_number = True  # "keine 5", "nicht 5 Sterne"
            continue
        rating = _scaled(number, scale)
        if rating is not None:
            return rating
    for words, score in sorted(RATING_WORDS.items(), key=lambda kv: -len(kv[0])):
        if re.search(r"\b" + re.escape(words) + r"\b", low):
            return score
    if negated_number:
        return None
    button = re.fullmatch(r"\s*([1-5])\s*", str(value or ""))
    return int(button.group(1)) if button else None


def rating_was_asked(events: List[Dict[str, Any]]) -> bool:
    """Whether the bot's last question before the customer's latest message asked for the rating."""
    return last_question(events) in RATING_QUESTIONS


def previous_rating(events: List[Dict[str, Any]]) -> Any:
    """The rating stored before the customer's latest message (the slot mapping may have overwritten it)."""
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    before = events[: users[-1]] if users else events
    for event in reversed(before):
        if event.get("event") == "slot" and event.get("name") == "rating":
            return event.get("value")
    return None


class ActionRate(Action):
    """Stores the 1-5 rating: the hub records the `rating` payload on the conversation."""

    def name(self) -> str:
        return "action_rate"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if not rating_was_asked(tracker.events):
            # "4" or "gut" out of the blue is no rating: "Na gut." is an okay (answered briefly, the
            # context kept), anything else is asked what is meant; an earlier rating is kept.
            kept = SlotSet("rating", previous_rating(tracker.events))
            short = open_request.answer(dispatcher, tracker)
            if short is not None:
                return short + [kept]
            if react(dispatcher, tracker, domain):  # "perfekt 💚": thanks, never "nicht verstanden"
                return [kept]
            dispatcher.utter_message(response="utter_fallback")
            return [kept]
        rating = parse_rating(
            tracker.get_slot("rating"), (tracker.latest_message or {}).get("text") or ""
        )
        if rating is None:
            dispatcher.utter_message(response="utter_ask_rating")
            return []
        dispatcher.utter_message(json_message=wire.rating(rating))
        # Asked at the goodbye (actions/farewell.py): thank and let them go, no "anything else?".
        farewell = tracker.get_slot("rating_asked")
        dispatcher.utter_message(
            response="utter_rating_thanks_bye" if farewell else "utter_rating_thanks", rating=rating
        )
        return [SlotSet("rating", str(rating))]
