"""Whether the customer says "du" or "Sie": shared by the NLU component and the actions.

Only the customer addressing the bot counts: "du"/"dir"/"kannst" switch to du ("bist du ein
Bot?" is said to the bot). "ihr"/"euch"/"habt" address the shop as a company ("habt ihr das
auf Lager?", "bei euch") and say nothing about how the customer wants to be addressed.
Formal Sie is also recognised written in lower case ("können sie mir helfen").
"""

from __future__ import annotations

import re

DU_WORDS = {
    "du",
    "dich",
    "dir",
    "dein",
    "deine",
    "deinen",
    "deinem",
    "deiner",
    "deines",
    "kannst",
    "könntest",
    "koenntest",
    "hast",
    "bist",
    "weißt",
    "weisst",
    "hilfst",
    "schickst",
    "machst",
    "gibst",
    "musst",
    "sollst",
    "willst",
}
SIE_VERBS = (
    r"können|koennen|könnten|koennten|würden|wuerden|haben|hätten|haetten|sind|wissen|helfen|sagen|"
    r"schicken|geben|müssen|muessen|möchten|moechten|wollen|sollten|brauchen|schauen|prüfen|pruefen"
)
SIE_PATTERN = re.compile(
    r"\b(Ihnen|Ihr(e|en|em|er|es)?)\b|\bSie\s+(mir|bitte|uns)\b",
)
# "können sie", "Können sie", "koennen SIE": a verb in the polite form followed by sie.
SIE_AFTER_VERB = re.compile(r"\b(" + SIE_VERBS + r")\s+sie\b", re.IGNORECASE)
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")


def detect_register(text: str) -> str | None:
    """'du', 'sie' or None when the message does not show it."""
    if not text:
        return None
    words = {w.lower() for w in WORD.findall(text)}
    if words & DU_WORDS:
        return "du"
    if (
        SIE_PATTERN.search(text)
        or SIE_AFTER_VERB.search(text)
        or re.search(r"\bihnen\b", text.lower())
    ):
        return "sie"
    return None
