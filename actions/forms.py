"""Validation of the situation form: what happened, how often, about whom, and how it felt.

Beyond normalising values, this is where the form stays kind to people:
- a question or a crisis message in the middle of the form is not treated as an answer: the form is
  rejected for that turn so a rule can answer it, and then the form resumes;
- an answer that does not fit is met with an explanation of why we ask, and after a second miss the
  user is offered to skip the question (skipped answers become "unknown").
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import lexicon
from actions.common import latest_intent, say

FORM_NAME = "situation_form"

# Messages with these intents interrupt the form: rules answer them, then the form asks again.
INTERRUPTING_INTENTS = {
    "crisis",
    "ask_tell_therapist_about_thoughts",
    "reassure_safe",
    "other_language",
    "share_sadness",
    "ask_is_it_normal",
    "ask_is_it_professional",
    "ask_why_therapists_cry",
    "ask_effect_on_therapy",
    "ask_should_i_leave",
    "ask_more_perspectives",
    "ask_how_to_raise_it",
    "ask_research",
    "report_boundary_concern",
    "identify_as_therapist",
    "bot_challenge",
    "ask_capabilities",
    "out_of_scope",
    "goodbye",
    "forget",
    "forget_confirm",
}
SKIP_INTENT = "skip_question"
DESCRIBE_INTENT = "describe_therapist_crying"
STORY_INTENTS = {DESCRIBE_INTENT, "share_loss"}  # messages that tell what happened
UNKNOWN = "unknown"


class ValidateSituationForm(FormValidationAction):
    """Fills the four situation slots from entities, buttons or plain words, and handles misses."""

    def name(self) -> Text:
        return "validate_situation_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if not answers_the_form(tracker):
            # activation, or coming back after an interruption: nothing new was said
            return await super().run(dispatcher, tracker, domain)
        intent = latest_intent(tracker)
        if intent in INTERRUPTING_INTENTS:
            return [ActionExecutionRejected(FORM_NAME)]

        requested = tracker.get_slot("requested_slot")
        if intent == SKIP_INTENT and requested:
            return [SlotSet(requested, UNKNOWN), SlotSet("form_retries", 0)]

        events = await super().run(dispatcher, tracker, domain)
        filled = {e["name"] for e in events if e.get("event") == "slot" and e.get("value") is not None}
        if not requested or filled & set(lexicon.SLOT_VALUES):
            return events + [SlotSet("form_retries", 0)]
        return events + self._handle_miss(requested, dispatcher, tracker)

    @staticmethod
    def _handle_miss(
        requested: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        """First miss: explain why we ask. Second and later: also offer to skip."""
        retries = int(tracker.get_slot("form_retries") or 0) + 1
        say(dispatcher, f"explain_{requested}")
        if retries >= 2:
            say(dispatcher, "offer_skip")
        return [SlotSet("form_retries", retries)]

    async def extract_crying_intensity(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_from_text("crying_intensity", tracker)

    async def extract_crying_frequency(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_from_text("crying_frequency", tracker)

    async def extract_crying_focus(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_from_text("crying_focus", tracker)

    async def extract_client_feeling(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract_from_text("client_feeling", tracker)

    @staticmethod
    def _extract_from_text(slot: str, tracker: Tracker) -> Dict[Text, Any]:
        """Plain-word fallback when NLU found no entity for `slot` in this message.

        For the question being asked any known phrase counts ("just once"). In a description of the
        event, only unambiguous phrases count, so "she was moved by my dad's story" is not read as the
        client feeling moved, nor "my dad" as the focus.
        """
        if slot in tracker.slots_to_validate() or tracker.get_slot(slot) not in (None, UNKNOWN):
            return {}
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("requested_slot") == slot:
            value = lexicon.find_in_text(slot, text)
        elif latest_intent(tracker) in STORY_INTENTS and not answers_the_form(tracker):
            value = lexicon.find_in_text(slot, text, unambiguous=True)  # at activation of the form
        else:
            value = None
        return {slot: value} if value else {}

    @staticmethod
    def _validate(slot: str, value: Any, tracker: Tracker) -> Dict[Text, Any]:
        """Canonical value; a value we cannot map never overwrites what the user told us before."""
        canonical = lexicon.normalise(slot, value)
        return {slot: canonical if canonical is not None else value_before_this_turn(tracker, slot)}

    def validate_crying_intensity(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate("crying_intensity", value, tracker)

    def validate_crying_frequency(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate("crying_frequency", value, tracker)

    def validate_crying_focus(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate("crying_focus", value, tracker)

    def validate_client_feeling(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._validate("client_feeling", value, tracker)


def answers_the_form(tracker: Tracker) -> bool:
    """Is the latest user message a reply to the form's question?

    Rasa calls this validation on a temporary tracker whose latest action is the form itself, so
    `latest_action_name` cannot tell; the events can: after the user's message, nothing but slot
    extraction and the form has run (at activation, or back after an interruption, other actions
    ran first). Getting this wrong let a crisis message that also held a situation value ("i don't
    want to wake up. anyway it was the first time she cried") be taken as an answer.
    """
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=None)
    if last_user is None:
        return False
    ran = [e.get("name") for e in events[last_user + 1:] if e.get("event") == "action"]
    return all(name in (FORM_NAME, "action_extract_slots", "action_listen") for name in ran)


def value_before_this_turn(tracker: Tracker, slot: str) -> Any:
    """The slot's value before the latest user message (None if it had none)."""
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    for event in reversed(events[:last_user]):
        if event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None
