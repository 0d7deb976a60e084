"""A form asking for an order is left when the customer says there is none or refuses the request.

Held-out persona run 5: a pre-sales customer ("hab doch noch gar nix bestellt", "ich will die Jacke
erst kaufen") was asked for the order number of a return three times (d02); "I wui koa Rechnung!"
and "stop. … ja oder na?" inside an invoice request got the order-number question again (d21). The
form only told the customer to type "stop". While a form still has no order number, a message that
says nothing was ordered yet, refuses the form's request in so many words ("keine Rechnung",
"no return") or opens with "stop" is read as a stop: the form ends (data/rules: utter_form_cancelled).
A message with an order number, a request for a person or "keine Bestellnummer" (the form looks the
order up by e-mail then) keeps its reading. At the complaint form, "mit dem Artikel ist nichts" is a
stop even with the order known: the form was started by mistake (held-out run 8, e15). Plain parse dicts in and out: no Rasa import.
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
    # "ich frag VORHER", "ich frage nur vorab", "will das vorher wissen" (held-out run 8, e12 t5)
    r"|\bfrag\w*\s+(?:\w+\s+){0,2}(?:vorher|vorab|vor\s+dem\s+(?:bestellen|kauf(?:en)?))\b"
    r"|\b(?:vorher|vorab)\s+(?:\w+\s+){0,2}(?:frag\w*|wissen)\b"
    r"|\b(?:bestellt|gekauft)\s+(?:hab\w*|ist)\s+(?:ich\s+)?(?:noch\s+)?(?:gar\s+)?(?:nichts|nix|nüscht)\b"
)
# "mit dem Artikel ist nichts", "an der Jacke ist nichts kaputt", "nothing wrong with it" at the
# complaint form: it was started by mistake (held-out run 8, e15: a delivery question got "Was stimmt
# mit dem Artikel nicht?" three times), so it is left even with the order known.
_NOTHING_WRONG = re.compile(
    r"(?i)\b(?:mit|an)\s+(?:dem|der|den|meine[mrn]?)\s+\w+\s+(?:ist|sind|stimmt)\s+(?:doch\s+|auch\s+)?"
    r"(?:gar\s+)?(?:nichts|nix|alles\s+(?:ok|okay|in\s+ordnung|gut))\b(?!\s+(?:mehr|zu\s+machen))"
    r"|\b(?:nichts|nix)\s+(?:\w+\s+)?(?:kaputt|defekt|kaputtgegangen)\b|\bkein(?:en)?\s+(?:mangel|defekt)\b"
    r"|\bnothing\s+(?:is\s+)?wrong\s+with\b"
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
    text = str(parse.get("text") or "")
    if active_loop == "complaint_form" and intent not in KEEP and _NOTHING_WRONG.search(text):
        return _as_stop(parse, intent)
    if active_loop not in FORMS or order_id or intent in KEEP or has_order_number(parse):
        return parse
    if not refuses(text):
        return parse
    return _as_stop(parse, intent)


def _as_stop(parse: Dict[str, Any], intent: Any) -> Dict[str, Any]:
    """The parse read as a stop of a refused form, its own reading kept in the context."""
    read = {"name": STOP, "confidence": CONFIDENCE}
    out = dict(parse)
    out["intent"] = read
    out["intent_ranking"] = [
        read,
        *[r for r in parse.get("intent_ranking") or [] if r.get("name") != STOP],
    ]
    out["context"] = {**(parse.get("context") or {}), "read_as": intent, "form_refused": True}
    return out
