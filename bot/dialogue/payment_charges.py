"""When a payment way charges, and whether paying costs extra, asked in general (held-out run 7, issue 22).

"Wann bucht ihr bei Lastschrift ab?" was read as a payment problem and got "Wie lautet Ihre
Bestellnummer?"; "Fallen bei PayPal oder Vorkasse Gebühren an?" got a PayPal help-page line. Such
questions need no order: they get the curated answers company.yml faq.charge_timing (card and debit
charge at shipping, Klarna after delivery, prepayment before) and faq.payment_fees (no fee for any
way), read from the words. A message with an order number, or once an order is verified, keeps its
reading: the order's own payment state answers (actions/followups.py). Plain parse dicts in and out.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Sequence

from bot.dialogue.faq_reading import as_faq
from bot.dialogue.order_number_given import has_order_number
from bot.dialogue.payment_questions import CONFIDENCE, rereadable
from bot.dialogue.questions import asks_a_question

# A way that charges later (card, direct debit) or the charge itself.
_CHARGING = (
    r"(?:kredit\s?karte|karte|lastschrift|sepa|visa|mastercard|credit\s+card|card|direct\s+debit)"
)
_CHARGE = (
    r"(?:ab(?:ge)?buch\w*|bucht\w*|belast\w*|eingezogen|einzieh\w*|zieh\w*|charg\w*|debit\w*|taken)"
)
CHARGED_WHEN = re.compile(
    rf"(?i)\bwann\b.{{0,60}}\b{_CHARGE}|\b{_CHARGE}\b.{{0,60}}\b(?:sofort|gleich|direkt|erst|"
    rf"beim\s+bestellen|beim\s+versand)\b|\b(?:sofort|gleich|direkt)\b.{{0,20}}\b{_CHARGE}|"
    rf"\bwhen\b.{{0,50}}\b{_CHARGE}"
)
CHARGING_WAY = re.compile(rf"(?i)\b{_CHARGING}\b|\bab(?:ge)?buch|\bbelast")
# Charged already, twice, refunded: the order's own money matter, not the general rule.
MADE = re.compile(
    r"(?i)\b(?:wurde[n]?|habt|haben|hat|schon|bereits|zweimal|doppelt|already|twice|was|were|has)\b|"
    r"zur(?:ü|ue)ck|r(?:ü|ue)ck|erstatt|refund|storn|cancel"
)
FEES = re.compile(
    r"(?i)\bgeb(?:ü|ue)hr\w*|\baufpreis\w*|\bzuschl(?:a|ä|ae)g\w*|\bextra\s+(?:kosten|zahlen|bezahlen)\b|"
    r"\bkoste[tn]?\b.{0,30}\bextra\b|\bfees?\b|\bsurcharge\w*|\bextra\s+charges?\b|\bcost\s+extra\b"
)
PAY_WORDS = re.compile(
    r"(?i)zahl|paypal|klarna|karte|lastschrift|vorkasse|(?:ü|ue)berweis|rechnung|payment|\bpay\b|card"
)
# Fees of shipping, customs or a return are other answers (shipping costs, customs, returns).
OTHER_FEES = re.compile(
    r"(?i)versand|zoll|customs|shipping|express|r(?:ü|ue)cksend|\breturn|door|t(?:ü|ue)r|bank\w*geb"
)


def asks_charge_timing(text: str) -> bool:
    """Whether the message asks in general when a card or direct debit is charged."""
    text = text or ""
    return bool(CHARGED_WHEN.search(text) and CHARGING_WAY.search(text)) and not MADE.search(text)


def asks_fees(text: str) -> bool:
    """Whether the message asks whether a payment way costs extra (not shipping, customs, a refund)."""
    text = text or ""
    return (
        bool(FEES.search(text) and PAY_WORDS.search(text))
        and not OTHER_FEES.search(text)
        and not MADE.search(text)
    )


def read_charge_question(
    parse: Dict[str, Any], verified_order: str | None = None, earlier: Sequence[str] = ()
) -> Dict[str, Any]:
    """The parse of a general question when paying charges or whether it costs extra, read as its
    curated answer (see the module); otherwise the parse unchanged. A form left with "ich hab noch
    nichts bestellt, ich frag vorher" and no question of its own answers the question before it
    (`earlier`, the customer's previous messages; held-out run 8, e12 t5 got only "abgebrochen")."""
    intent = (parse.get("intent") or {}).get("name")
    text = str(parse.get("text") or "")
    if verified_order or has_order_number(parse):
        return parse
    refused = intent == "stop" and (parse.get("context") or {}).get("form_refused")
    if refused and earlier and not asks_a_question(text):
        text = earlier[-1]
    if asks_fees(text) and rereadable(parse, FEES):
        return as_faq(parse, "payment_fees", CONFIDENCE, read_as=intent)
    if asks_charge_timing(text) and rereadable(parse, CHARGED_WHEN):
        return as_faq(parse, "charge_timing", CONFIDENCE, read_as=intent)
    return parse
