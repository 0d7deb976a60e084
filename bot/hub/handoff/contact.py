"""Contact details in a customer message that answers a ticket or callback offer.

After "Hinterlassen Sie gern Ihre E-Mail-Adresse oder Telefonnummer" the next message
is read here before Rasa sees it: a phone number or e-mail address goes to the request,
and on messengers without the widget's callback form a plain "ja, Rückruf" accepts the offer.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Tuple

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


# Where a message divides into clauses: a sentence's end, a comma or semicolon, a dash between blanks.
_CLAUSE_END = re.compile(r"((?<=[.!?])\s+|[,;]\s+|\s+[-–]\s+)")
# "<contact> und wann …": the "und" after the contact starts a clause of its own.
_AND_AFTER = re.compile(r"(\x00)[,;]?\s+(?:und|and)\s+", re.IGNORECASE)
_QUESTION_START = re.compile(
    r"^(?:und\s+|and\s+|aber\s+|but\s+)?(?:wann|wie|was|wo|wohin|woher|warum|wieso|weshalb|wer|"
    r"welche[rsnm]?|muss|müssen|kann|können|bekomme|kommt|gibt|when|how|what|where|why|who|which|"
    r"can|could|will|do|does|is|are)\b",
    re.IGNORECASE,
)


def split_contact(text: str, contact: str) -> Tuple[str, str]:
    """(the clauses that give `contact`, the rest of the message as written). "Telefon 0171 2345678.
    Wann ruft jemand an?" -> ("Telefon 0171 2345678.", "Wann ruft jemand an?")."""
    marked = _AND_AFTER.sub("\\1. ", (text or "").replace(contact, "\x00", 1))
    pieces = _CLAUSE_END.split(marked)
    given: List[str] = []
    rest: List[str] = []
    for index in range(0, len(pieces), 2):
        clause = pieces[index] + (pieces[index + 1] if index + 1 < len(pieces) else "")
        (given if "\x00" in clause else rest).append(clause)
    return (
        "".join(given).replace("\x00", contact).strip(),
        "".join(rest).strip().rstrip(",;:-– ").strip(),
    )


def question_beside(text: str, contact: str) -> str | None:
    """The rest of a message that gives a contact when it asks something ("…, und wann kommt mein
    Geld?"): the bot must answer it, not only the contact be noted (persona run 4, d11/d18/d23).
    None when the rest only tells something ("es geht um eine Gutschrift"): the team reads it."""
    _, rest = split_contact(text, contact)
    clauses = [c.strip() for c in _CLAUSE_END.split(rest)[::2]]
    if "?" in rest or any(_QUESTION_START.match(c) for c in clauses):
        return rest
    return None


def offer_of(custom: Dict[str, Any] | None) -> Dict[str, Any] | None:
    """What a bot/system message offered, from its `custom`: {"ticket": id} after a recorded request,
    {"ticket": None} while waiting in a long queue; None when it offered no callback."""
    if not isinstance(custom, dict) or not custom.get("callback"):
        return None
    ticket = custom.get("ticket")
    return {"ticket": ticket if isinstance(ticket, int) else None}
