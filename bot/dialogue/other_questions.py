"""The other questions of a message after a reader set its reading from the words.

The classifier lists the further requests of a message (`other_requests`, bot/rasa_plugins/clauses.py).
A reader that knows better from the words (an English core question, bot/dialogue/english_questions.py)
may then set the reading to the very FAQ answer one of those lists: "does the jacket run small? Also,
can I pay with PayPal?" was read as the payment answer, listed the payment question as the second one
too, and the sizing question was dropped without a word (held-out persona run 2, d15). Here the list
follows the new reading: the answer given is not listed again, and an English question of the message
that asks something else is listed as "unknown" - the bot says it cannot answer it surely and offers a
person (actions/second_request.py). Plain dicts in and out.
"""

from __future__ import annotations

from typing import Any, Dict, List

from bot.dialogue.english_questions import faq_key
from bot.dialogue.questions import question_clauses

UNKNOWN = "unknown"  # the intent of a question no clause of which is read surely (other_requests)
MAX_OTHER_REQUESTS = 2  # further requests listed per message


def _key(parse: Dict[str, Any]) -> str | None:
    selector = (parse.get("response_selector") or {}).get("faq") or {}
    key = (selector.get("response") or {}).get("intent_response_key")
    return str(key) if key else None


def settle(parse: Dict[str, Any], english: bool) -> Dict[str, Any]:
    """`parse` with its other requests matching its reading: a FAQ answer it is read as is not
    listed again; for an English question re-read from its words (context `read_as`), the other
    questions of another topic are listed as UNKNOWN."""
    if (parse.get("intent") or {}).get("name") != "faq":
        return parse
    key = _key(parse)
    if not key:
        return parse
    others: List[Dict[str, Any]] = [
        dict(r) for r in parse.get("other_requests") or [] if r.get("key") != key
    ]
    if english and (parse.get("context") or {}).get("read_as"):
        asked = question_clauses(str(parse.get("text") or ""))
        if len(asked) >= 2:
            topic = key.split("/", 1)[-1]
            listed = {str(r.get("text") or "").lower() for r in others}
            for question in asked:
                if faq_key(f"{question}?") == topic or question.lower() in listed:
                    continue
                others.append({"intent": UNKNOWN, "key": None, "text": question, "confidence": 0.0})
    if others == list(parse.get("other_requests") or []):
        return parse
    out = dict(parse)
    if others:
        out["other_requests"] = others[:MAX_OTHER_REQUESTS]
    else:
        out.pop("other_requests", None)
    return out
