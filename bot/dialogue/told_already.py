"""Exasperation at having to say something again: "Wie oft denn noch.", "wie oft muss ich das noch
sagen", "hab ich Ihnen doch schon geschrieben", "how many times" (issue 22, held-out run 8 e05).

Such words ask nothing: read as a question, "Wie oft denn noch" was noted on the ticket for the team
to answer. They get an apology, and the answer to what is still open (the form's next question, the
answer given before). Plain strings in.
"""

from __future__ import annotations

import re

_TOLD = re.compile(
    r"(?i)\bwie\s+oft\s+(?:denn\s+)?(?:eigentlich\s+)?noch\b|"
    r"\bwie\s+oft\s+(?:soll|muss|müsste|muesste)\s+ich\s+(?:ihnen\s+|dir\s+|euch\s+)?(?:das|es)\s+"
    r"(?:denn\s+|eigentlich\s+)?(?:noch\s+)?(?:sagen|schreiben|erkl(?:ä|ae)ren|wiederholen)\b|"
    r"\b(?:das\s+)?(?:hab|habe)\s+ich\s+(?:ihnen\s+|dir\s+|euch\s+)?(?:doch\s+|jetzt\s+)?(?:schon\s+|bereits\s+)+"
    r"(?:\w+\s+)?(?:gesagt|geschrieben|erkl(?:ä|ae)rt)\b|"
    r"\bzum\s+(?:x-?ten|zigsten|hundertsten|dritten|vierten|zweiten)\s+mal\b|"
    r"\bhow\s+many\s+times\b|\bi\s+(?:already|just)\s+told\s+you\b"
)
MAX_EXTRA_WORDS = 2  # "Wie oft denn noch, bitte." is the exasperation alone


def told_already(text: str) -> bool:
    """Whether the message says, exasperated, that the customer had to say it again."""
    return bool(_TOLD.search(text or ""))


def only_exasperation(sentence: str) -> bool:
    """A sentence that is the exasperation and (almost) nothing else: it asks nothing."""
    found = _TOLD.search(sentence or "")
    if not found:
        return False
    rest = (sentence[: found.start()] + " " + sentence[found.end() :]).strip()
    return len(re.findall(r"\w+", rest)) <= MAX_EXTRA_WORDS
