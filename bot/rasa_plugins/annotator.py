"""Base for our NLU components that annotate each message and train nothing."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class MessageAnnotator(GraphComponent):
    """Subclasses implement `annotate`; `on_training_data` says whether training
    examples need it too (the featurizers must see what inference will see)."""

    on_training_data = False

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageAnnotator:
        return cls()

    def annotate(self, message: Message) -> None:
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self.annotate(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        if self.on_training_data:
            for message in training_data.training_examples:
                self.annotate(message)
        return training_data


def add_message_entity(message: Message, entity: str, value: str, extractor: str) -> None:
    """An entity spanning the whole message (register, language): Rasa fills the slot of the same
    name from it inside the model, with no action-server round trip."""
    found = {
        ENTITY_ATTRIBUTE_TYPE: entity,
        ENTITY_ATTRIBUTE_VALUE: value,
        ENTITY_ATTRIBUTE_START: 0,
        ENTITY_ATTRIBUTE_END: len(message.get(TEXT) or ""),
        EXTRACTOR: extractor,
    }
    message.set(ENTITIES, [*(message.get(ENTITIES) or []), found], add_to_output=True)
