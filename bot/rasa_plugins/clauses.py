"""Messages that say two things: "danke und tschüss", "hallo, wo ist meine bestellung".

Read as a whole, the social part (a greeting, a thank-you) often wins because such
phrases are short and unambiguous, and the bot answers "gern geschehen" to a farewell
or "hallo" to a question about an order. When the whole message reads as greet or thank
and it has several clauses, each clause is classified on its own and the message is read
as its most confident substantive clause; a farewell clause beats a thank-you.

The opposite case, a request wrapped in a greeting and a generic plea for help ("hallo, kannst
du mir helfen? meine jacke ist mit einem loch angekommen"), reads as the request only if the
wrapper does not drown it: the words "helfen", "hallo" and the sentence vector of the whole
pull towards whatever class has most such openers. `strip_preamble` removes the wrapper from
the text the features read (normalizer.py) when something substantive is left; a message that
is nothing but greeting and plea keeps its words and stays a greeting.
"""

from __future__ import annotations

import re
from typing import List, Sequence, Tuple

SOCIAL = frozenset({"greet", "thank"})  # what a substantive clause may override
NOT_SUBSTANTIVE = SOCIAL | {"affirm", "deny", "nlu_fallback", "out_of_scope", "inform"}
MIN_CLAUSE_CONFIDENCE = 0.5
_SPLIT = re.compile(r"[,.;:!?\n]+|\s+-\s+|\b(?:und|aber|also|dann|and)\b", re.IGNORECASE)
_WORD = re.compile(r"\w")
_WORD_RUN = re.compile(r"\w+")

Ranking = List[Tuple[str, float]]

_GREETING = (
    r"(?:hallo(?: zusammen)?|hi|hey|moin(?: moin)?|servus|huhu|guten (?:morgen|tag|abend)|"
    r"gr(?:ue|ü)(?:ss|ß)(?:e)? (?:gott|dich|euch)|gruezi|liebes? (?:team|kundenservice)|"
    r"sehr geehrte damen und herren)"
)
_PLEA = (
    r"(?:(?:kannst du|k(?:oe|ö)nnen sie|k(?:oe|ö)nntest du|k(?:oe|ö)nnten sie|kann mir (?:jemand|wer)|"
    r"koennt ihr|könnt ihr) (?:mir )?(?:bitte )?(?:mal )?(?:kurz )?helfen|"
    r"ich (?:habe|hab|haette|hätte) (?:da )?(?:mal )?(?:eine|ne|n) (?:kurze )?frage|"
    r"ich (?:brauche|brauch) (?:mal )?(?:ihre |deine |eure )?hilfe|eine frage)"
)
_WRAPPER = rf"(?:{_GREETING}|{_PLEA})"
_LEADING = re.compile(rf"^\s*{_WRAPPER}\b[\s,.;:!?-]*", re.IGNORECASE)
_TRAILING = re.compile(rf"[\s,.;:!?-]*\b{_PLEA}\s*[.!?]*\s*$", re.IGNORECASE)
MIN_REQUEST_WORDS = 2


def strip_preamble(text: str) -> str:
    """The text without leading greetings and pleas for help and a trailing plea, when at least
    MIN_REQUEST_WORDS words remain; else the text unchanged."""
    rest = text
    while True:
        shorter = _TRAILING.sub("", _LEADING.sub("", rest, count=1), count=1)
        if shorter == rest:
            break
        rest = shorter
    if rest == text or len(_WORD_RUN.findall(rest)) < MIN_REQUEST_WORDS:
        return text
    return rest


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
