"""NLU component that routes every message the crisis screen flags to the crisis reply.

It runs last in the pipeline, after the FallbackClassifier, so neither a confident wrong guess nor a
low-confidence fallback can stop a crisis message from being answered. The screen
(safety/crisis.py) runs once per message, on the untouched text the sanitizer kept; its decision
is attached to the parse as entities the domain's slots take (`crisis_tier`, `crisis_language`,
`locale` from the channel's metadata), and the Rasa server renders the tiered reply from them
(domain/crisis_replies.yml): no action server is needed to answer a crisis.

The intent classifier alone (it predicted `crisis`, or was unsure with `crisis` first) may only
raise the gentle check-in: the full reply needs a pattern or the semantic layer. A predicted
`crisis` the screen finds no sign of, in a message that denies it ("im not suicidal lmao chill"), is
no crisis: it becomes the fallback, which asks what the person meant.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES, ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE, EXTRACTOR, INTENT, INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY, TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from components.base import StatelessComponent
from components.input_sanitizer import RAW_TEXT
from safety.crisis import Screening, screen
from safety.reply import default_locale, locales

CRISIS_INTENT = "crisis"
FALLBACK_INTENT = "nlu_fallback"
INTENT_RANKING = "intent_ranking"
SCREENING = "crisis_screening"  # the decision, in the parse data: layer, tier, reason


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisSafetyNet(StatelessComponent):
    """Overrides the predicted intent with `crisis` for messages the crisis screen flags."""

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "CrisisSafetyNet":
        from safety.semantic import semantic_layer

        semantic_layer()  # load the encoder and the examples now, not on someone's first message
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(RAW_TEXT) or message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # a button payload: Rasa's RegexMessageHandler reads it
            result = screen(text, classifier_says_crisis=self._classifier_leans_to_crisis(message))
            if result.is_crisis:
                self._force_crisis(message, result)
            elif self._predicted(message) == CRISIS_INTENT:
                self._demote_to_fallback(message)
        return messages

    @staticmethod
    def _predicted(message: Message) -> Optional[str]:
        return (message.get(INTENT) or {}).get(INTENT_NAME_KEY)

    @classmethod
    def _classifier_leans_to_crisis(cls, message: Message) -> bool:
        if cls._predicted(message) == CRISIS_INTENT:
            return True
        ranking = message.get(INTENT_RANKING) or []
        if cls._predicted(message) == FALLBACK_INTENT:
            guesses = [r for r in ranking if r.get(INTENT_NAME_KEY) != FALLBACK_INTENT]
            return bool(guesses) and guesses[0].get(INTENT_NAME_KEY) == CRISIS_INTENT
        return False

    @staticmethod
    def _force_crisis(message: Message, result: Screening) -> None:
        crisis = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [r for r in (message.get(INTENT_RANKING) or []) if r.get(INTENT_NAME_KEY) != CRISIS_INTENT]
        message.set(INTENT, crisis, add_to_output=True)
        message.set(INTENT_RANKING, [crisis] + ranking, add_to_output=True)
        metadata: Dict[str, Any] = message.get("metadata") or {}
        locale = str(metadata.get("locale") or "").lower() if isinstance(metadata, dict) else ""
        values = {"crisis_tier": result.tier,
                  "crisis_language": result.language if result.language in _languages() else "en",
                  "locale": locale if locale in locales() else default_locale()}
        entities = [e for e in (message.get(ENTITIES) or []) if e.get(ENTITY_ATTRIBUTE_TYPE) not in values]
        entities += [{ENTITY_ATTRIBUTE_TYPE: name, ENTITY_ATTRIBUTE_VALUE: value, "start": 0, "end": 0,
                      "confidence_entity": 1.0, EXTRACTOR: CrisisSafetyNet.__name__}
                     for name, value in values.items()]
        message.set(ENTITIES, entities, add_to_output=True)
        message.set(SCREENING, {"tier": result.tier, "layer": result.layer, "reason": result.reason[:200],
                                "language": result.language}, add_to_output=True)

    @staticmethod
    def _demote_to_fallback(message: Message) -> None:
        intent = message.get(INTENT) or {}
        fallback = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: intent.get(PREDICTED_CONFIDENCE_KEY, 0.0)}
        message.set(INTENT, fallback, add_to_output=True)
        message.set(INTENT_RANKING, [fallback] + (message.get(INTENT_RANKING) or []), add_to_output=True)


def _languages() -> List[str]:
    from safety.patterns import compiled

    return ["en"] + sorted(compiled().english_only)
