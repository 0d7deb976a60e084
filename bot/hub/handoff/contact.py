"""Contact details in a customer message that answers a ticket or callback offer.

After "Hinterlassen Sie gern Ihre E-Mail-Adresse oder Telefonnummer" the next message
is read here before Rasa sees it: a phone number or e-mail address goes to the request,
and on messengers without the widget's callback form a plain "ja, Rückruf" accepts the offer.
"""

from __future__ import annotations

import re
from typing import Any, Dict

from bot.hub.mail.address import ADDRESS_PATTERN, parse_email
from bot.shared.contact import EMAIL, phone_in

YES = re.compile(
    r"^\s*(ja|jap|jo|gern|gerne|ok|okay|bitte|klar|rückruf|rueckruf|e-?mail|anruf)\b", re.IGNORECASE
)
CALLBACK_WORDS = re.compile(
    r"\b(rückruf|rueckruf|zurückrufen|zurueckrufen|anrufen|anruf|e-?mail|mail)\b", re.IGNORECASE
)


def contact_in(text: str) -> str | None:
    """The e-mail address or phone number in the message, as written; None when there is none. The
    first address is taken alone (the pattern stops at a comma), and only if it parses as one plain
    address (the outbox mails nothing else)."""
    email = EMAIL.search(text or "")
    if email:
        return email.group(0) if parse_email(email.group(0)) is not None else None
    return phone_in(text)


# A phone number alone (the callback form): 7 to 20 digits, an optional leading +, and ( ) / - or spaces.
PHONE_ALONE = r"\+?(?:[ ()/-]*[0-9]){7,20}[ ()/-]*"
# What the callback form takes, for the OpenAPI document: one of the two, blanks around (body.BLANK).
CONTACT_PATTERN = rf"^[\s\ufeff]*(?:{ADDRESS_PATTERN}|{PHONE_ALONE})[\s\ufeff]*$"


def is_phone(text: str) -> bool:
    return re.fullmatch(PHONE_ALONE, (text or "").strip()) is not None


def callback_contact(value: str) -> str | None:
    """How to reach the customer from the callback form: exactly one plain e-mail address, or a phone
    number; None for anything else (a list of addresses, a display name, free text)."""
    text = (value or "").strip()
    if "@" in text:
        return parse_email(text)
    return text if is_phone(text) else None


def accepts_offer(text: str) -> bool:
    """A short yes to the callback offer ("ja", "ja, Rückruf bitte", "gern per E-Mail")."""
    words = (text or "").split()
    return 0 < len(words) <= 6 and bool(YES.match(text) or CALLBACK_WORDS.search(text))


def offer_of(custom: Dict[str, Any] | None) -> Dict[str, Any] | None:
    """What a bot/system message offered, from its `custom`: {"ticket": id} after a recorded request,
    {"ticket": None} while waiting in a long queue; None when it offered no callback."""
    if not isinstance(custom, dict) or not custom.get("callback"):
        return None
    ticket = custom.get("ticket")
    return {"ticket": ticket if isinstance(ticket, int) else None}
