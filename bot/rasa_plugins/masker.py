"""Hide order numbers and e-mail addresses from the intent features.

"falsch@example.com" is an e-mail, not a "no": the words inside such values
must not sway the intent. Entities come from RegexEntityExtractor on the
original text; the featurizers see a placeholder token instead.
"""

from __future__ import annotations

import re
from typing import List, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.annotator import MessageAnnotator

PATTERNS: List[Tuple[str, re.Pattern[str]]] = [
    ("emailadresse", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    ("bestellnummer", re.compile(r"(?i)\b(?:KD-?\s?)?1\d{5}\b")),
]
MASKED_TEXT = "masked_text"


def mask_spans(text: str) -> List[Tuple[int, int, str]]:
    spans: List[Tuple[int, int, str]] = []
    for placeholder, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if not any(s < match.end() and match.start() < e for s, e, _ in spans):
                spans.append((match.start(), match.end(), placeholder))
    return sorted(spans)


def masked(text: str) -> str:
    for start, end, placeholder in reversed(mask_spans(text)):
        text = text[:start] + placeholder + text[end:]
    return text


def mask_message(message: Message) -> None:
    text = message.get(TEXT)
    if not text:
        return
    spans = mask_spans(text)
    message.set(MASKED_TEXT, masked(text) if spans else text)
    if not spans:
        return
    for token in message.get(TOKENS_NAMES[TEXT]) or []:
        for start, end, placeholder in spans:
            if token.start < end and start < token.end:
                token.text = placeholder
                token.set("lemma", placeholder)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class EntityMasker(MessageAnnotator):
    """Runs after the tokenizer, before every featurizer."""

    on_training_data = True

    def annotate(self, message: Message) -> None:
        mask_message(message)
