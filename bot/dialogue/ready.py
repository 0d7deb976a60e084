"""A message that only says "here it comes" while a form waits for a value: the value is asked again.

"So, bin so weit!!", "okay, here we go", "I bin parat", "hab sie jetzt gefunden" typed while the
form asks for the order number, the e-mail, the new address or a reason gives nothing to store.
The classifier reads the exclamation marks as anger (empathy and the menu), a "so" as a stop, or
the words as the value itself. Inside a form such a message is the customer's cue that the value
follows: it is read as the answer to the form's question (`inform`), nothing is stored, and the
form asks for the value once more (actions/verification.py). A message with anything more than the
cue (a number, an address, a question) keeps its reading. Plain dicts in; no Rasa import.
"""

from __future__ import annotations

import re
from typing import Any, Dict

from bot.dialogue.reading import read_as

ANSWER = "inform"
# Readings that already say what the message is for inside a form.
_KEEP = frozenset({"request_human", ANSWER})
CONFIDENCE = 0.95  # as sure as the other readings in context
MAX_WORDS = 9  # "okay, jetzt hab ich die Nummer endlich gefunden" still fits

# The cue itself: ready, found it, here it comes (German with Bavarian/Swiss/Austrian forms, English).
_READY = re.compile(
    r"(?i)\b(?:"
    # "bin so weit", "jetzt bin ich so weit", "i bin fertig", "bi parat", "bin bereit"
    r"(?:(?:ich|i)\s+)?(?:bin|bi)\s+(?:(?:ich|i)\s+)?(?:jetzt\s+|etz\s+|jetzat\s+|nun\s+|endlich\s+)?"
    r"(?:so\s*weit|so\s*wiit|soweit|bereit|parat|fertig)|"
    r"so\s*weit|bereit|"
    r"(?:es\s+)?kann\s+losgehen|los\s+geht'?s|(?:dann\s+)?mal\s+los|auf\s+geht'?s|"
    # "hab sie (jetzt) gefunden", "ich hab's", "jetzt hab ich die Nummer", "hab ich zur Hand"
    r"(?:(?:ich|i)\s+)?(?:hab|habe|hob)(?:'?s|\s+(?:ich|i))?\s+(?:sie|es|ihn|die\s+\w+|den\s+\w+|das\s+\w+)?\s*"
    r"(?:jetzt\s+|etz\s+|endlich\s+)*(?:gefunden|zur\s+hand|da|parat|griffbereit)|"
    r"(?:(?:ich|i)\s+)?(?:hab|habe)'?s|"
    # English
    r"i'?m\s+(?:now\s+)?ready|i\s+am\s+(?:now\s+)?ready|ready(?:\s+now)?|"
    r"here\s+(?:we\s+go|it\s+comes|goes|you\s+go)|let'?s\s+go|"
    r"(?:i'?ve\s+|i\s+have\s+|i\s+)?(?:got|found)\s+it(?:\s+now)?"
    r")\b"
)
# What may stand beside the cue without saying anything: fillers, "ok", "moment".
_FILLER = re.compile(
    r"(?i)\b(?:so|also|ok(?:ay|e)?|gut|guat|super|prima|alles\s+klar|jetzt|etz|nun|endlich|ja|jo|"
    r"jawohl|sorry|pardon|entschuldigung|danke|moment|sekunde|augenblick|dann|halt|eben|wirklich|"
    r"schon|sec|second|one|just|"
    r"right|alright|well|now|sorry|thanks|finally|oh|ah|äh|aeh|hm+|uff|puh|yes|yeah|yep|"
    r"hier|here)\b"
)


def only_ready(text: str) -> bool:
    """Whether the message says nothing but that the customer is ready to give the value."""
    text = (text or "").strip()
    if not text or text.startswith("/") or len(text.split()) > MAX_WORDS:
        return False
    if re.search(r"\d|@|\?", text) or not _READY.search(text):
        return False
    rest = _FILLER.sub(" ", _READY.sub(" ", text))
    return not re.search(r"\w", rest)


def read_ready(
    parse: Dict[str, Any], active_loop: str | None, requested_slot: str | None
) -> Dict[str, Any]:
    """Inside a form that waits for a value, a message that only announces it is read as the
    answer to the form's question (see the module docstring); else the parse is unchanged."""
    intent = (parse.get("intent") or {}).get("name")
    if not active_loop or not requested_slot or intent in _KEEP:
        return parse
    if not only_ready(str(parse.get("text") or "")):
        return parse
    return read_as(parse, ANSWER, CONFIDENCE, read_as=intent, ready=True)
