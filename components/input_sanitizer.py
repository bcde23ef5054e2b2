"""NLU component that makes any text safe to classify: first in the pipeline.

People paste all sorts of things: control characters, zero-width spaces, whole diaries. The text
the classifier sees is normalised (NFKC, control characters removed, whitespace collapsed) and cut to
MAX_CHARS, so odd input gets an ordinary answer instead of an error. The untouched text is kept under
`raw_text`, and the crisis safety net screens all of it, not just the first MAX_CHARS.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components.base import StatelessComponent
from safety.text import clean_text

MAX_CHARS = 2000  # far longer than any training example; the rest adds noise, not meaning
RAW_TEXT = "raw_text"


def sanitise(text: str) -> str:
    return clean_text(text)[:MAX_CHARS]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class InputSanitizer(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            raw = message.get(TEXT) or ""
            message.set(RAW_TEXT, raw)
            message.set(TEXT, sanitise(raw))
        return messages
