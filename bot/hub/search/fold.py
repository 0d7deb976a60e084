"""One German folding for the query, the SQLite index and the snippets.

Lower case, umlauts and other accents dropped, ß as ss: "Straße", "STRASSE" and "strasse" are one
word, as are "Müller" and "Muller". This is what SQLite's FTS5 tokenizer (unicode61,
remove_diacritics 2) plus the ß replacement in the index triggers do (bot/hub/search/index_sql.py),
and what PostgreSQL's German Snowball stemmer does at the end of stemming.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import List, Pattern, Tuple

WORD = re.compile(r"[^\W_]+")  # letters and digits; everything else separates words
MAX_TERMS = 8
MAX_TERM_LENGTH = 40


def _without_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# Latin letters with accents, precomputed: most texts need only these few replacements, not a normalization.
_LATIN = {
    chr(cp): _without_marks(chr(cp))
    for cp in range(0xC0, 0x250)
    if _without_marks(chr(cp)) != chr(cp)
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fold(text: str) -> str:
    lowered = text.lower()  # "ẞ".lower() is "ß"
    if lowered.isascii():
        return lowered
    lowered = _NON_ASCII.sub(
        lambda m: _LATIN.get(m.group(0), m.group(0)), lowered.replace("ß", "ss")
    )
    return lowered if lowered.isascii() else _without_marks(lowered)


def terms(query: str) -> List[str]:
    """The folded words of a query, first occurrence kept; each is matched as a prefix, all must match."""
    seen: List[str] = []
    for word in WORD.findall(query):
        folded = fold(word)[:MAX_TERM_LENGTH]
        if folded and folded not in seen:
            seen.append(folded)
    return seen[:MAX_TERMS]


@lru_cache(maxsize=64)
def _word_starts(joined: str) -> Tuple[Pattern[str], ...]:
    return tuple(re.compile(r"(?<![^\W_])" + re.escape(t)) for t in joined.split(" "))


@lru_cache(maxsize=4096)  # the bot's answers repeat word for word
def match_count(text: str | None, joined: str) -> int:
    """How often the words of `text` start with the space-joined folded `joined` terms; 0 unless every
    term matches. SQLite's `kd_match` (bot/hub/store/db.py): a plain agent's search scans only the few
    conversations they may see with it, instead of every hit of a common word in the FTS index."""
    if not text:
        return 0
    folded = fold(text)
    if not all(t in folded for t in joined.split(" ")):
        return 0
    counts = [len(p.findall(folded)) for p in _word_starts(joined)]
    return sum(counts) if all(counts) else 0
