"""A name, company or address wanted on the invoice is an invoice correction, not an address change.

"The INVOICE needs my company name", "Can you change the invoice address?" and "Bitte den Firmennamen
auf die Rechnung" were read as a delivery-address change: the bot said twice that the delivered
parcel's address can no longer be changed (held-out run 7, d27). The words name the invoice and
what should stand on it, so the message is the invoice request (actions/orders.py: accounting
gets the correction as a ticket). A delivery named as wanted ("Lieferadresse und Rechnung ändern")
keeps the address change; one named as not meant ("not the delivery address") does not.
Plain parse dicts in and out: no Rasa import.
"""

from __future__ import annotations

import re
from typing import Any, Dict

from bot.dialogue.reading import read_as

INVOICE = "invoice_request"
# The readings an invoice detail is taken from: the address change, a payment-method or other FAQ
# answer its "change the invoice" pulls it to (run 7, d27 t3/t4), and the bare data reading a
# request with an e-mail, an order number and a tax number gets ("Bitte stellen Sie die Rechnung zu
# 100336 auf unsere Firma … aus, USt-IdNr. …, <e-mail>" got "Worum geht es?", run 8 e18 in own words).
READINGS = frozenset({"change_address", "faq", "payment_issue", "inform"})
CONFIDENCE = 0.9
_INVOICE = re.compile(r"(?i)\b(?:invoice\w*|rechnung\w*|billing|bill)\b|rechnungs\w*")
# What should stand on it: a company, a name, an address, a tax number.
_DETAIL = re.compile(
    r"(?i)\b(?:company|business|employer|firm\w*|arbeitgeber\w*|gmbh|ag|ug|name\w*|"
    r"\w*adress\w*|address\w*|anschrift\w*|vat|ust\w*|tax|steuer\w*)\b|firmen\w*"
)
_NEG = r"(?:not|nicht|keine?n?|no|nix|ned)"
_DELIVERY = re.compile(r"(?i)\b(?:liefer\w*|delivery|shipping|versand\w*)\b")
_DELIVERY_DENIED = re.compile(
    rf"(?i)\b{_NEG}\s+(?:\w+\s+){{0,2}}?(?:die\s+|the\s+|my\s+|meine\s+)?(?:liefer\w*|delivery|shipping|versand\w*)"
)


def names_invoice_detail(text: str) -> bool:
    """Whether the text asks for something on the invoice and wants no delivery change."""
    text = text or ""
    if not (_INVOICE.search(text) and _DETAIL.search(text)):
        return False
    wanted = _DELIVERY_DENIED.sub(" ", text)
    return not _DELIVERY.search(wanted)


def read_invoice_detail(parse: Dict[str, Any], active_loop: str | None) -> Dict[str, Any]:
    """`parse` read as the invoice request when an address change names only the invoice; else
    unchanged. Another form's own checks decide inside it."""
    if active_loop not in (None, "address_form"):
        return parse
    intent = (parse.get("intent") or {}).get("name")
    if intent not in READINGS or not names_invoice_detail(str(parse.get("text") or "")):
        return parse
    return read_as(parse, INVOICE, CONFIDENCE, read_as=intent, invoice_detail=True)
