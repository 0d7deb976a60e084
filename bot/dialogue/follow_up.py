"""A short follow-up is read together with the turn before it, not on its own (issue 22).

"Und wann wird dann verschickt?" after the prepayment answer, "Bei wem könnte das Paket denn
liegen?" after a 'delivered' status, "Und wenn es nicht auftaucht, was mache ich dann?": read alone,
such a message matches a help page about something else, the same status again, or nothing. Read
with the previous turn it is clear. This module only reads the words (plain strings in, so the
actions and their tests agree); the actions add the previous turn's topic to the help-page search
(actions/knowledge.py), answer a question about the status just given from the help pages with the
status as topic (actions/orders.py), and never give a reply word for word again
(actions/account.py).
"""

from __future__ import annotations

import re

# A follow-up is short; a longer message states a question of its own.
FOLLOW_UP_WORDS = 12
# Opens by joining on to what was said: "Und wann …?", "Aber was, wenn …?", "And how …?".
_JOINS = re.compile(r"(?i)^\s*(?:und|aber|oder|and|but|or)\b")
# Refers back to what was said: "dann", "es", "das Paket", "die Mail".
_REFERS = re.compile(
    r"(?i)\b(?:dann|es|dort|dafür|dafuer|dabei|damit|davon|da|then|it|there|"
    r"(?:das|die|der|den)\s+(?:paket|sendung|mail|e-?mail|lieferung|bestellung|link|nummer))\b"
)
# "Und wenn es (dann) nicht auftaucht …", "und falls das nicht klappt?", "was mache ich dann?":
# what to do when what the bot just said does not come true.
_IF_NOT = re.compile(
    r"(?i)\b(?:wenn|falls)\s+(?:es|das|sie|er|die\s+\w+|das\s+\w+|der\s+\w+)\s+"
    r"(?:\w+\s+){0,3}(?:nicht|nie|kein\w*)\b"
    r"|\b(?:and\s+)?if\s+(?:it|that|they)\s+(?:still\s+)?(?:does\s*n[o']t|doesn't|is\s*n[o']t|"
    r"isn't|won't|never)\b"
)
_WHAT_THEN = re.compile(r"(?i)\bwas\s+(?:mache|tue|tu|mach)\s+ich\s+(?:dann|da)\s*[?!.]*\s*$")
# What may follow the condition: nothing, "was dann?", or getting back in touch ("schreibe ich Ihnen
# wieder?"); "…, kann ich sie umtauschen?" asks a question of its own.
_THEN_ASKS = re.compile(
    r"(?i)^\s*(?:was\s+(?:dann|nun|jetzt|passiert\s+dann|mache\s+ich|mach\s+ich|tue\s+ich)\b.*|"
    r"(?:schreibe|schreib|melde|meld|wende|frage|frag)\s+ich\b.*|"
    r"(?:muss|soll)\s+ich\s+(?:mich|ihnen|euch|dir)\b.*|what\s+(?:then|now|do\s+i\s+do)\b.*|)"
    r"[\s?!.]*$"
)
# A question that asks for the status itself again: the status is the answer, not a follow-up.
_STATUS_AGAIN = re.compile(
    r"(?i)\b(?:wo\s+(?:ist|bleibt|steckt|sind)|wann\s+(?:kommt|kommen|ist|sind)\s+(?:es|sie|das|die)"
    r"|stand|status|schon\s+(?:da|angekommen|zugestellt|unterwegs|verschickt|raus)|jetzt|"
    r"inzwischen|mittlerweile|nochmal|noch\s+einmal|where\s+is|status)\b"
)


def is_follow_up(text: str) -> bool:
    """A short message that joins on to the previous turn or refers back to it."""
    words = (text or "").split()
    if not words or len(words) > FOLLOW_UP_WORDS:
        return False
    return bool(_JOINS.match(text) or _REFERS.search(text))


def joins_on(text: str) -> bool:
    """A short message opening with "und", "aber", "oder": it continues the previous question."""
    return is_follow_up(text) and bool(_JOINS.match(text))


def asks_if_not(text: str) -> bool:
    """ "Und wenn es dann nicht da ist, …?", "was mache ich dann?": the next step if it fails -
    not "Und wenn sie nicht passt, kann ich sie umtauschen?", which asks something of its own."""
    if not is_follow_up(text):
        return False
    if _WHAT_THEN.search(text):
        return True
    found = _IF_NOT.search(text)
    if not found:
        return False
    rest = text[found.end() :]
    return bool(_THEN_ASKS.match(rest.split(",", 1)[1] if "," in rest else ""))


def asks_status_again(text: str) -> bool:
    """ "Wo ist es jetzt?", "Ist es schon da?": the status itself asked for again."""
    return bool(_STATUS_AGAIN.search(text or ""))


def with_topic(text: str, topic: str) -> str:
    """The text to search the help pages for: the follow-up with the previous turn's topic."""
    topic = " ".join((topic or "").split())
    return f"{topic} {text}".strip() if topic else text
