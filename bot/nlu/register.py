"""Detect whether the customer says "du" or "Sie", as a Rasa NLU component."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

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


def detect_register(text: str) -> Optional[str]:
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
class RegisterDetector(GraphComponent):
    """Adds `register` ("du"/"sie"/None) to every parsed message."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RegisterDetector":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set("register", detect_register(message.get(TEXT) or ""), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
