"""A death told while a form asks why is the answer, not a stop (held-out run 7, d28).

"Er ist tot. Das habe ich doch geschrieben." at "Was ist der Grund für die Rücksendung?" was read as
`stop` and the return was dropped ("Alles klar, ich habe das abgebrochen") - to a bereaved mother. A
message that tells of a death (bot/dialogue/emotion.py GRIEF) while the form waits for the reason or
the complaint details is read as that answer (`inform`): the form stores it (the return's reason
becomes "Todesfall", actions/verification.py) and goes on. A request for a person keeps its reading,
and so does a question. Plain parse dicts in and out: no Rasa import.
"""

from __future__ import annotations

from typing import Any, Dict

from bot.dialogue.emotion import GRIEF
from bot.dialogue.questions import asks_a_question

ANSWER = "inform"
CONFIDENCE = 0.95
# Slots whose answer is the customer's own words about why.
REASON_SLOTS = frozenset({"return_reason", "complaint_details"})
# Readings a told death is mistaken for at those slots: a stop, a FAQ answer, nothing sure.
_MISREAD = frozenset({"stop", "faq", "nlu_fallback", "out_of_scope", "deny"})


def read_bereaved_answer(
    parse: Dict[str, Any], active_loop: str | None, requested_slot: str | None
) -> Dict[str, Any]:
    """`parse` read as the answer to the form's why-question when it tells of a death (see the module)."""
    intent = (parse.get("intent") or {}).get("name")
    text = str(parse.get("text") or "")
    if (
        not active_loop
        or requested_slot not in REASON_SLOTS
        or intent not in _MISREAD
        or not GRIEF.search(text)
        or (intent == "faq" and asks_a_question(text))
    ):
        return parse
    out = dict(parse)
    out["intent"] = {"name": ANSWER, "confidence": CONFIDENCE}
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != ANSWER]
    out["intent_ranking"] = [dict(out["intent"]), *ranking]
    out["context"] = {**(parse.get("context") or {}), "read_as": intent, "bereaved_answer": True}
    return out
