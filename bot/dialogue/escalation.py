"""When must a human take over? One decision shared by the policy and the actions.

Works on tracker events as plain dicts (what rasa-sdk hands the actions and
what `Event.as_dict()` gives the policy), so both sides agree exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List

from bot.dialogue.beyond_reach import beyond_reach
from bot.dialogue.emotion import emotion_of
from bot.dialogue.human_request import accepts_offer, asks_for_person
from bot.dialogue.mood import conversation_mood, score_text
from bot.dialogue.pending import answers_a_question
from bot.dialogue.team_note import passes_on, request_open, wish_for_team
from bot.shared.company import Company
from bot.shared.wire import KNOWLEDGE, NORMAL, URGENT

TOPIC_INTENTS = {
    "order_status",
    "cancel_order",
    "return_item",
    "complaint",
    "change_address",
    "payment_issue",
    "invoice_request",
    "account_help",
    "faq",
}
FALLBACK = "nlu_fallback"
DECLINES = {"deny", "correct"}  # "nein" / "stimmt nicht" to an answer


CANNOT_ACT = "bot_cannot_act"


@dataclass(frozen=True)
class Escalation:
    reason: str
    priority: str
    detail: str | None = None


def user_turns(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [e for e in events if e.get("event") == "user"]


def intent_of(event: Dict[str, Any]) -> str | None:
    intent = (event.get("parse_data") or {}).get("intent") or {}
    return intent.get("name")


def mood_of(event: Dict[str, Any]) -> float:
    """The MoodAnalyzer's score, or scored now when the parse lacks it (e.g. `rasa test`).

    A grieving or worried message is no frustration, although its words score negative ("gestorben",
    "Betrug"): it counts as calm, so it neither escalates as anger nor colours the mood trend (issue 22.7)."""
    text = event.get("text") or ""
    if emotion_of(text).name in ("grief", "worry"):
        return 0.0
    mood = (event.get("parse_data") or {}).get("mood")
    if mood is None:
        return score_text(text).score
    return float(mood.get("score") or 0.0)


def mood_trend(events: List[Dict[str, Any]]) -> List[float]:
    return [round(mood_of(e), 2) for e in user_turns(events)]


def current_mood(events: List[Dict[str, Any]]) -> float:
    turns = user_turns(events)
    return conversation_mood([mood_of(e) for e in turns], [intent_of(e) for e in turns])


def current_topic(events: List[Dict[str, Any]]) -> str | None:
    """The latest topic the customer raised; FAQ topics with their key (faq/shipping_costs)."""
    for event in reversed(user_turns(events)):
        intent = (event.get("parse_data") or {}).get("intent") or {}
        name = intent.get("name")
        if name and name.split("/")[0] in TOPIC_INTENTS:
            return str(intent.get("full_retrieval_intent_name") or name)
    return None


def declines_on_topic(events: List[Dict[str, Any]]) -> int:
    """'No' answers since the customer last raised the current topic, outside forms.

    Only a "no" to an answer counts: "nein danke" to "anything else?", to a confirmation or to
    the offer of a human answers a yes/no question and declines nothing.
    """
    start = 0
    for idx, event in enumerate(events):
        if event.get("event") == "user" and (intent_of(event) or "").split("/")[0] in TOPIC_INTENTS:
            start = idx + 1
    count = 0
    in_form = False
    for offset, event in enumerate(events[start:]):
        if event.get("event") == "active_loop":
            in_form = bool(event.get("name"))
        elif event.get("event") == "user" and intent_of(event) in DECLINES and not in_form:
            if not answers_a_question(events, start + offset):
                count += 1
    return count


def answered_from_pages(events: List[Dict[str, Any]], turn: Dict[str, Any]) -> bool:
    """Whether the bot answered the user event `turn` with a quote from the help pages (a custom
    `knowledge` block that is no abstention): a fallback answered that way was no miss."""
    start = next((i for i, event in enumerate(events) if event is turn), len(events))
    for event in events[start + 1 :]:
        if event.get("event") == "user":
            break
        custom = (event.get("data") or {}).get("custom") if event.get("event") == "bot" else None
        block = custom.get(KNOWLEDGE) if isinstance(custom, dict) else None
        if isinstance(block, dict) and not block.get("abstained"):
            return True
    return False


def since_resume(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Events after the last hand-back: what happened before was already handled."""
    for idx in range(len(events) - 1, -1, -1):
        if events[idx].get("event") == "resume":
            return events[idx + 1 :]
    return events


def decide(events: List[Dict[str, Any]], company: Company) -> Escalation | None:
    """The escalation the latest user message calls for, if any."""
    noting = request_open(events)  # set before the hub's hand-back, so read on all events
    everything = events
    events = since_resume(events)
    turns = user_turns(events)
    if not turns:
        return None
    latest = turns[-1]
    if noting and wish_for_team(latest.get("text") or ""):
        return None  # "ruf mich bitte an" with the request open: a note for it (team_note.py)
    intent = intent_of(latest)
    if passes_on(
        everything, latest.get("text") or "", intent
    ):  # "sagen Sie der Buchhaltung Bescheid"
        return Escalation("customer_request", NORMAL)
    topic = company.human_only_topic(latest.get("text") or "")
    if topic:
        return Escalation("human_only_topic", URGENT, topic)
    decisions = beyond_reach(latest.get("text") or "")
    if decisions:  # a money decision the bot cannot make: said so, and handed over (persona run 2)
        return Escalation(CANNOT_ACT, NORMAL, ", ".join(decisions))
    # Anger alone creates nothing: the bot acknowledges it, keeps working on the request and offers a
    # person (actions/faq.py); the handoff follows the customer's own request or yes (issue 22).
    if (
        intent == "request_human"
        or asks_for_person(latest.get("text") or "")
        or (intent != "affirm" and accepts_offer(events))  # a bare "ja": action_answer hands over
    ):
        return asked_for_person(events, company)
    if (
        intent == FALLBACK
        and len(turns) >= 2
        and intent_of(turns[-2]) == FALLBACK
        and not (noting and wish_for_team(turns[-2].get("text") or ""))  # that was a note
        and not answered_from_pages(events, turns[-2])
    ):
        return Escalation("repeated_fallback", NORMAL)
    if (
        intent in DECLINES
        and not answers_a_question(events, events.index(latest))
        and declines_on_topic(events) >= company.max_declines
    ):
        return Escalation("declined_answers", NORMAL, current_topic(events))
    return None


def frustrated(events: List[Dict[str, Any]], company: Company) -> bool:
    """The conversation's mood is at the company's frustration threshold (since the last hand-back),
    now or one message ago: "Dann will ich sofort einen Menschen sprechen!" right after an outburst
    asks for a person *because* of the anger, although its own words score calm."""
    events = since_resume(events)
    turns = user_turns(events)
    before = events[: events.index(turns[-1])] if turns else []
    return max(current_mood(events), current_mood(before)) >= company.frustration_threshold


def asked_for_person(events: List[Dict[str, Any]], company: Company) -> Escalation:
    """The handoff the customer asked for: urgent, as frustration, when the mood runs high."""
    if frustrated(events, company):
        return Escalation("frustration", URGENT)
    return Escalation("customer_request", NORMAL)
