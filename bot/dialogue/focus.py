"""A follow-up on the same topic gets the part of the answer it asks about, not the block again.

"Is the return free?" right after the return policy, "Do they speak English on the phone?" right after
the contact details, "und was kostet normal?" right after the shipping costs: the classifier picks the
same curated answer, and the customer read the same block word for word a second time. The answer
already holds what they ask; `focus` picks its sentences that carry the words the new question adds
(the words the previous question had already led to the block). Works on plain text, in German and
English; the caller uses it only when the answer would repeat what the bot just said.
"""

from __future__ import annotations

import re
from typing import List, Set

from bot.dialogue.questions import content_stems as german_stems

# A sentence ends at . ! ? followed by a space and an upper-case letter ("z. B. 100234" stays one).
_SENTENCE = re.compile(r"(?<=[.!?])(?<!\b[A-Za-z]\.)\s+(?=[A-ZÄÖÜ])")
# English words as common in questions as in answers (the German ones: bot/dialogue/questions.py).
_ENGLISH_COMMON = german_stems(
    "what when where which would could should have with this that there these those your yours from "
    "about just want need please thanks thank hello they them their does will been into also only "
    "eigentlich nochmal einfach really actually"
)


# Words a customer uses for what the answers say otherwise ("ab wann ist der Versand gratis?", "gibt
# es Monatsraten?" for "Ratenzahlung", "would I still owe Klarna?" for "if you have paid"; "pay" is
# too short to be a stem of its own).
_SAME_AS = (
    (re.compile(r"(?i)\b(?:gratis|umsonst|for\s+free|free)\b"), "kostenlos"),
    (
        re.compile(
            r"(?i)\b(?:monats|teil)?raten\w*|\bfinanzier\w*|\bfinanc(?:e|ing)\b|\binstal+ments?\b"
        ),
        "raten",
    ),
    (re.compile(r"(?i)\b(?:pay|pays|paying|owe|owing)\b"), "paid"),
)


def content_stems(text: str) -> Set[str]:
    """The stems of the words that carry meaning (bot/dialogue/questions.py, in English too)."""
    for pattern, word in _SAME_AS:
        text = pattern.sub(word, text or "")
    return german_stems(text or "") - _ENGLISH_COMMON


def sentences(text: str) -> List[str]:
    return [s.strip() for s in _SENTENCE.split(text or "") if s.strip()]


def focus(answer: str, question: str, previous: str = "") -> str | None:
    """The sentences of `answer` that the question asks about, preferring the words `previous` (the
    customer's message before) did not have; None when that is no real part of the answer (nothing
    matches, or every sentence does)."""
    parts = sentences(answer)
    if len(parts) < 2:
        return None
    asked = content_stems(question)
    new = asked - content_stems(previous)
    for wanted in (new, asked):
        chosen = [s for s in parts if wanted & content_stems(s)]
        if chosen and len(chosen) < len(parts):
            return " ".join(chosen)
    return None


# A bare follow-up ("und wie lange?", "how much?") asks the previous answer for one kind of fact:
# the question's shape, the shape of the sentence that answers it, and the curated answer that holds
# such a fact when the previous answer does not ("Und unter welcher Nummer?" after the opening
# hours: the phone number is in `contact`).
SHAPES = (
    (
        re.compile(r"(?i)\bwie\s+lange\b|\bbis\s+wann\b|\bhow\s+long\b|\buntil\s+when\b"),
        re.compile(
            r"(?i)\d+\s*(?:–\s*\d+\s*)?(?:werk)?(?:tag|woche|monat|jahr|stunde|working\s+day|day|"
            r"week|month|year|hour)"
        ),
        None,
    ),
    (
        re.compile(
            r"(?i)\bwas\s+kostet\b|\bwie\s+teuer\b|\bhow\s+much\b|\bwhat\s+does\s+it\s+cost\b"
        ),
        re.compile(r"(?i)€|\bkostenlos|\bgratis\b|\bfree\b"),
        None,
    ),
    (
        re.compile(
            r"(?i)\b(?:unter\s+)?welche[rnm]?\s+(?:telefon)?nummer\b|\btelefonnummer\b|"
            r"\bwie\s+(?:ist|lautet)\s+(?:die|eure|ihre)\s+nummer\b|"
            r"\b(?:which|what)\s+(?:phone\s+)?number\b|\bphone\s+number\b"
        ),
        re.compile(r"\+?\d{2,5}(?:[ /-]\d{2,5}){2,}"),
        "contact",
    ),
)


def shaped_follow_up(previous_answer: str, question: str, bare: bool = True) -> str | None:
    """The sentences of the previous answer that answer a bare follow-up ("und wie lange?" after the
    privacy answer: the sentence with the days); None when the question says more than its shape
    (it has a topic of its own; `bare` False: the caller knows the topic is the same) or the
    previous answer holds no such sentence."""
    for asked, answered, _ in SHAPES:
        if not asked.search(question or ""):
            continue
        if bare and content_stems(asked.sub(" ", question)):
            return None  # "und wie lange dauert normal?": a question of its own
        chosen = [s for s in sentences(previous_answer) if answered.search(s)]
        return " ".join(chosen) or None
    return None


def fact_home(question: str) -> str | None:
    """The curated answer that holds the kind of fact a bare follow-up asks for, when the previous
    answer lacks it ("Und unter welcher Nummer?" -> `contact`); None for other questions."""
    for asked, _, home in SHAPES:
        if home and asked.search(question or "") and not content_stems(asked.sub(" ", question)):
            return home
    return None
