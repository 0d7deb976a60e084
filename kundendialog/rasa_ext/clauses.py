"""Messages that say two things: "danke und tschüss", "hallo, wo ist meine bestellung".

Read as a whole, the social part (a greeting, a thank-you) often wins because such
phrases are short and unambiguous, and the bot answers "gern geschehen" to a farewell
or "hallo" to a question about an order. When the whole message reads as greet or thank
and it has several clauses, each clause is classified on its own and the message is read
as its most confident substantive clause; a farewell clause beats a thank-you.
"""

from __future__ import annotations

import re
from typing import List, Sequence, Tuple

SOCIAL = frozenset({"greet", "thank"})  # what a substantive clause may override
NOT_SUBSTANTIVE = SOCIAL | {"affirm", "deny", "nlu_fallback", "out_of_scope", "inform"}
MIN_CLAUSE_CONFIDENCE = 0.5
_SPLIT = re.compile(r"[,.;:!?\n]+|\s+-\s+|\b(?:und|aber|also|dann|and)\b", re.IGNORECASE)
_WORD = re.compile(r"\w")

Ranking = List[Tuple[str, float]]


def split_clauses(text: str) -> List[str]:
    """The parts of a message between punctuation and joining words; only parts with a word in them."""
    return [part.strip() for part in _SPLIT.split(text) if _WORD.search(part)]


def pick_clause(whole_top: str, clause_rankings: Sequence[Ranking]) -> int | None:
    """Index of the clause to read the message as, or None to keep the whole-message reading."""
    if whole_top not in SOCIAL or len(clause_rankings) < 2:
        return None
    best: Tuple[float, int] | None = None
    for index, ranking in enumerate(clause_rankings):
        if not ranking:
            continue
        intent, confidence = ranking[0]
        if intent in NOT_SUBSTANTIVE or confidence < MIN_CLAUSE_CONFIDENCE:
            continue
        if best is None or confidence > best[0]:
            best = (confidence, index)
    return None if best is None else best[1]
