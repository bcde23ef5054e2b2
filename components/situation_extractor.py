"""NLU component: the situation values (how hard, how often, about whom, how it felt) as entities.

Registered in config.yml after the intent classifier. It reads the client's own words with the
phrase table in data/lexicon/situation.yml (understanding/situation.py) and emits entities whose
values are canonical slot values, so the domain's `from_entity` mappings fill the slots on every
path and `rasa test nlu` scores it like any extractor. Entities of these types from any earlier
extractor are replaced: a categorical slot never receives raw text.

Why a phrase table rather than DIET's entity tagger: the tagger returned raw spans ("sobbing
uncontrollably", "my") and missed most values it had not seen; the figures for both, and for a
sentence-encoder approach, are in the README (scripts/compare_extractors.py).

It also emits `client_loss`: whom the client tells of having lost ("my sister who died" -> sister;
understanding/loss.py), so the first reply can say it is sorry before it asks anything.
"""
from __future__ import annotations

import re
from typing import List, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START, ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE, EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from components.base import StatelessComponent
from understanding import situation
from understanding.loss import find_loss


LOSS_ENTITY = "client_loss"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class SituationExtractor(StatelessComponent, EntityExtractorMixin):
    """Adds the situation entities of each message."""

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "SituationExtractor":
        situation.warm_up()
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        slots = set(situation.slot_names()) | {LOSS_ENTITY}
        for message in messages:
            text = message.get(TEXT) or ""
            found = situation.extract(text)
            lost = find_loss(text[:5000]) if not text.startswith("/") else None
            if lost:
                who, start, end = lost
                start, end = _beside(found, text, start, end)
                found.append({ENTITY_ATTRIBUTE_TYPE: LOSS_ENTITY, ENTITY_ATTRIBUTE_VALUE: who,
                              ENTITY_ATTRIBUTE_START: start, ENTITY_ATTRIBUTE_END: end,
                              EXTRACTOR: type(self).__name__})
            others = [e for e in message.get(ENTITIES, []) if e.get(ENTITY_ATTRIBUTE_TYPE) not in slots]
            message.set(ENTITIES, others + found, add_to_output=True)
        return messages


# the word of the loss after the person ("my brother's suicide", "my sister who died")
DEATH_WORD = re.compile(r"(?i)\b(?:died|dead|passed away|passed on|passed|suicide|funeral|death|passing|killed|"
                        r"overdose|loss|lost|stillborn|miscarr\w*|grave|memorial)\b")


def _beside(found: List[dict], text: str, start: int, end: int) -> Tuple[int, int]:
    """Where the loss entity sits: the person's word, or, when a situation entity already holds it
    ("[told her about my brother's] suicide" is how the tears began), the word of the loss after it,
    so no two entities share a span (an entity-tagged message has one entity per span)."""
    taken = [(e[ENTITY_ATTRIBUTE_START], e[ENTITY_ATTRIBUTE_END]) for e in found]
    if not any(s < end and start < e for s, e in taken):
        return start, end
    for m in DEATH_WORD.finditer(text, start):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            return m.start(), m.end()
    return start, end
