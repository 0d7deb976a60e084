"""Whether the customer asks if a request was passed on: "Haben Sie das an die Buchhaltung
weitergegeben?", "Did you send it to accounting?", "Is that request with your accounting team?".

Read without context these are a new invoice request, a FAQ question or nothing sure, and the
customer who has just been given a ticket reference hears "I cannot tell you anything reliable" or
gets the old invoice re-sent (held-out run 8, e25). With an open request on the order they ask about
that request: actions/orders.py answers from it (its reference). Plain strings in.
"""

from __future__ import annotations

import re

# A question ("?" or a question opening): "Haben Sie …", "Did you …", "Is that …".
_QUESTION = re.compile(r"\?|^\s*(?:haben|habt|hast|ist|wurde|did|has|have|is|was)\b", re.IGNORECASE)
_DE = re.compile(
    r"(?i)\b(?:haben|habt|hast|ist|sind|wurde|wurden)\b[^.!?]{0,50}?"
    r"\b(?:weitergegeben|weitergeleitet|übergeben|uebergeben|gemeldet|bescheid\s+gegeben)\b|"
    r"\b(?:liegt|ist)\b[^.!?]{0,30}\bbei\s+(?:der|eurer|ihrer|deiner)\s+buchhaltung\b"
)
_EN = re.compile(
    r"(?i)\b(?:did|has|have|was|is)\b[^.!?]{0,40}?\b(?:sent|send|passed|pass|forwarded|forward|"
    r"handed|gone|go|given)\b[^.!?]{0,20}?\b(?:on|through|to\s+(?:(?:the|your)\s+)?(?:accounting|"
    r"accountants|team|colleagues|billing))\b|"
    r"\b(?:is|was)\b[^.!?]{0,30}\b(?:with|at)\s+(?:the|your)\s+(?:accounting|billing|team)\b"
)


def asks_passed_on(text: str) -> bool:
    """A question whether the request was passed on to the team or accounting (German or English)."""
    text = text or ""
    return bool(_QUESTION.search(text) and (_DE.search(text) or _EN.search(text)))
