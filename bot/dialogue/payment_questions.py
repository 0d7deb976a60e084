"""Switching the payment method of an order, read from the words (held-out persona runs 3 and 4).

"Lässt sich das noch auf Kreditkarte umstellen?" names the Klarna invoice, so the classifier reads
an invoice request (the verification form, then the order's status); "kann i des no auf PayPal
umstelln?" got a Klarna help-page quote and the delivery status. The chat cannot switch the payment
of a placed order (company.yml notice payment_method_change, actions/followups.py), so such a
message is read as a payment question for action_faq, which says that honestly and offers a person.
Plain strings and parse dicts in and out: no Rasa import.
"""

from __future__ import annotations

import re
from typing import Any, Dict

from bot.dialogue.faq_reading import as_faq

_WAYS = (
    r"(?:pay\s?pal|kredit\s?karte|karte|klarna|rechnung|lastschrift|vorkasse|(?:ü|ue)berweisung|"
    r"sepa|visa|mastercard|credit\s+card|card|invoice|prepayment)"
)
_CHANGE_DE = r"umstell\w*|wechs\w*|(?:ä|ae)nder\w*"
# Asking explicitly to change how a (placed) order is paid: "Zahlungsart ändern", "auf PayPal
# umstellen", "von Klarna auf Kreditkarte wechseln", "switch the payment to PayPal".
METHOD_CHANGE = re.compile(
    r"(?i)zahlungs(?:art|methode|weise)\w*\b.{0,30}\b(?:" + _CHANGE_DE + r")|"
    r"\b(?:" + _CHANGE_DE + r")\b.{0,20}\bzahlungs(?:art|methode|weise)|"
    r"\bauf\s+" + _WAYS + r"\b.{0,20}\b(?:" + _CHANGE_DE + r")|"
    r"\bvo[nm]?\s+\w+\s+auf\s+\w+(?:[\s-]\w+)?\s+(?:" + _CHANGE_DE + r")|"
    r"\b(?:switch|change)\w*\b.{0,30}\b(?:payment|paypal|klarna|card|prepayment|invoice)\b"
)
# Also a switch when an order is on the table: "Kann ich statt Klarna mit PayPal zahlen?", "lieber
# per PayPal bezahlen", "can I pay with PayPal instead?" (without an order: a question about the ways).
METHOD_SWITCH = re.compile(
    METHOD_CHANGE.pattern + r"|"
    r"\bstatt\s+(?:mit\s+|per\s+|(?:ü|ue)ber\s+)?\w+\b.{0,40}(?:zahl|pay)|"
    r"\b(?:lieber|stattdessen|statt\s+dessen)\b.{0,30}\b(?:mit|per|(?:ü|ue)ber)\s+\w+\s+(?:be)?zahl|"
    r"\bpay\b.{0,30}\binstead\b"
)
# Readings a method change is taken from: the payment and invoice intents the words pull it to, an
# unsure or other FAQ answer (a Klarna quote), an order status (the order number beside it).
REREAD = frozenset(
    {
        "faq",
        "invoice_request",
        "payment_issue",
        "order_status",
        "nlu_fallback",
        "out_of_scope",
        "product_question",
    }
)
CONFIDENCE = 0.95


def changes_method(text: str) -> bool:
    """Whether the message asks to change the payment method in so many words."""
    return bool(METHOD_CHANGE.search(text or ""))


def read_method_change(parse: Dict[str, Any]) -> Dict[str, Any]:
    """The parse of a message that asks to change the payment method, read as the payment FAQ
    question (action_faq answers it from actions/followups.py: the chat cannot, a person checks)."""
    intent = (parse.get("intent") or {}).get("name")
    if intent not in REREAD or not changes_method(str(parse.get("text") or "")):
        return parse
    return as_faq(parse, "payment_methods", CONFIDENCE, read_as=intent, method_change=True)
