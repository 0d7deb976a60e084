"""Detect whether the customer says "du" or "Sie", as a Rasa NLU component."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from kundendialog.core.register import detect_register
from kundendialog.rasa_ext.annotator import MessageAnnotator

__all__ = ["RegisterDetector", "detect_register"]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class RegisterDetector(MessageAnnotator):
    """Adds `register` ("du"/"sie"/None) to every parsed message."""

    def annotate(self, message: Message) -> None:
        message.set("register", detect_register(message.get(TEXT) or ""), add_to_output=True)
