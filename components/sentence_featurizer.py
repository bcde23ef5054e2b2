"""NLU component: a MiniLM sentence vector as a dense feature for the intent classifier.

DIET otherwise sees words and character n-grams only, so phrasings it never saw ("is there a
human on the other end", "i feel like i caused it") land wherever their words happen to point,
and every change to the domain reshuffles those guesses. The sentence encoder (encoder/, the same
int8 MiniLM the crisis screen uses, no torch) places a message near others that mean the same.
Sentence features only: the word-level features stay the count vectors'.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

MAX_CHARS = 2000  # the classifier reads the start of a long paste; the screen reads all of it


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one 384-dimensional sentence feature to the text of every message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config()}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SentenceEncoderFeaturizer":
        return cls(config, execution_context.node_name)

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to configure beyond the featurizer alias."""

    @staticmethod
    def _encode(texts: List[str]) -> np.ndarray:
        from encoder import default_encoder

        return default_encoder().encode([text[:MAX_CHARS] for text in texts])

    def _add(self, messages: List[Message]) -> None:
        with_text = [m for m in messages if m.get(TEXT)]
        if not with_text:
            return
        for message, vector in zip(with_text, self._encode([m.get(TEXT) for m in with_text])):
            self.add_features_to_message(None, vector[None, :], TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._add(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._add(messages)
        return messages
