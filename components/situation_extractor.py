"""NLU component: the situation values (how hard, how often, about whom, how it felt) as entities.

Registered in config.yml after the intent classifier. It reads the client's own words with the
phrase table in data/lexicon/situation.yml (understanding/situation.py) and emits entities whose
values are canonical slot values, so the domain's `from_entity` mappings fill the slots on every
path and `rasa test nlu` scores it like any extractor. Entities of these types from any earlier
extractor are replaced: a categorical slot never receives raw text.

Why a phrase table rather than DIET's entity tagger: the tagger returned raw spans ("sobbing
uncontrollably", "my") and missed most values it had not seen; the figures for both, and for a
sentence-encoder approach, are in the README (scripts/compare_extractors.py).
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.base import StatelessComponent
from understanding import situation


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class SituationExtractor(StatelessComponent, EntityExtractorMixin):
    """Adds the situation entities of each message."""

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "SituationExtractor":
        situation.warm_up()
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        slots = set(situation.slot_names())
        for message in messages:
            found = situation.extract(message.get(TEXT) or "")
            others = [e for e in message.get(ENTITIES, []) if e.get(ENTITY_ATTRIBUTE_TYPE) not in slots]
            message.set(ENTITIES, others + found, add_to_output=True)
        return messages
