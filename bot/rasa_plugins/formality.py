"""Detect whether the customer says "du" or "Sie", as a Rasa NLU component."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.annotator import MessageAnnotator, add_message_entity
from bot.shared.formality import detect_register
from bot.shared.language import is_english

__all__ = ["RegisterDetector", "detect_register"]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class RegisterDetector(MessageAnnotator):
    """Adds `register` ("du"/"sie"/None) to every parsed message, and a `register` entity when shown."""

    def annotate(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        register = detect_register(text)
        message.set("register", register, add_to_output=True)
        # As an entity too: the `register` slot is filled from it inside Rasa. An English message
        # sets Sie: English has no du, and a slot left at du would make Rasa choose at random between
        # a response's du and English variants (both conditions match); German again is Sie then,
        # as in the hub (bot.shared.formality.address).
        slot = register or ("sie" if is_english(text) else None)
        if slot:
            add_message_entity(message, "register", slot, "RegisterDetector")
