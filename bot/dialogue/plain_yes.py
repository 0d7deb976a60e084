"""What keeps a message at a confirmation from being a yes (issue 22, held-out run 8 problem 1).

"Soll ich … so ändern?" - "die Hausnummer ist 54, nicht 45. Bitte so ändern." stored 45: the last
sentence read like the yes button, the correction before it was lost. "Will the replacement be size
42? If yes, create it." created the return before the question was answered. One rule for every
reading of a confirmation (typed buttons, bot.dialogue.yes_no): a message is a yes only when it
holds no correction of what is shown, no condition and no question before the yes. `reservation`
names the first such thing, or None for a plain yes.
"""

from __future__ import annotations

import re

from bot.dialogue import address_fix

CORRECTION = "correction"
CONDITION = "condition"
QUESTION = "question"

# "wenn ja", "falls das stimmt", "sofern das kostenlos ist", "if so", "only if", "as long as":
# the yes hangs on something not yet settled.
_CONDITION = re.compile(
    r"(?i)\b(?:wenn|falls|sofern)\s+(?:ja|jo|das\s+(?:so\s+ist|stimmt|geht|passt|klappt)|dem\s+so\s+ist|"
    r"es\s+(?:so\s+ist|stimmt|geht|passt|klappt)|nicht)\b"
    r"|\b(?:sofern|vorausgesetzt|unter\s+der\s+bedingung|nur\s+(?:dann\s+)?wenn|nur\s+falls)\b"
    r"|\bif\s+(?:so|yes|not|that'?s\s+(?:so|the\s+case|right|correct|true)|it\s+(?:is|does|will|can))\b"
    r"|\b(?:only\s+if|provided\s+(?:that|it)|as\s+long\s+as|on\s+condition)\b"
)
_IF = re.compile(r"(?i)\b(?:wenn|wenns|wenn's|falls|sofern|if)\b")
# "X, nicht Y", "X statt Y", "not Y but X" with a number, in German, dialect and English: a part of
# what is shown is named wrong (the address reading knows names too, see address_fix).
_SWAP = re.compile(
    r"(?i)\b\d{1,5}\s?[a-z]?\s*[,;:–!-]?\s*(?:nicht|ned|net|nit|nöd|not|statt|anstatt|instead\s+of)\s+"
    r"(?:\w+\s+){0,2}\d{1,5}\b"
    r"|\b(?:nicht|ned|net|nit|nöd|not)\s+(?:\w+\s+){0,2}\d{1,5}\s?[a-z]?\s*[,;:–-]?\s*(?:sondern|but)\b"
)
_YES_SENTENCE = re.compile(
    r"(?i)^\W*(?:ja|jo|jep|yes|yep|ok(?:ay)?|gern|gerne|klar|passt|bitte|go\s+ahead|please|"
    r"einverstanden|in\s+ordnung)\b"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def corrects(text: str, shown: str = "") -> bool:
    """Whether the message fixes a part of what is shown: a swapped number, or - at an address -
    a new value for it or the address called wrong ("falsch", "vertippt", "typo"); the shown
    address said once more is none. Elsewhere "falsch" is no correction: "Ja, falsch bestellt,
    bitte stornieren" is a reason and a yes."""
    text = text or ""
    if _SWAP.search(text):
        return True
    if not shown:
        return False
    return address_fix.corrected(shown, text) not in (None, shown) or bool(
        address_fix.WRONG.search(text)
    )


def conditional(text: str) -> bool:
    """Whether the yes in the message hangs on a condition ("wenn ja, bitte anlegen", "if so"), or
    on an if-clause next to a question ("Ja, wenn das nichts kostet. Kostet das was?"); an if
    inside the question after a yes ("Ja. Wohin geht das Geld, wenn …?") sets none."""
    text = text or ""
    if _CONDITION.search(text):
        return True
    stated = [s for s in _SENTENCE.split(text.strip()) if not s.rstrip().endswith("?")]
    return "?" in text and any(_IF.search(s) for s in stated)


def asks_first(text: str) -> bool:
    """Whether a question comes before any yes in the message ("Kommt der Ersatz in 42? Dann
    anlegen."): the yes waits for the answer. A question after an opening yes ("Ja, bitte. Wohin
    geht das Geld?") leaves the yes standing."""
    for sentence in _SENTENCE.split((text or "").strip()):
        if _YES_SENTENCE.search(sentence):
            return False
        if sentence.rstrip().endswith("?"):
            return True
    return False


def reservation(text: str, shown: str = "") -> str | None:
    """The first thing that keeps the message from being a plain yes to the confirmation of
    `shown` (the address shown, "" for other confirmations), or None."""
    if corrects(text, shown):
        return CORRECTION
    if conditional(text):
        return CONDITION
    if asks_first(text):
        return QUESTION
    return None
