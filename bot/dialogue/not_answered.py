"""Does the customer say the bot repeats itself or did not answer (held-out persona run 6, d01/d19)?

"Sie wiederholen sich" or "you told me the status again, yes or no?" was read as "Wie bitte?" (or
as the question before) and got the same paragraph again, once with "Gern noch einmal:" in front.
Such a message never gets the same text again: the bot answers the question the customer restates,
or says honestly that it cannot say more and offers a person. Works on the plain text, like
bot.dialogue.questions.
"""

from __future__ import annotations

import re

# The bot said the same again, or did not answer / read the question (German and English).
_COMPLAINT = re.compile(
    r"\b(?:sie\s+wiederholen\s+sich|du\s+wiederholst\s+dich|wiederholen\s+sie\s+sich|"
    r"wiederholst\s+du\s+dich|(?:immer|schon\s+wieder|nochmal|noch\s+mal)\s+(?:das\s+)?(?:dasselbe|"
    r"das\s+gleiche|dieselbe\w*|den\s+gleichen\s+text)|"
    r"(?:das|dies)\s+(?:war|ist)\s+nicht\s+(?:meine|die)\s+frage|"
    r"(?:meine|die)\s+frage\s+(?:war|lautete|ist)\b|"
    r"(?:meine\s+frage|darauf|die\s+frage)\s+(?:\w+\s+){0,2}?nicht\s+(?:beantwortet|gelesen|verstanden)|"
    r"nicht\s+(?:auf\s+)?meine\s+frage|keine\s+antwort\s+auf|"
    r"(?:you(?:'re|\s+are)\s+)?repeating\s+yourself|you\s+(?:just\s+)?(?:said|told\s+me)\s+"
    r"(?:\w+\s+){0,3}?again|(?:that(?:'s|\s+is)|this\s+is)\s+not\s+what\s+i\s+asked|"
    r"my\s+question\s+was|i\s+(?:asked|was\s+asking)\s+(?:you\s+)?(?:about|whether|if)\b|"
    r"ich\s+(?:habe|hab)\s+(?:doch\s+|aber\s+|ja\s+)?(?:gefragt|nach\s+\w+\s+gefragt)|(?:didn't|did\s+not|don't|do\s+not|aren't|are\s+not|not)\s+"
    r"(?:really\s+)?answer(?:ing)?\b|same\s+(?:thing|answer|text)\s+again)",
    re.IGNORECASE,
)
# "ja oder nein?", "yes or no?": the customer wants the yes or no first.
_YES_OR_NO = re.compile(r"\b(?:ja\s+oder\s+nein|yes\s+or\s+no)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def complains_not_answered(text: str) -> bool:
    """The message says the bot repeats itself or did not answer the question."""
    return bool(_COMPLAINT.search(text or ""))


def insists(text: str) -> bool:
    """The message insists on an answer: it complains of no answer or demands "yes or no"."""
    return complains_not_answered(text) or bool(_YES_OR_NO.search(text or ""))


def restated(text: str) -> str:
    """The question the customer restates beside the complaint ("Sie wiederholen sich. Ich wollte
    wissen, ob …"): the sentences that are not the complaint alone; "" when nothing is left."""
    kept = []
    for sentence in _SENTENCE.split(text or ""):
        rest = _COMPLAINT.sub(" ", sentence)
        rest = _YES_OR_NO.sub(" ", rest)
        if len(re.findall(r"\w+", rest)) >= 3:
            kept.append(sentence.strip())
    return " ".join(kept)
