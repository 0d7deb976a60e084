"""Short answers read in the context of the bot's question.

When a form has just asked for the order number or e-mail address, "Anna Schmidt",
"12345" or "weiß ich nicht mehr genau" is an answer to that question, whatever the
classifier makes of it without context (a bare number looks like a star rating, a name
like something out of scope). Rasa's NLU graph does not see the tracker, so this runs on
the parse result in MessageProcessor.parse_message (wrapped in understanding.py) and
changes only what the context settles:

- a short message that reads as out_of_scope, rate or nlu_fallback becomes `inform`, so
  the form's rules answer "that is not a valid order number" instead of a rating thanks;
- a bare number while the order number is asked for becomes the `order_id` entity even
  when its format is wrong, so the form's validation can say what is wrong with it.

A message that only announces the value ("So, bin so weit!!", "okay, here we go") is read as
the answer too, whatever slot the form asks for (bot/dialogue/ready.py): the form asks again
instead of the empathy and menu an exclamation mark would get.

Everything else (deny to stop the form, a FAQ question, asking for a human) stays as is.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from bot.dialogue.ready import read_ready

ANSWER_SLOTS = frozenset({"order_id", "email"})
CONTEXT_FREE_READINGS = frozenset({"out_of_scope", "rate", "nlu_fallback"})
MAX_WORDS = 4
_NUMBER = re.compile(r"(?<![\w@.])(?:KD-?\s?)?\d[\d ]{2,10}\d(?![\w@])", re.IGNORECASE)
CONTEXT_CONFIDENCE = 0.9


def read_in_context(
    parse: Dict[str, Any], active_loop: str | None, requested_slot: str | None
) -> Dict[str, Any]:
    """The parse with a short answer read as the answer to the form's question (a new dict; the input is kept)."""
    parse = read_ready(parse, active_loop, requested_slot)
    text = str(parse.get("text") or "")
    if not active_loop or requested_slot not in ANSWER_SLOTS or len(text.split()) > MAX_WORDS:
        return parse
    out = dict(parse)
    intent = (parse.get("intent") or {}).get("name")
    if intent in CONTEXT_FREE_READINGS:
        ranking: List[Dict[str, Any]] = [
            r for r in parse.get("intent_ranking") or [] if r.get("name") != "inform"
        ]
        out["intent"] = {"name": "inform", "confidence": CONTEXT_CONFIDENCE}
        out["intent_ranking"] = [dict(out["intent"]), *ranking]
        out["context"] = {
            "active_loop": active_loop,
            "requested_slot": requested_slot,
            "read_as": intent,
        }
    entities = list(parse.get("entities") or [])
    number = _NUMBER.search(text)
    if (
        requested_slot == "order_id"
        and number
        and not any(e.get("entity") == "order_id" for e in entities)
    ):
        entities.append(
            {
                "entity": "order_id",
                "value": number.group(0).strip(),
                "start": number.start(),
                "end": number.end(),
                "extractor": "context",
            }
        )
    out["entities"] = entities
    return out
