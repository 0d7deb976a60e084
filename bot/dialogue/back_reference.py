"""A message that only points back at an earlier question ("Und die Frage mit dem Bezahlen?").

Held-out persona run 4, d23: the daughter's "Muss ich für die offene Bestellung noch etwas bezahlen?"
went unanswered beside her e-mail address, and "Und die Frage mit dem Bezahlen?" then got the list of
payment methods - the words "Bezahlen" alone were read. The question meant is the customer's own
earlier one: this finds it, so the NLU reads that question instead (bot/rasa_plugins/understanding.py)
and the actions answer it. Plain strings in and out: no Rasa import.
"""

from __future__ import annotations

import re
from typing import List, Sequence

# "Und die Frage mit dem Bezahlen?", "was ist mit meiner Frage zur Rücksendung?", "and my question
# about the refund?", "what about my other question?": a pointer, short, asking nothing new.
POINTER = re.compile(
    r"(?i)^\W*(?:(?:und|aber|also|and|but|so)\s+)?(?:(?:was\s+ist\s+(?:denn\s+|jetzt\s+|nun\s+)?"
    r"(?:mit\s+)?)|(?:what\s+about\s+))?(?:(?:die|der|meine[rn]?|deine[rn]?|my|the)\s+)?"
    r"(?:andere[nr]?\s+|zweite[nr]?\s+|erste[nr]?\s+|other\s+|second\s+|first\s+)?"
    r"(?:frage|question)\b\s*(?P<topic>[^?!.]*)[?!.\s]*$"
)
POINTER_WORDS = 10
# The words that join the topic to "Frage": "mit dem Bezahlen", "zur Rücksendung", "about paying".
_JOINERS = re.compile(
    r"(?i)^(?:mit|zu[mr]?|wegen|nach|(?:ü|ue)ber|von|about|on|regarding|re)\b\s*"
    r"(?:de[mnrs]|die|das|ein\w*|the|a|my|meine[mnr]?)?\s*"
)
_PREFIXES = ("be", "ge", "ver", "zu", "re")
_QUESTION = re.compile(r"[^?.!]*\?")


def _core(word: str) -> str:
    """A word's core, found inside the words of the question ("Bezahlen" in "bezahlen", "Zahlung"
    and "zahle"; "Konto" in "Kundenkonto"): lower case, without a short verb prefix, four letters."""
    word = word.lower()
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 4:
            word = word[len(prefix) :]
            break
    return word[:4]


def pointer_topic(text: str) -> str | None:
    """The topic words of a message that only points back at an earlier question ("" when it names
    none: "Und meine Frage?"), or None when the message is no such pointer."""
    text = (text or "").strip()
    if len(text.split()) > POINTER_WORDS:
        return None
    found = POINTER.match(text)
    if found is None:
        return None
    topic = found.group("topic").strip()
    if topic and not _JOINERS.match(topic):
        return None  # "Die Frage ist, ob …", "Frage: …": a question of its own
    return _JOINERS.sub("", topic).strip()


def questions_in(text: str) -> List[str]:
    """The asking sentences of a message, in order."""
    return [q.strip() for q in _QUESTION.findall(text or "") if len(q.split()) >= 2]


def earlier_question(text: str, earlier: Sequence[str]) -> str | None:
    """The customer's earlier question `text` points back at: the latest one sharing a topic word
    with the pointer, or with no topic named the latest question of the message before. None when
    `text` is no pointer or nothing fits (the message is read as it stands)."""
    topic = pointer_topic(text)
    if topic is None:
        return None
    cores = {_core(w) for w in re.findall(r"\w{4,}", topic)}
    for message in reversed(list(earlier)):
        if message.startswith("/") or pointer_topic(message) is not None:
            continue  # a tap or another pointer
        asked = questions_in(message)
        if not cores:
            return asked[-1] if asked else None
        for question in reversed(asked):
            if any(core in question.lower() for core in cores):  # "Konto" in "Kundenkonto"
                return question
    return None
