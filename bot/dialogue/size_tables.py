"""Which size table fits the customer: Herren or Damen (issue 22, held-out run 7, d01).

The size pages hold a men's and a women's table under the headings "Herren" and "Damen"; a row of
either reads alike ("Größe XL: Konfektionsgröße 42, …"), so the search may quote a women's row to a
man who wears suit size 50. The customer's own words say whose table it is ("ich bin ein Herr",
"im Anzug", "für meine Frau"); the salutation "Sehr geehrte Damen und Herren" says nothing.
"""

from __future__ import annotations

import re
from typing import Sequence

TABLES = ("Herren", "Damen")
SALUTATION = re.compile(r"\b(?:damen\s+und\s+herren|herren\s+und\s+damen)\b", re.IGNORECASE)
WORDS = {
    "Herren": re.compile(
        r"\b(?:herr|herrn|herren\w*|mann|männer\w*|anzug\w*|sakko|ehemann|sohn|bruder|vater|papa)\b",
        re.IGNORECASE,
    ),
    "Damen": re.compile(
        r"\b(?:dame|damen\w*|frau|frauen\w*|kleid\w*|bluse|kostüm|ehefrau|tochter|schwester|mutter|mama)\b",
        re.IGNORECASE,
    ),
}


def table_of(text: str) -> str | None:
    """ "Herren" or "Damen" when `text` names only one of them, else None."""
    text = SALUTATION.sub(" ", text or "")
    named = [table for table in TABLES if WORDS[table].search(text)]
    return named[0] if len(named) == 1 else None


def wanted_table(messages: Sequence[str]) -> str | None:
    """The table the customer's latest message naming one asks for (messages oldest first)."""
    for text in reversed(messages):
        table = table_of(text)
        if table:
            return table
    return None


def row_table(heading: str) -> str | None:
    """The table a passage under `heading` belongs to (None for all other passages)."""
    return heading if heading in TABLES else None
