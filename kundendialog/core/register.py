"""Whether the customer says "du" or "Sie": shared by the NLU component and the actions."""

from __future__ import annotations

import re

DU_WORDS = {
    "du", "dich", "dir", "dein", "deine", "deinen", "deinem", "deiner", "deines",
    "euch", "euer", "eure", "euren", "eurem", "kannst", "könntest", "koenntest", "hast",
    "bist", "weißt", "weisst", "hilfst", "schickst", "machst", "gibst", "musst", "sollst",
    "willst", "könnt", "koennt", "habt", "seid", "wisst", "gebt", "schickt",
}
SIE_PATTERN = re.compile(
    r"\b(Ihnen|Ihr(e|en|em|er|es)?)\b|\b(können|koennen|könnten|koennten|würden|wuerden|haben|sind|"
    r"wissen|helfen|sagen|schicken|geben|müssen|muessen)\s+Sie\b|\bSie\s+(mir|bitte|uns)\b",
)
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")


def detect_register(text: str) -> str | None:
    """'du', 'sie' or None when the message does not show it."""
    if not text:
        return None
    words = {w.lower() for w in WORD.findall(text)}
    if words & DU_WORDS:
        return "du"
    lowered_pattern = SIE_PATTERN.search(text) or re.search(r"\bihnen\b", text.lower())
    return "sie" if lowered_pattern else None
