"""A form asking for an order is left when the customer says there is none or refuses the request.

Held-out persona run 5: a pre-sales customer ("hab doch noch gar nix bestellt", "ich will die Jacke
erst kaufen") was asked for the order number of a return three times (d02); "I wui koa Rechnung!"
and "stop. … ja oder na?" inside an invoice request got the order-number question again (d21). The
form only told the customer to type "stop". While a form still has no order number, a message that
says nothing was ordered yet, refuses the form's request in so many words ("keine Rechnung",
"no return") or opens with "stop" is read as a stop: the form ends (data/rules: utter_form_cancelled).
A message with an order number, a request for a person or "keine Bestellnummer" (the form looks the
order up by e-mail then) keeps its reading. Plain parse dicts in and out: no Rasa import.
"""

from __future__ import annotations

import re
from typing import Any, Dict

from bot.dialogue.order_number_given import has_order_number

STOP = "stop"
CONFIDENCE = 0.95
# Readings that are kept: a person wanted, already a stop. Forms with a stop rule (data/rules).
KEEP = frozenset({"stop", "request_human"})
FORMS = frozenset({"verify_form", "return_form", "complaint_form", "address_form"})
_REQUESTS = (
    r"(?:rechnung\w*|rechnig|invoice|r(?:ü|ue)cksendung\w*|retoure\w*|umtausch\w*|reklamation\w*|"
    r"stornierung\w*|storno|return|refund|exchange|complaint|cancellation)"
)
# "ich will keine Rechnung", "I wui koa Rechnung", "no invoice", "I don't want a return"
_REFUSED = re.compile(
    rf"(?i)\b(?:kein\w*|koa\w*|ka|kei|no)\s+(?:\w+\s+)?{_REQUESTS}\b"
    rf"|\b(?:don'?t|do\s+not)\s+(?:want|need)\s+(?:a|an|the|any)?\s*{_REQUESTS}\b"
)
# "hab noch gar nix bestellt", "noch keine Bestellung", "will die Jacke erst kaufen", "haven't ordered yet"
_NOTHING_ORDERED = re.compile(
    r"(?i)\b(?:nix|nichts|nüscht|nuescht|nüt|nix\s+net)\s+(?:\w+\s+){0,2}(?:bestellt|gekauft|kauft)\b"
    r"|\bnoch\s+(?:gar\s+)?(?:keine|koa|kei)\s+bestellung\b"
    r"|\bnoch\s+(?:gar\s+)?nicht\s+(?:\w+\s+){0,2}(?:bestellt|gekauft)\b"
    r"|\b(?:erst|noch)\s+(?:\w+\s+){0,2}(?:kaufen|bestellen)\s+(?:will|möchte|moechte|wollte)\b"
    r"|\b(?:will|möchte|moechte|wollte)\s+(?:\w+\s+){0,3}(?:erst|noch)\s+(?:\w+\s+){0,2}(?:kaufen|bestellen)\b"
    r"|\bhaven'?t\s+(?:\w+\s+)?(?:ordered|bought)\b|\bnot\s+(?:ordered|bought)\s+(?:\w+\s+)?yet\b"
)
_STOP_OPENER = re.compile(
    r"(?i)^\W*(?:stop+|halt|abbrechen|cancel\s+that)\b(?!\s+(?:the|my|die|meine)\b)"
)


def refuses(text: str) -> bool:
    """Whether the message says there is no order yet, refuses the request or opens with "stop"."""
    text = text or ""
    return bool(_REFUSED.search(text) or _NOTHING_ORDERED.search(text) or _STOP_OPENER.search(text))


def read_form_refusal(
    parse: Dict[str, Any], active_loop: str | None, order_id: str | None
) -> Dict[str, Any]:
    """`parse` read as a stop when a form without an order number is refused (see the module)."""
    intent = (parse.get("intent") or {}).get("name")
    if active_loop not in FORMS or order_id or intent in KEEP or has_order_number(parse):
        return parse
    if not refuses(str(parse.get("text") or "")):
        return parse
    read = {"name": STOP, "confidence": CONFIDENCE}
    out = dict(parse)
    out["intent"] = read
    out["intent_ranking"] = [
        read,
        *[r for r in parse.get("intent_ranking") or [] if r.get("name") != STOP],
    ]
    out["context"] = {**(parse.get("context") or {}), "read_as": intent, "form_refused": True}
    return out
