"""A message that gives its order number is never asked where the order number is (held-out run 5).

"Bestellnummer 100241 … den Zettel mit der Kontonummer verlegt" and "I hob eh die Nummer, 100236!"
were read as the FAQ answer about having no order number ("Die Bestellnummer steht in Ihrer
Bestellbestätigung …"), the words "Nummer" and "verlegt" pulling the classifier there. A message
with a six-digit order number in it has that number: the next FAQ answer in the selector's ranking
is taken instead, as sure as the classifier was of it.
Plain parse dicts in and out: no Rasa import.
"""

from __future__ import annotations

import math
from typing import Any, Dict

from bot.dialogue.faq_reading import as_faq
from bot.shared.understanding import ORDER_ID

# Answers about finding or lacking the order number: wrong for a message that names it.
WHERE_IS_IT = frozenset({"faq/no_order_number", "faq/order_number_help"})


def has_order_number(parse: Dict[str, Any]) -> bool:
    """Whether the message names an order number (an entity or the number in its words)."""
    if any(e.get("entity") == "order_id" for e in parse.get("entities") or []):
        return True
    return bool(ORDER_ID.search(str(parse.get("text") or "")))


def read_given_number(parse: Dict[str, Any]) -> Dict[str, Any]:
    """`parse` with the where-is-my-order-number answer replaced when the message gives the number."""
    intent = parse.get("intent") or {}
    if intent.get("name") != "faq":
        return parse
    selector = (parse.get("response_selector") or {}).get("faq") or {}
    key = (selector.get("response") or {}).get("intent_response_key")
    if key not in WHERE_IS_IT or not has_order_number(parse):
        return parse
    others = [
        r
        for r in selector.get("ranking") or []
        if r.get("intent_response_key") and r.get("intent_response_key") not in WHERE_IS_IT
    ]
    if not others:
        return parse
    best = others[0]
    name = str(best["intent_response_key"]).split("/", 1)[-1]
    # as sure as the runner-up was (action_faq multiplies intent and key confidence): a weak one
    # competes with the help pages there, a sure one is answered
    sure = math.sqrt(float(intent.get("confidence") or 0.0) * float(best.get("confidence") or 0.0))
    return as_faq(parse, name, sure, order_number_given=True)
