"""NLU component: questions asked in passing get the intent they ask for.

Runs after the scope gate and before the crisis safety net (which still has the last word). The
classifier has few examples of privacy, confidentiality and "say it more simply" questions, of
guilt said as a question ("what if it was my fault?") and of a goodbye after a thank-you ("ok thank
you. bye"), and took them for fallbacks, stay-or-leave questions or thanks. understanding/questions.py reads them (data/lexicon/questions.yml); this sets the intent:
- a privacy or confidentiality question wins over whatever the classifier said, except a crisis
  or a request to forget;
- guilt, "more simply" and a closing goodbye win only over a miss or a near miss, so a story that ends "was it my
  fault?" still starts the situation form (where the feeling is taken as an answer), and "sorry my
  english, is it professional...?" is still answered as the question it asks.
Such a question is not an answer to the form, so the short-answer entities read in it ("more" in
"say more simple please" as a frequency) are dropped. The classifier's own prediction stays in the
parse under `question_reader`.
"""
from __future__ import annotations

import re

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.base import StatelessComponent, force_intent
from safety.normalise import normalise
from safety.patterns import CLOSING_MAX_CHARS, chat_closing
from understanding.questions import question_intent, readers
from understanding.scope import fold, lexicon, read

READER = "question_reader"
ANSWER_ROLE = "answer"  # a situation entity that means something only as the answer to the form
QUESTIONS_NOT_ANSWERS = {"ask_privacy", "ask_confidentiality", "ask_simpler", "ask_source"}
KEEP = {"crisis", "share_loss", "ask_tell_therapist_about_thoughts", "reassure_safe", "forget_confirm"}
# "do you store my messages" asks about privacy, though the classifier often takes it for a request
# to forget: only a privacy question replaces `forget`, and only when nothing in the message asks to delete
PRIVACY_QUESTIONS = {"ask_privacy", "ask_confidentiality"}
ERASING = re.compile(r"\b(delete|deleting|erase|erasing|forget|remove|removing|wipe|wiping|clear|scrub|bin|get rid)\b")
# Guilt and "more simply" are often said beside another question ("did i make my therapist cry",
# "sorry my english, is it professional..."): they replace only a miss or a near miss.
MAY_REPLACE = {
    "identify_as_therapist": {"describe_therapist_crying", "nlu_fallback", "out_of_scope", "ask_how_to_raise_it",
                              "share_sadness", "feel_responsible", "ask_is_it_professional"},
    "feel_responsible": {"nlu_fallback", "out_of_scope", "share_sadness", "ask_should_i_leave", "ask_is_it_normal",
                         "ask_effect_on_therapy", "ask_more_perspectives", "feel_confused", "feel_uncomfortable",
                         "deny", "affirm", "ask_how_to_raise_it"},
    "ask_simpler": {"nlu_fallback", "out_of_scope", "share_sadness", "ask_more_perspectives", "feel_confused",
                    "deny", "affirm", "skip_question", "ask_how_to_raise_it"},
    # a stay-or-leave question the classifier was unsure of, or heard as the story around it ("i think
    # i want to quit therapy, my therapist keeps crying every week"): the question is answered first
    "ask_should_i_leave": {"nlu_fallback", "out_of_scope", "share_sadness", "feel_confused", "feel_uncomfortable",
                           "deny", "affirm", "ask_more_perspectives", "describe_therapist_crying"},
    # "is there a survey about therapists crying" is the research question, not a story of tears
    "ask_research": {"describe_therapist_crying", "ask_how_to_raise_it", "nlu_fallback", "out_of_scope", "ask_is_it_normal",
                     "ask_more_perspectives", "ask_why_therapists_cry", "share_sadness"},
    # a conduct worry is not a description of tears: it replaces the description only without crying
    # words; "he gives me special treatment" is favouritism, not care
    "report_boundary_concern": {"describe_therapist_crying", "nlu_fallback", "out_of_scope", "ask_is_it_professional",
                                "feel_uncomfortable", "feel_confused", "ask_should_i_leave", "feel_cared_for"},
    # "can you diagnose my anxiety" asks for what the assistant is not
    "out_of_scope": {"share_sadness", "nlu_fallback", "ask_capabilities", "feel_confused", "ask_is_it_normal"},
    # "what else have professionals said": another view, not the question it names
    "ask_more_perspectives": {"ask_is_it_professional", "ask_is_it_normal", "ask_why_therapists_cry", "nlu_fallback",
                              "out_of_scope", "affirm", "share_sadness"},
    # "i really don't know" to the form's question
    "skip_question": {"share_sadness", "nlu_fallback", "out_of_scope", "deny"},
    # "can a therapist crying damage the work we're doing": the question, not the story
    "ask_effect_on_therapy": {"describe_therapist_crying", "nlu_fallback", "out_of_scope", "share_sadness",
                              "feel_confused", "feel_uncomfortable"},
    # "i paid for that session and she spent like 20 min crying, is it bad that im a bit annoyed":
    # the grievance about paid time, not a plain description or "is it normal"; a stay-or-leave or
    # how-to-raise-it question keeps its own answer
    "feel_annoyed": {"nlu_fallback", "out_of_scope", "share_sadness", "feel_uncomfortable", "feel_confused",
                     "ask_is_it_normal", "ask_is_it_professional", "ask_more_perspectives", "describe_therapist_crying",
                     "ask_why_therapists_cry", "deny", "affirm"},
    # "should i tell her it meant something to me": whether to raise it, not a feeling or the story
    "ask_how_to_raise_it": {"nlu_fallback", "out_of_scope", "share_sadness", "feel_confused", "feel_uncomfortable",
                            "feel_cared_for", "feel_annoyed", "describe_therapist_crying", "ask_more_perspectives",
                            "affirm", "deny", "ask_is_it_professional", "identify_as_therapist"},
    # "ok thank you. bye": the person is leaving
    "goodbye": {"thank", "affirm", "deny", "nlu_fallback", "out_of_scope", "share_sadness"},
}


