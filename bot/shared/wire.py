"""The wire between Rasa and the hub, spelled once for both sides (model: rasa-sdk's `events.py`).

Two things cross it:
- custom payloads on the bot's answers (`{"custom": {...}}`): the NLU's reading of the customer
  message, a handoff request, a satisfaction rating, a failed turn, what the bot showed from
  the help pages (the knowledge base) and whether it helped, a contact the customer gave for
  the open request, and a note for that request (a wish the team should know). The actions and the Rasa
  channel build them with the functions below; the hub reads them with `custom_of`.
- metadata on a customer message (`MessageMetadata`): the channel, the hub's keyed hash of the
  client address (verification limits) and whether the widget already showed the welcome.

A key renamed here is renamed on both sides; `tests/unit/shared/test_wire.py` runs the round trip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Tuple

Json = Dict[str, Any]

NLU = "nlu"
HANDOFF = "handoff"
RATING = "rating"
TURN_FAILED = "turn_failed"
KNOWLEDGE = "knowledge"
CONTACT = "contact"
NOTE = "note"
KINDS = (NLU, HANDOFF, RATING, TURN_FAILED, KNOWLEDGE, CONTACT, NOTE)

# Handoff priorities and the agent-facing label of each reason the dialogue may give.
URGENT = "urgent"
NORMAL = "normal"
REASON_LABELS = {
    "customer_request": "Kunde möchte einen Menschen",
    "frustration": "Kunde ist verärgert",
    "repeated_fallback": "Bot hat zweimal nicht verstanden",
    "human_only_topic": "Thema nur für Menschen",
    "declined_answers": "Antworten des Bots abgelehnt",
    "bot_cannot_act": "Bot kann das nicht selbst erledigen",
    "verification_failed": "E-Mail-Prüfung fehlgeschlagen",
    "bot_unavailable": "Assistent nicht erreichbar",
}


def handoff(reason: str, priority: str, summary: Mapping[str, Any]) -> Json:
    """The `json_message` an action dispatches; Rasa delivers it as the answer's `custom`."""
    return {
        HANDOFF: {
            "reason": reason,
            "reason_label": REASON_LABELS.get(reason, reason),
            "priority": priority,
            "summary": dict(summary),
        }
    }


def rating(stars: int) -> Json:
    """The customer's 1-5 rating, as an action's `json_message`."""
    return {RATING: stars}


def contact(ticket: int, address: str) -> Json:
    """An e-mail address or phone number the customer gave for the conversation's open request
    (`ticket`), as an action's `json_message`: the hub notes it on the request and confirms it."""
    return {CONTACT: {"ticket": int(ticket), "contact": address}}


def note(ticket: int, text: str) -> Json:
    """A wish the customer gave for the conversation's open request (`ticket`) - "bitte nur bis 17 Uhr
    anrufen", "tell the team I'd prefer a replacement" - as an action's `json_message`: the hub adds it
    to the request's note; the bot acknowledges it itself."""
    return {NOTE: {"ticket": int(ticket), "note": text}}


def knowledge(
    question_id: str | None,
    hit: Mapping[str, Any] | None,
    abstained: bool,
    helpful: bool | None = None,
    attempt: int = 1,
) -> Json:
    """What the bot showed from the help pages, as an action's `json_message`: the page and passage
    (`hit`: page_id, title, url, passage_id, score; the best one even when the bot abstained, None
    when nothing came back), whether it abstained, the customer's verdict (`helpful`: None on the
    answer itself, True/False on the feedback), the attempt (2: the next-best passage) and the hub's
    id of the customer message that asked (`question_id`). The hub counts these (reports) and lists
    abstentions and unhelpful answers as content gaps."""
    fields = ("page_id", "title", "url", "passage_id", "score")
    return {
        KNOWLEDGE: {
            **{key: (hit or {}).get(key) for key in fields},
            "question_id": question_id,
            "abstained": bool(abstained),
            "helpful": helpful,
            "attempt": attempt,
        }
    }


def nlu_answer(parse: Mapping[str, Any]) -> Json:
    """The NLU reading of the customer message, appended by the Rasa channel as one extra answer."""
    return {"custom": {NLU: dict(parse)}}


def turn_failed_answer(actions: Iterable[str]) -> Json:
    """The only answer of a turn whose custom action failed (Rasa reverted it; the hub retries)."""
    return {"custom": {TURN_FAILED: list(actions)}}


def custom_of(answer: Mapping[str, Any]) -> Tuple[str, Any] | None:
    """Which known payload an answer carries, and its value; None for text, buttons or other custom."""
    custom = answer.get("custom")
    if not isinstance(custom, dict):
        return None
    for kind in KINDS:
        if kind in custom:
            return kind, custom[kind]
    return None


def failed_actions(answers: Iterable[Mapping[str, Any]]) -> List[str]:
    """The actions of a failed turn, empty when the turn went through."""
    for answer in answers:
        found = custom_of(answer)
        if found is not None and found[0] == TURN_FAILED:
            return [str(a) for a in found[1] or []]
    return []


@dataclass(frozen=True)
class MessageMetadata:
    """What the hub tells Rasa about one customer message (Rasa stores it on the user event)."""

    channel: str | None = None
    client: str | None = None  # keyed hash of the client address, never the address
    welcomed: bool = False  # the widget showed the welcome: Rasa greets without introducing itself

    def to_json(self) -> Json:
        out: Json = {}
        if self.channel:
            out["channel"] = self.channel
        if self.client:
            out["client"] = self.client
        if self.welcomed:
            out["welcomed"] = True
        return out

    @classmethod
    def from_json(cls, metadata: Any) -> MessageMetadata:
        """Tolerant: Rasa hands back whatever a caller sent, including nothing."""
        if not isinstance(metadata, dict):
            return cls()
        channel, client = metadata.get("channel"), metadata.get("client")
        return cls(
            channel=str(channel) if channel else None,
            client=str(client) if client else None,
            welcomed=metadata.get("welcomed") is True,
        )
