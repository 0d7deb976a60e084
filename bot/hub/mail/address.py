"""Exactly one plain e-mail address, or none.

A contact a customer typed becomes an SMTP recipient, and SMTP libraries read a header value as a
list: `victim@example.org,ceo,buchhaltung` is three recipients to aiosmtplib, `Name <a@b.de>` a
display name and an address. So a contact is a mail address only when the standard library's
RFC 5322 parser (email.headerregistry) reads it as one bare addr-spec and that addr-spec is a plain
one: a dot-atom of letters, digits and `_%+-` before the @, a host name with a letter TLD after it
(no quotes, comments, lists, routes, literals or display names). ADDRESS_PATTERN says the same for
the OpenAPI document.
"""

from __future__ import annotations

import re
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.utils import getaddresses, parseaddr

FORBIDDEN = frozenset(',;:"()<>[]\\')  # lists, groups, quoting, comments, routes, literals
LOCAL = r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
ADDRESS_PATTERN = f"{LOCAL}@{HOST}"  # also in the OpenAPI document (web/customer.py)
PLAIN = re.compile(ADDRESS_PATTERN)
MAX_LENGTH = 254  # RFC 5321's path limit


def parse_email(value: object) -> str | None:
    """The address if `value` is exactly one plain address (surrounding blanks ignored), else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if (
        not text
        or len(text) > MAX_LENGTH
        or not text.isascii()
        or not text.isprintable()
        or any(c.isspace() or c in FORBIDDEN for c in text)
        or text.count("@") != 1
    ):
        return None
    try:
        address = Address(addr_spec=text)
    except (HeaderParseError, ValueError, IndexError):
        return None
    if (
        address.addr_spec != text
        or not PLAIN.fullmatch(f"{address.username}@{address.domain}")
        or getaddresses([text]) != [("", text)]
    ):
        return None
    return text


def sender_address(value: object) -> str | None:
    """The address of an inbound mail's From value ("Anna Schmidt <anna@web.de>" or a bare address):
    exactly one, and plain; None otherwise."""
    if not isinstance(value, str) or len(getaddresses([value])) != 1:
        return None
    _name, addr = parseaddr(value)
    return parse_email(addr)


def same_address(a: str | None, b: str | None) -> bool:
    """Whether two parsed addresses name the same mailbox (compared case-insensitively, as providers do)."""
    return bool(a and b and a.lower() == b.lower())
