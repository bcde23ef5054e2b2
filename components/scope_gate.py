"""NLU component: messages that are not about the client's therapist stay out of the therapist flow.

Runs after the intent classifier, the fallback and the situation extractor, and before the crisis
safety net (which can still override anything). It reads who the message is about
(understanding/scope.py, word lists in data/lexicon/scope.yml) and changes the intent only where
the classifier took the message into the flow without a therapist in it, or missed a therapist who
cried:
- another person's tears (a boss, a partner, a film) -> `out_of_scope`;
- sadness, loneliness or grief with no therapist -> `share_sadness` (a warm word, never the form),
  also when the classifier took a loss ("my mum died last week") for an errand;
- a "description" with nothing of a therapist, crying or feelings -> `out_of_scope`;
- a therapist who cried, classified as out of scope -> `describe_therapist_crying`;
- a "skip" that gives an answer anyway ("idk kinda weird ngl") -> the feeling's intent;
- letters with no word in them ("blorp blorp"), when the classifier is unsure -> `nlu_fallback`
  (the classifier's nearest guess was a goodbye or a yes).
The original prediction stays in the parse under `scope_gate` so `rasa test nlu` and the logs can
tell the classifier's view from the gate's.

It also says who is talking when the message does: a `speaker` entity "therapist" (one who cried
with a client) or "young_person" (a minor), which the `speaker` slot keeps for the conversation.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES, ENTITY_ATTRIBUTE_TYPE, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from components.base import StatelessComponent, force_intent
from safety.normalise import normalise
from safety.patterns import chat_closing
from understanding.scope import (
    ANSWER_MAX_WORDS, fold, gated_intent, has_no_words, is_markup_or_code, lexicon, read, speaker_phrase,
)
from understanding.situation import slot_names as situation_slot_names

GATE = "scope_gate"
SPEAKER_ENTITY = "speaker"
NAMED_SPEAKERS = {"therapist", "young_person"}
SKIP = "skip_question"
FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
GOODBYE = "goodbye"
SADNESS = "share_sadness"
DESCRIBE = "describe_therapist_crying"
ANNOYED = "feel_annoyed"
CRYING_TOLD = {"crying_intensity", "crying_frequency", "crying_focus"}
SURE_OF_NONWORDS = 0.7  # above this the classifier may know a misspelling we don't ("thanku")
FEELING_INTENTS = {"uncomfortable": "feel_uncomfortable", "responsible": "feel_responsible",
                   "cared_for": "feel_cared_for", "confused": "feel_confused"}
FEELINGS = set(FEELING_INTENTS.values()) | {"feel_annoyed"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ScopeGate(StatelessComponent):
    """Corrects the intent of messages whose subject is not the client's therapist."""

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "ScopeGate":
        lexicon()
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if not predicted or text.startswith("/"):
                continue
            self._say_who_is_talking(message, text)
            # what the message states (`answer` entities mean something only as a reply to the form)
            situation = {e.get(ENTITY_ATTRIBUTE_TYPE) for e in message.get(ENTITIES) or [] if not e.get("role")}
            intent = gated_intent(predicted, text, "crying_intensity" in situation,
                                  situation_told=bool(situation & set(situation_slot_names())),
                                  feeling_told="client_feeling" in situation)
            if intent in FEELINGS and (situation & CRYING_TOLD) and \
                    ("client_feeling" not in situation or self._feeling_differs(message, intent)):
                # an account of the tears read as a feeling: "she started sobbing and i ended up
                # comforting her for half the hour" as annoyed, "my t cries every session and i dont
                # know what to do" as confused. The account leads; the feeling is the one it states
                # (the situation reader's), or the form asks: a guessed feeling would be a wrong value
                intent = DESCRIBE
            if intent == ANNOYED and not lexicon().annoyance.search(fold(text)):
                # "annoyed" with no sign of annoyance: the feeling the message states, or the account
                intent = self._feeling_behind_a_miss(message) or (DESCRIBE if read(text).kind == "therapist" else intent)
            if intent == OUT_OF_SCOPE and "client_loss" in situation and read(text).kind == "sadness":
                intent = SADNESS  # "my mum died last week and i cant stop crying": grief, not an errand
            if intent == SKIP:
                intent = self._answer_behind_a_skip(message) or intent
            elif intent == FALLBACK and len(text.split()) <= ANSWER_MAX_WORDS:
                intent = self._feeling_behind_a_miss(message) or intent
            confidence = (message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY) or 0.0
            if intent == predicted and not situation and has_no_words(text) and (
                    confidence < SURE_OF_NONWORDS or predicted == OUT_OF_SCOPE or len(text.split()) > 1):
                # "blorp blorp" is not a question about something else, and "zxcv bnmq" no yes
                # (a misspelling the classifier may know is one word: "thanku")
                intent = FALLBACK
            if intent == GOODBYE and self._answers_the_form(message, text):
                intent = OUT_OF_SCOPE  # "first time": an answer the form takes, not a goodbye
            if is_markup_or_code(text):
                intent = FALLBACK  # "<script>alert('x')</script>" asks nothing
            if intent != predicted:
                force_intent(message, intent)
                message.set(GATE, {"predicted": predicted, "intent": intent}, add_to_output=True)
        return messages

    @staticmethod
    def _say_who_is_talking(message: Message, text: str) -> None:
        found = speaker_phrase(text)
        if found and found[0] in NAMED_SPEAKERS:
            speaker, start, end = found
            entity = {"entity": SPEAKER_ENTITY, "value": speaker, "start": start, "end": end,
                      "confidence_entity": 1.0, "extractor": "ScopeGate"}
            message.set(ENTITIES, list(message.get(ENTITIES) or []) + [entity], add_to_output=True)

    @staticmethod
    def _answers_the_form(message: Message, text: str) -> bool:
        """A short reply that states a situation value as an answer to the form ("first time") and
        has no word that closes a chat: the classifier's goodbye is a guess by its shortness."""
        answers = [e for e in message.get(ENTITIES) or [] if e.get("role") == "answer"
                   and e.get(ENTITY_ATTRIBUTE_TYPE) in situation_slot_names()]
        return bool(answers) and len(text.split()) <= ANSWER_MAX_WORDS and not chat_closing(normalise(text))

    @staticmethod
    def _stated_feelings(message: Message) -> List[str]:
        """The feelings the message states outright (the situation reader's), in order."""
        return [e.get("value") for e in message.get(ENTITIES) or []
                if e.get(ENTITY_ATTRIBUTE_TYPE) == "client_feeling" and not e.get("role")]

    @classmethod
    def _feeling_differs(cls, message: Message, intent: str) -> bool:
        """The message states a feeling outright, and not the one the classifier's intent names."""
        stated = set(cls._stated_feelings(message))
        named = {v for v, i in FEELING_INTENTS.items() if i == intent} | ({"uncomfortable"} if intent == ANNOYED else set())
        return bool(stated) and not stated & named

    @classmethod
    def _feeling_behind_a_miss(cls, message: Message):
        """"idk kinda weird ngl": the classifier may miss a short answer in slang, but the feeling it
        states outright is read; its intent is the feeling's (None when it states none)."""
        stated = cls._stated_feelings(message)
        return FEELING_INTENTS.get(stated[0]) if stated else None

    @staticmethod
    def _answer_behind_a_skip(message: Message):
        """"idk kinda weird ngl" reads as a skip by its "idk", but it gives an answer: the feeling's
        intent (or a description) instead, so the value is taken, not skipped."""
        # values the message states outright: a short-answer reading ("this one" as a button) is no answer
        values = [e for e in message.get(ENTITIES) or []
                  if e.get(ENTITY_ATTRIBUTE_TYPE) in situation_slot_names() and not e.get("role")]
        if not values:
            return None
        feeling = next((e.get("value") for e in values if e.get(ENTITY_ATTRIBUTE_TYPE) == "client_feeling"), None)
        return FEELING_INTENTS.get(feeling, "describe_therapist_crying")
