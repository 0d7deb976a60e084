"""Detect an English-writing customer, as a Rasa NLU component (issue 22, pattern 12).

Sets a `language` entity ("en" or "de") when the message shows one, so the `language` slot is filled
inside Rasa like `register`: responses have English variants (condition: slot language = en) and the
actions read the slot. Messages that show neither (an order number, an e-mail) keep the slot.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.annotator import MessageAnnotator, add_message_entity
from bot.shared.language import detect_language


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class LanguageDetector(MessageAnnotator):
    """Adds `language` ("en"/"de"/None) to every parsed message, and a `language` entity when shown."""

    def annotate(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        language = detect_language(text)
        message.set("language", language, add_to_output=True)
        if language:  # as an entity too: the `language` slot is filled from it inside Rasa
            add_message_entity(message, "language", language, "LanguageDetector")
