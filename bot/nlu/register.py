"""Detect whether the customer says "du" or "Sie", as a Rasa NLU component."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.annotator import MessageAnnotator

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


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class RegisterDetector(MessageAnnotator):
    """Adds `register` ("du"/"sie"/None) to every parsed message."""

    def annotate(self, message: Message) -> None:
        message.set("register", detect_register(message.get(TEXT) or ""), add_to_output=True)
