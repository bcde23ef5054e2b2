"""NLU component that routes every message the crisis screen flags to the crisis reply.

It runs last in the pipeline, after the FallbackClassifier, so neither a confident wrong guess nor a
low-confidence fallback can stop a crisis message from being answered. The screen
(safety/crisis.py) runs once per message, on the untouched text the sanitizer kept; its decision
is attached to the parse as entities the domain's slots take (`crisis_tier`, `crisis_language`,
`locale` from the channel's metadata), and the Rasa server renders the tiered reply from them
(the generated part of domain.yml): no action server is needed to answer a crisis.

The intent classifier alone (it predicted `crisis`, or was unsure with `crisis` first) may only
raise the gentle check-in, and only when it is confident: the full reply needs a pattern or the
semantic layer. What the screen decides, and how the conversation goes on:
- a full tier (imminent, suicidal, self-harm, danger, misconduct): `crisis`; a question whether to
  tell the therapist about these thoughts: `ask_tell_therapist_about_thoughts` (yes, and the contacts);
- someone else's suicide or one's own past attempt told in the story about the therapist (`mention`),
  or an uncertain sign (the gentle note's tiers) in a story of the therapist's tears: `share_loss`, the
  gentle note, and the story goes on with what was said;
- a denial ("im not suicidal lmao chill", "i'm not in danger, i just wanted to talk"): not a crisis,
  `reassure_safe`;
- a message in another language with nothing to screen: `other_language`, a short note that the
  assistant reads English only, with the contacts one tap away.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES, ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE, EXTRACTOR, INTENT, INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY, TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from components.base import StatelessComponent, force_intent
from components.input_sanitizer import RAW_TEXT
from safety.crisis import FULL_TIERS, Screening, screen
from safety.patterns import CLOSING_MAX_CHARS, asks_about_telling, chat_closing
from safety.reply import default_locale, locales
from understanding.questions import question_intent
from understanding.scope import fold, lexicon

CRISIS_INTENT = "crisis"
LOSS_INTENT = "share_loss"
SAFE_INTENT = "reassure_safe"
TELL_INTENT = "ask_tell_therapist_about_thoughts"
OTHER_LANGUAGE_INTENT = "other_language"
FALLBACK_INTENT = "nlu_fallback"
GOODBYE_INTENT = "goodbye"
CLASSIFIER_ALONE_CONFIDENCE = 0.8  # below this, a `crisis` guess with no sign of crisis is a fallback
# the story is about the client's therapist: a mention of loss in it does not stop the story
THERAPIST_WORDS = re.compile(r"\b(therapist|counsell?or|psychologist|psychiatrist|shrink|psychotherapist|"
                             r"analyst|clinician|social worker|my t|session|sessions)\b")
INTENT_RANKING = "intent_ranking"
# Questions about therapy that the intent classifier or the question reader recognised: the semantic
# layer's uncertain band (the gentle note) does not override them; a pattern or the full band does.
TOPICAL_QUESTIONS = {"ask_is_it_normal", "ask_is_it_professional", "ask_why_therapists_cry", "ask_research",
                     "ask_effect_on_therapy", "ask_how_to_raise_it", "ask_more_perspectives", "ask_privacy",
                     "ask_confidentiality", "ask_simpler", "ask_source"}
# what a story of the therapist's tears is read as: the account itself or how it felt
STORY_INTENTS = {"describe_therapist_crying", "feel_uncomfortable", "feel_annoyed", "feel_responsible",
                 "feel_cared_for", "feel_confused", LOSS_INTENT}
STORY_CONFIDENCE = 0.8  # a story or feeling read this surely goes on after an uncertain sign
SCREENING = "crisis_screening"  # the decision, in the parse data: layer, tier, reason


def _free_span(text: str, entities: List[Dict[str, Any]]) -> Tuple[int, int]:
    """Where the crisis entities sit in the text. They are read from the whole message, so their span
    is all of it, or, when other entities hold parts of it ("...anyway it was [the first time] she
    cried"), the longest stretch none of them holds: spans must not overlap for a test story's inline
    markup, and Rasa's end-to-end test compares spans."""
    taken = sorted((e["start"], e["end"]) for e in entities
                   if isinstance(e.get("start"), int) and isinstance(e.get("end"), int) and e["end"] > e["start"])
    gaps, last = [], 0
    for start, end in taken:
        gaps.append((last, start))
        last = max(last, end)
    gaps.append((last, len(text)))
    start, end = max(gaps, key=lambda gap: gap[1] - gap[0])
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else (0, len(text))


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
            result = screen(text, classifier_says_crisis=self._classifier_confident_of_crisis(message))
            self._route(message, text, result)
        return messages

    def _route(self, message: Message, text: str, result: Screening) -> None:
        from safety.normalise import normalise

        folded = normalise(text) if result.tier in FULL_TIERS or result.tier == "mention" else ""
        if result.tier in FULL_TIERS:
            if asks_about_telling(folded):
                self._set_intent(message, TELL_INTENT)
                self._set_entities(message, result, tier="requested")
            else:
                self._set_intent(message, CRISIS_INTENT)
                self._set_entities(message, result)
        elif result.tier == "mention" and THERAPIST_WORDS.search(folded):
            self._set_intent(message, LOSS_INTENT)
            self._set_entities(message, result)
        elif result.is_crisis and result.tier not in FULL_TIERS and self._a_story_of_the_tears(message, text):
            # an uncertain hit (the semantic layer's gentle band, or the classifier alone) on a story
            # of the therapist's tears: the gentle note, and the story goes on with what was said
            self._set_intent(message, LOSS_INTENT)
            self._set_entities(message, result)
        elif result.is_crisis and result.layer == "semantic" and self._predicted(message) in TOPICAL_QUESTIONS:
            pass  # an uncertain sentence-space hit on a question about therapy ("does it hurt therapy
            # or help it", "will my counselor tell my parents"): answered as the question it is
        elif result.layer == "classifier" and (question := question_intent(text)):
            # only the classifier guessed a crisis, on a question the question reader knows ("i'm
            # thinking about quitting my therapist over this"): the screen saw no sign, so the
            # question is answered (its guess here changes between training runs)
            self._set_intent(message, question)
        elif result.is_crisis:
            self._set_intent(message, CRISIS_INTENT)
            self._set_entities(message, result)
        elif result.denied and self._predicted(message) in (CRISIS_INTENT, FALLBACK_INTENT, SAFE_INTENT):
            self._set_intent(message, SAFE_INTENT)
        elif result.language != "en":
            self._set_intent(message, OTHER_LANGUAGE_INTENT)
            self._set_entities(message, result, only=("crisis_language",))
        elif self._predicted(message) == LOSS_INTENT and (instead := _loss_read_as(text)):
            # a loss with no suicide or attempt in it: "my therapist cried when i talked about my
            # sister who died" is the story of the tears, "my mum died last week" is sadness
            self._set_intent(message, instead)
        elif self._predicted(message) in (CRISIS_INTENT, LOSS_INTENT, TELL_INTENT):
            # the classifier guessed it; the screen saw no sign of it: a question the reader knows is
            # answered ("my counsellor wants to hang out as friends"), anything else is a fallback
            if question := question_intent(text):
                self._set_intent(message, question)
            elif len(text) <= CLOSING_MAX_CHARS and chat_closing(normalise(text)):
                self._set_intent(message, GOODBYE_INTENT)  # "thats all for tonight, goodnight"
            else:
                self._demote_to_fallback(message)

    @classmethod
    def _a_story_of_the_tears(cls, message: Message, text: str) -> bool:
        """The message goes on with the story of the therapist's tears: the classifier (after the scope
        gate) read it, confidently, as the account or a feeling about it ("so weird, i did not know
        where to put myself" answering how it felt); or, when it guessed a crisis, its next guess is
        one and the message names a therapist or a session and tears."""
        guess = cls._predicted(message)
        if guess in STORY_INTENTS:
            confidence = (message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY) or 0.0
            return confidence >= STORY_CONFIDENCE or _loss_read_as(text) == "describe_therapist_crying"
        ranking = [r.get(INTENT_NAME_KEY) for r in (message.get(INTENT_RANKING) or [])
                   if r.get(INTENT_NAME_KEY) not in (CRISIS_INTENT, FALLBACK_INTENT)]
        return guess in (CRISIS_INTENT, FALLBACK_INTENT) and bool(ranking) and ranking[0] in STORY_INTENTS \
            and _loss_read_as(text) == "describe_therapist_crying"

    @staticmethod
    def _predicted(message: Message) -> Optional[str]:
        return (message.get(INTENT) or {}).get(INTENT_NAME_KEY)

    @classmethod
    def _classifier_confident_of_crisis(cls, message: Message) -> bool:
        """The classifier's `crisis`, when it is sure of it (first, and confident; also as the best
        guess behind a fallback): it may raise the gentle check-in, never the full reply."""
        ranking = [r for r in (message.get(INTENT_RANKING) or []) if r.get(INTENT_NAME_KEY) != FALLBACK_INTENT]
        return bool(ranking) and ranking[0].get(INTENT_NAME_KEY) == CRISIS_INTENT and \
            (ranking[0].get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= CLASSIFIER_ALONE_CONFIDENCE

    @staticmethod
    def _set_intent(message: Message, name: str) -> None:
        force_intent(message, name)

    @staticmethod
    def _set_entities(message: Message, result: Screening, tier: Optional[str] = None, only=None) -> None:
        metadata: Dict[str, Any] = message.get("metadata") or {}
        locale = str(metadata.get("locale") or "").lower() if isinstance(metadata, dict) else ""
        values = {"crisis_tier": tier or result.tier,
                  "crisis_language": result.language if result.language in _languages() else "en",
                  "locale": locale if locale in locales() else default_locale()}
        if result.tier in FULL_TIERS:
            values["crisis_disclosed"] = True
        if only:
            values = {k: v for k, v in values.items() if k in only}
        entities = [e for e in (message.get(ENTITIES) or []) if e.get(ENTITY_ATTRIBUTE_TYPE) not in values]
        if result.tier in FULL_TIERS:
            # a short reply's reading as the form's answer ("sometimes" as how often, "better" as how
            # it felt in "everyone would be better off without me") is no answer to a crisis message;
            # what it states outright ("...anyway it was the first time she cried") is kept
            entities = [e for e in entities if e.get("role") != "answer"]
        start, end = _free_span(message.get(RAW_TEXT) or message.get(TEXT) or "", entities)
        entities += [{ENTITY_ATTRIBUTE_TYPE: name, ENTITY_ATTRIBUTE_VALUE: value, "start": start, "end": end,
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


def _loss_read_as(text: str) -> Optional[str]:
    """What a `share_loss` guess is when the screen found no suicide or attempt in the message: the
    story of the therapist's tears when it names a therapist (or a session) and tears, sadness when
    it names no therapist; None (a fallback) otherwise."""
    from understanding.scope import read

    kind = read(text).kind
    if kind == "therapist" and lexicon().cry.search(fold(text)):
        return "describe_therapist_crying"
    if kind == "sadness":
        return "share_sadness"
    return None


def _languages() -> List[str]:
    from safety.patterns import compiled

    return ["en"] + sorted(compiled().english_only)
