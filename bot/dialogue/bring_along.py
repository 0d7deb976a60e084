"""A question about what to bring (to a shop, for an exchange) is no request for an invoice.

"Brauch i do wos mitbringa, Rechnung oder so?" (held-out persona run 5, d21) was read as an invoice
request: the bot queued "Zu Ihrer zweiten Bitte (Rechnung)" and asked for an order number three
times, though the customer only named the invoice as a thing she might have to bring along. Such a
question is answered from the help pages (the exchange page says what to bring to a shop) or
honestly, never by starting the invoice form (nor with a curated answer that does not say it, nor the
return form); an invoice request listed beside it is dropped. A
message that asks for the invoice to be sent ("schicken Sie mir die Rechnung") keeps its reading.
Plain parse dicts in and out: no Rasa import.
"""

from __future__ import annotations

import re
from typing import Any, Dict

from bot.dialogue.reading import read_as
from bot.dialogue.spelling import normalize

INVOICE = "invoice_request"
# Readings such a question is taken from: the invoice it names, a curated answer (none says what to
# bring: the return policy was quoted for "muss ich zum Umtausch in der Filiale was mitbringen?"), a
# new return its exchange word pulls it to, nothing sure.
READINGS = frozenset({INVOICE, "faq", "return_item", "nlu_fallback", "out_of_scope"})
ANSWER = "product_question"  # action_answer_from_knowledge: the help pages, else honestly nothing
CONFIDENCE = 0.9
# Bringing or showing something along: "mitbringen", "mitzubringen", "mitnehmen", "dabeihaben",
# "vorzeigen", "bring along", "bring with me", "need to bring", "take with me".
_BRING = re.compile(
    r"(?i)\bmit\s?(?:zu)?bring\w*|\bmitbringa\b|\bmit\s?(?:zu)?nehm\w*|\bmitzunehmen\b|"
    r"\bdabei\s?(?:zu\s?)?hab\w*|\bvor\s?(?:zu)?zeig\w*|\bvorlegen\b|\bvorzulegen\b|"
    r"\bbring\w*\s+(?:\w+\s+){0,3}?(?:along|with\s+me|to\s+the\s+(?:shop|store))\b|"
    r"\b(?:need|have|got)\s+to\s+(?:bring|show|take)\b|\btake\s+(?:\w+\s+){0,3}?with\s+me\b"
)
# What makes it a question of what is needed ("muss ich …", "brauche ich …", "do I need to …"): "kann
# ich die Jacke gleich mitnehmen?" is no such question.
_NEED = re.compile(
    r"(?i)\b(?:muss|musst|m(?:ü|ue)ssen|soll|sollte|sollen|brauch\w*|n(?:ö|oe)tig|notwendig|need|"
    r"have\s+to|has\s+to|should|must|required)\b"
)
# Asking for the invoice to be sent or made: the invoice request itself.
_SEND_INVOICE = re.compile(
    r"(?i)\b(?:schick|send|mail|zusend|zuschick|ausstell|erstell|brauche\s+(?:eine|die|meine)\s+"
    r"rechnung\s+f(?:ü|ue)r)\w*"
)


def asks_what_to_bring(text: str) -> bool:
    """Whether the message asks what to bring or show (the invoice only as a thing to bring), and
    asks for nothing to be sent."""
    text = text or ""
    words = f"{text}\n{normalize(text)}"
    return bool(_BRING.search(words) and _NEED.search(words)) and not _SEND_INVOICE.search(words)


def read_bring_along(parse: Dict[str, Any], active_loop: str | None) -> Dict[str, Any]:
    """`parse` of a question about what to bring read as a question for the help pages when the
    classifier took it for the invoice it names, a curated answer or a new return (READINGS); an
    invoice request listed beside another reading is dropped. Inside a form the form's own checks
    decide."""
    if active_loop:
        return parse
    text = str(parse.get("text") or "")
    if not asks_what_to_bring(text):
        return parse
    out = parse
    intent = (parse.get("intent") or {}).get("name")
    # a curated answer beside further questions answers one of them (action_faq answers the rest)
    beside = intent == "faq" and bool(parse.get("other_requests"))
    if intent in READINGS and not beside:
        out = read_as(parse, ANSWER, CONFIDENCE, read_as=intent, bring_along=True)
    listed = out.get("other_requests") or []
    kept = [r for r in listed if r.get("intent") != INVOICE]
    if len(kept) != len(listed):
        out = dict(out)
        if kept:
            out["other_requests"] = kept
        else:
            out.pop("other_requests", None)
    return out
