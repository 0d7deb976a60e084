"""One German folding for the query, the SQLite index and the snippets.

Lower case, umlauts and other accents dropped, ß as ss: "Straße", "STRASSE" and "strasse" are one
word, as are "Müller" and "Muller". This is what SQLite's FTS5 tokenizer (unicode61,
remove_diacritics 2) plus the ß replacement in the index triggers do (bot/hub/search/index_sql.py),
and what PostgreSQL's German Snowball stemmer does at the end of stemming.
"""

from __future__ import annotations

import re
import unicodedata
from typing import List

WORD = re.compile(r"[^\W_]+")  # letters and digits; everything else separates words
MAX_TERMS = 8
MAX_TERM_LENGTH = 40


def fold(text: str) -> str:
    lowered = text.lower().replace("ß", "ss")  # "ẞ".lower() is "ß"
    return "".join(
        c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c)
    )


def terms(query: str) -> List[str]:
    """The folded words of a query, first occurrence kept; each is matched as a prefix, all must match."""
    seen: List[str] = []
    for word in WORD.findall(query):
        folded = fold(word)[:MAX_TERM_LENGTH]
        if folded and folded not in seen:
            seen.append(folded)
    return seen[:MAX_TERMS]
