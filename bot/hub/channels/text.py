"""Fitting text into platform limits without cutting words when it can be avoided."""

from __future__ import annotations

from typing import List, Tuple


def _cut(text: str, limit: int) -> int:
    """Where to end the first piece of `text` (longer than limit): a paragraph or line break in the
    second half of the window, else the last space, else a hard cut inside a very long word."""
    window = text[: limit + 1]  # whitespace right after the limit is a fine place to cut
    for sep in ("\n\n", "\n"):
        at = window.rfind(sep)
        if at > limit // 2:
            return at
    at = max(window.rfind(" "), window.rfind("\n"), window.rfind("\t"))
    return at if at > 0 else limit


def split_text(text: str, limit: int) -> List[str]:
    """Pieces of at most `limit` characters, in order."""
    parts: List[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _cut(rest, limit)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def split_tail(text: str, limit: int) -> Tuple[str, str]:
    """(head, tail) with the tail at most `limit` characters, starting at a word break when possible.

    Used when the buttons must travel with the end of a text whose body limit is
    smaller than the platform's plain-text limit (WhatsApp: 1024 vs 4096).
    """
    text = text.strip()
    if len(text) <= limit:
        return "", text
    start = len(text) - limit
    cut = next((i for i in range(start - 1, len(text)) if text[i].isspace()), start)
    return text[:cut].rstrip(), text[cut:].strip()


def shorten(title: str, limit: int) -> str:
    """A button title that fits, with an ellipsis when something was cut."""
    title = " ".join(title.split())
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
