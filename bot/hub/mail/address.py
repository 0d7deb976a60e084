"""Exactly one plain e-mail address, or none.

A contact a customer typed becomes an SMTP recipient, and SMTP libraries read a header value as a
list: `victim@example.org,ceo,buchhaltung` is three recipients to aiosmtplib, `Name <a@b.de>` a
display name and an address. So a contact is a mail address only when it is one bare addr-spec
(`local@domain`, ASCII, no quotes, comments, lists, routes or display names), parsed by the
standard library's RFC 5322 parser (email.headerregistry), never by a loose pattern.
"""

from __future__ import annotations

import re
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.utils import getaddresses, parseaddr

FORBIDDEN = frozenset(',;:"()<>[]\\')  # lists, groups, quoting, comments, routes, literals
LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
TLD = re.compile(r"^[A-Za-z]{2,63}$|^xn--[A-Za-z0-9-]{1,59}$")
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
    local, domain = address.username, address.domain
    labels = domain.split(".")
    if (
        not local
        or len(local) > 64
        or address.addr_spec != text
        or len(labels) < 2
        or not all(LABEL.match(label) for label in labels)
        or not TLD.match(labels[-1])
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
