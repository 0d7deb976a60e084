"""Follow-up questions about an order that its facts do not answer (held-out persona run 2, d14/d18/d28).

After the status was given, "Warum wurde die Bestellung storniert?", "bei DHL heißt es nur
'Sendung nicht gefunden'" or "und der Tausch – geht das noch?" were read as the status again and got
"hatten Sie vorhin schon gefragt" with the same facts. The shop data holds no reason, no carrier
fault and no swap: the bot says it cannot tell that surely and offers a person
(actions/orders.py, the honest line of actions/second_request.py). Plain strings in.
"""

from __future__ import annotations

import re

from bot.dialogue.questions import asks_a_question, question_clauses

# why something happened to the order: the shop data has no reason
_WHY = re.compile(r"(?i)\b(?:warum|wieso|weshalb|weswegen|why)\b")
# the tracking number the status gave does not work at the carrier
_TRACKING_FAILS = re.compile(
    r"(?i)\b(?:sendungs?\w*|nummer|tracking\w*|link)\b.{0,60}?"
    r"(?:nicht\s+gefunden|funktioniert\s+nicht|geht\s+nicht|zeigt\s+(?:nix|nichts)|not\s+found|"
    r"doesn'?t\s+work)|\bnicht\s+gefunden\b"
)
# swapping an item of the order for another one (no shop change the bot can make)
_SWAP = re.compile(
    r"(?i)\b(?:tausch|tauschen|austausch\w*|swap)\b|\bgegen\s+(?:das|die|den|ein)\s+\w+\s+tauschen"
)


def beyond_facts(text: str) -> bool:
    """Whether a follow-up asks what the order's facts cannot answer (a reason, a carrier fault,
    a swap) rather than for the status again."""
    text = text or ""
    if _TRACKING_FAILS.search(text):
        return True
    return asks_a_question(text) and bool(_WHY.search(text) or _SWAP.search(text))


def quoted_question(text: str) -> str:
    """The question to name back: the asked clause that says most, else the message itself."""
    asked = [q for q in question_clauses(text) if _WHY.search(q) or _SWAP.search(q)]
    asked = asked or question_clauses(text)
    if not asked:
        return " ".join((text or "").split())
    return max(asked, key=len)
