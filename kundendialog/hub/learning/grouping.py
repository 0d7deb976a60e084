"""Grouping similar messages, so a reviewer assigns an intent to "wo bleibt mein paket" once, not ten times.

Character trigrams of a normalised text (lower case, umlauts spelled out, order numbers, e-mails and
punctuation dropped), compared by Jaccard similarity. A message joins the group holding its most
similar message (single linkage, over a group's first members) when that is at least the
threshold, else it starts a group. Deterministic: the input order (newest first) decides.
"""

from __future__ import annotations

import re
from typing import Callable, List, Set, TypeVar

from kundendialog.core.understanding import mask_spans

T = TypeVar("T")
THRESHOLD = 0.4
COMPARED = 20  # members of a group a new message is compared with
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")


def normalized(text: str) -> str:
    for start, end, _kind in reversed(mask_spans(text)):
        text = text[:start] + " " + text[end:]
    return " ".join(_NOT_WORD.sub(" ", text.lower().translate(_FOLD)).split())


def shingles(text: str) -> Set[str]:
    padded = f"  {normalized(text)}  "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def similarity(a: Set[str], b: Set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def group(items: List[T], text: Callable[[T], str], threshold: float = THRESHOLD) -> List[List[T]]:
    """Items in groups; larger groups first, then in the order they started."""
    groups: List[List[T]] = []
    grams: List[List[Set[str]]] = []
    for item in items:
        mine = shingles(text(item))
        best, score = -1, threshold
        for index, members in enumerate(grams):
            s = max(similarity(mine, other) for other in members[:COMPARED])
            if s >= score:
                best, score = index, s
        if best < 0:
            groups.append([item])
            grams.append([mine])
        else:
            groups[best].append(item)
            grams[best].append(mine)
    order = sorted(range(len(groups)), key=lambda i: (-len(groups[i]), i))
    return [groups[i] for i in order]
