"""Grouping similar messages, so a reviewer assigns an intent to "wo bleibt mein paket" once, not ten times.

Two messages are similar when their character trigrams overlap (Jaccard, on a normalised text: lower
case, umlauts spelled out, order numbers, e-mails and punctuation dropped) - typos and inflections -
or when they share at least two content words (no stop words) and most of the shorter one's - "die
Heizdecke flackert nach dem Einschalten" and "Heizdecke flackert ständig". A message joins the group
holding its most similar message (single linkage, over a group's first members) when that reaches
the threshold, else it starts a group. Deterministic: the input order (newest first) decides.
"""

from __future__ import annotations

import re
from typing import Callable, List, Set, Tuple, TypeVar

from bot.shared.understanding import mask_spans

T = TypeVar("T")
THRESHOLD = 0.4
WORD_OVERLAP = 0.6  # of the shorter message's content words, with at least two shared
STOP_WORDS = frozenset(
    """
aber alle also am an auch auf aus bei bin bis bitte da dann das dass dem den der des dich die dir doch du ein eine
einem einen einer eines er es euch euer fuer gibt hab habe haben hallo hat hier ich ihr ihre im in ist ja jetzt kann
kein keine koennen mal man mein meine meinem meinen meiner mich mir mit moin nach nein nicht noch nur ob oder schon
sehr sein sich sie sind so um und uns unser vom von vor war warum was weil wer wie wieder wir wird wo zu zum zur
""".split()
)
COMPARED = 8  # members of a group a new message is compared with (the first ones)
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")


def normalized(text: str) -> str:
    for start, end, _kind in reversed(mask_spans(text)):
        text = text[:start] + " " + text[end:]
    return " ".join(_NOT_WORD.sub(" ", text.lower().translate(_FOLD)).split())


Features = Tuple[Set[str], Set[str]]  # trigrams, content words


def features(text: str) -> Features:
    plain = normalized(text)
    padded = f"  {plain}  "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}, {
        w for w in plain.split() if w not in STOP_WORDS
    }


def similarity(a: Features, b: Features) -> float:
    (grams_a, words_a), (grams_b, words_b) = a, b
    score = len(grams_a & grams_b) / len(grams_a | grams_b) if grams_a and grams_b else 0.0
    shared = len(words_a & words_b)
    if shared >= 2:
        overlap = shared / min(len(words_a), len(words_b))
        if overlap >= WORD_OVERLAP:
            score = max(score, overlap)
    return score


def group(items: List[T], text: Callable[[T], str], threshold: float = THRESHOLD) -> List[List[T]]:
    """Items in groups; larger groups first, then in the order they started."""
    groups: List[List[T]] = []
    seen: List[List[Features]] = []
    for item in items:
        mine = features(text(item))
        best, score = -1, threshold
        for index, members in enumerate(seen):
            s = max(similarity(mine, other) for other in members[:COMPARED])
            if s >= score:
                best, score = index, s
        if best < 0:
            groups.append([item])
            seen.append([mine])
        else:
            groups[best].append(item)
            seen[best].append(mine)
    order = sorted(range(len(groups)), key=lambda i: (-len(groups[i]), i))
    return [groups[i] for i in order]
