"""Base for our NLU components that annotate each message and train nothing."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
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