RAISING = re.compile(r"\bhow (do|can|should|would|could|to) (i |we )?(say|tell|explain|put|word|bring)|"
                     r"\b(to|with) (her|him|them|my (therapist|counsell?or|counselor|psychologist|t))\b")


def _about_the_session(text: str) -> bool:
    """Is a grievance about paid time said of the therapist's session: the message names the
    therapist (or only she/he and tears), or a session, and nobody else's tears?"""
    folded = fold(text)
    kind = read(text, False).kind
    return kind == "therapist" or (kind in ("unclear", "sadness") and bool(lexicon().session.search(folded)))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class QuestionReader(StatelessComponent):
    """Sets the intent of privacy, confidentiality, "more simply" and guilt questions."""

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "QuestionReader":
        readers()
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if not predicted or text.startswith("/"):
                continue
            if len(text) <= CLOSING_MAX_CHARS and chat_closing(normalise(text)):
                # "ok thats all from me for tonight, good night" answers no question of the form
                # ("good" as how it felt, "me" as whose story)
                _drop_answers(message)
            if predicted in KEEP:
                continue
            intent = question_intent(text)
            if intent is None or intent == predicted:
                continue
            if predicted == "forget" and (intent not in PRIVACY_QUESTIONS or ERASING.search(fold(text))):
                continue
            if intent in MAY_REPLACE and predicted not in MAY_REPLACE[intent]:
                continue
            if intent == "feel_annoyed" and not _about_the_session(text):
                continue  # "my boss cried in our meeting and wasted my time", "my insurance costs are annoying"
            if intent == "report_boundary_concern" and lexicon().cry.search(fold(text)):
                continue  # "she cried about her own marriage in our session" is the story of the tears
            if predicted == "ask_how_to_raise_it" and RAISING.search(text.lower()):
                continue  # "how do i say it more simply to her" asks how to raise it
            force_intent(message, intent)
            if intent in QUESTIONS_NOT_ANSWERS:  # "say more simple please" does not answer "how often?"
                _drop_answers(message)
            message.set(READER, {"predicted": predicted, "intent": intent}, add_to_output=True)
        return messages


def _drop_answers(message: Message) -> None:
    """Remove the situation readings that count only as an answer to the form's question."""
    entities = [e for e in message.get(ENTITIES) or [] if e.get("role") != ANSWER_ROLE]
    message.set(ENTITIES, entities, add_to_output=True)
