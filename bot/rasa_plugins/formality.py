"""Detect whether the customer says "du" or "Sie", as a Rasa NLU component."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.annotator import MessageAnnotator, add_message_entity
from bot.shared.formality import detect_register

__all__ = ["RegisterDetector", "detect_register"]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class RegisterDetector(MessageAnnotator):
    """Adds `register` ("du"/"sie"/None) to every parsed message, and a `register` entity when shown."""

    def annotate(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        register = detect_register(text)
        message.set("register", register, add_to_output=True)
        if register:  # as an entity too: the `register` slot is filled from it inside Rasa
            add_message_entity(message, "register", register, "RegisterDetector")
