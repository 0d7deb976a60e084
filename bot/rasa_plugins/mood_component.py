"""Rasa NLU component that attaches the frustration score to every message."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.dialogue.mood import score_text
from bot.rasa_plugins.annotator import MessageAnnotator


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class MoodAnalyzer(MessageAnnotator):
    """Adds `mood` = {"score": 0..1, "signals": [...]} to the parse result."""

    def annotate(self, message: Message) -> None:
        message.set("mood", score_text(message.get(TEXT) or "").as_dict(), add_to_output=True)
