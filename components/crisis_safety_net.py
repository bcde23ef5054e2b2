"""NLU component that forces the `crisis` intent when the safety screen matches.

It runs last in the pipeline, after the FallbackClassifier, so neither a confident wrong guess nor a
low-confidence fallback can stop a crisis message from reaching action_crisis_support. It also turns
an `nlu_fallback` whose best guess was `crisis` into `crisis`: when unsure, offer help.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.base import StatelessComponent
from components.input_sanitizer import RAW_TEXT
from safety.crisis import screen

CRISIS_INTENT = "crisis"
FALLBACK_INTENT = "nlu_fallback"
INTENT_RANKING = "intent_ranking"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisSafetyNet(StatelessComponent):
    """Overrides the predicted intent with `crisis` for messages the safety screen flags."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if self._needs_crisis_intent(message):
                self._force_crisis(message)
        return messages

    @staticmethod
    def _needs_crisis_intent(message: Message) -> bool:
        # the sanitizer keeps the untouched text: screen all of it, not just what the classifier saw
        if screen(message.get(RAW_TEXT) or message.get(TEXT) or "").is_crisis:
            return True
        intent: Optional[Dict[str, Any]] = message.get(INTENT)
        ranking = message.get(INTENT_RANKING) or []
        if intent and intent.get(INTENT_NAME_KEY) == FALLBACK_INTENT:
            guesses = [r for r in ranking if r.get(INTENT_NAME_KEY) != FALLBACK_INTENT]
            return bool(guesses) and guesses[0].get(INTENT_NAME_KEY) == CRISIS_INTENT
        return False

    @staticmethod
    def _force_crisis(message: Message) -> None:
        crisis = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [
            r
            for r in (message.get(INTENT_RANKING) or [])
            if r.get(INTENT_NAME_KEY) != CRISIS_INTENT
        ]
        message.set(INTENT, crisis, add_to_output=True)
        message.set(INTENT_RANKING, [crisis] + ranking, add_to_output=True)
