"""A highlighted excerpt of a hit, as escaped HTML: customer text never reaches the console unescaped.

Computed here for both databases, so SQLite and PostgreSQL show the same excerpt: a word is
highlighted when its folded form starts with a query term (the prefix match), or when the term
starts with the word's stem-like head (PostgreSQL's stemming finds "Bestellung" for "Bestellungen").
"""

from __future__ import annotations

import html
from typing import List, Sequence

from bot.hub.search.fold import WORD, fold

WIDTH = 180  # characters of the excerpt
LEAD = 50  # characters shown before the first highlighted word


def hits(word: str, terms: Sequence[str]) -> bool:
    folded = fold(word)
    head = folded[: max(4, len(folded) - 3)]
    return any(folded.startswith(t) or (len(folded) >= 4 and t.startswith(head)) for t in terms)


def snippet(text: str | None, terms: Sequence[str]) -> str:
    """An excerpt of `text` around its first hit, HTML-escaped, the hits in <mark>."""
    text = " ".join((text or "").split())
    words = [m for m in WORD.finditer(text) if hits(m.group(0), terms)]
    first = words[0].start() if words else 0
    start = 0 if first <= LEAD else text.rfind(" ", 0, first - LEAD) + 1
    end = min(len(text), start + WIDTH)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > first else end
    parts: List[str] = ["…"] if start > 0 else []
    at = start
    for m in words:
        if m.start() < start or m.end() > end:
            continue
        parts += [html.escape(text[at : m.start()]), f"<mark>{html.escape(m.group(0))}</mark>"]
        at = m.end()
    parts.append(html.escape(text[at:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts)
