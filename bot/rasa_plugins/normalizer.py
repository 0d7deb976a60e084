"""Dialect and colloquial spellings mapped to standard German before the intent features.

Customers write as they speak: Bavarian and Austrian ("i hob mei packerl ned kriagt"),
Swiss German ("wo isch mini bestellig"), chat shorthand ("gibts", "pls") and without
umlauts ("rueckgabe", "strasse"). The sentence encoder and the word n-grams only know
standard spellings, so a word they never saw carries no meaning. This component rewrites
the text the featurizers read (`masked_text`, see masker.py) – never the message text,
so entities, slots and the transcript keep what the customer typed.

The word list and the rules live in bot/dialogue/spelling.py (pure Python), which the
knowledge base's analyser uses too.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.dialogue.spelling import normalize
from bot.rasa_plugins.annotator import MessageAnnotator
from bot.rasa_plugins.clauses import strip_preamble
from bot.rasa_plugins.masker import MASKED_TEXT


def feature_text(text: str) -> str:
    """What the featurizers read: standard spellings, without a greeting-and-plea wrapper (clauses.py)."""
    return strip_preamble(normalize(text))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class DialectNormalizer(MessageAnnotator):
    """Runs after EntityMasker (it rewrites the masked text) and before the featurizers; also drops a
    leading greeting or plea for help in front of a request (`clauses.strip_preamble`)."""

    on_training_data = True

    def annotate(self, message: Message) -> None:
        text = message.get(MASKED_TEXT) or message.get(TEXT)
        if text:
            message.set(MASKED_TEXT, feature_text(text))
