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
from actions.common import latest_intent, say, speaker_is_therapist

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
    "ask_privacy",
    "ask_confidentiality",
    "ask_simpler",
    "ask_source",
}
# A short answer in the person's own words can look like one of these to the classifier ("sad",
# "idk, kinda both", "2", "it's always about her own problems"): when it also answers the question
# asked, it is taken as the answer (the perspectives at the end match what it said).
ANSWER_MAY_LOOK_LIKE = {"out_of_scope", "share_sadness", "ask_capabilities", "ask_more_perspectives",
                        "report_boundary_concern"}
SKIP_INTENT = "skip_question"
UNKNOWN = lexicon.UNKNOWN


class ValidateSituationForm(FormValidationAction):
    """Keeps the four situation slots canonical and handles misses.

    The values come from the NLU's situation entities through the domain's slot mappings (plain
    ones in any turn, `answer` ones only for the question asked), so nothing here reads text.
    """

    def name(self) -> Text:
        return "validate_situation_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if not answers_the_form(tracker):
            # activation, or coming back after an interruption: nothing new was said
            return await super().run(dispatcher, tracker, domain)
        intent = latest_intent(tracker)
        requested = tracker.get_slot("requested_slot")
        answered = requested in tracker.slots_to_validate()
        # "it was about my story" when that was told already: a known situation value said again is
        # part of the story, not an out-of-scope message; the form asks its open question again
        restated = any(e.get("entity") in lexicon.SLOT_VALUES and e.get("role") == "answer"
                       and tracker.get_slot(e["entity"]) not in (None, UNKNOWN)
                       for e in tracker.latest_message.get("entities") or [])
        if intent in INTERRUPTING_INTENTS and not ((answered or restated) and intent in ANSWER_MAY_LOOK_LIKE):
            return [ActionExecutionRejected(FORM_NAME)]
        if intent == SKIP_INTENT and requested and not answered:
            return [SlotSet(requested, UNKNOWN), SlotSet("form_retries", 0)]

        events = await super().run(dispatcher, tracker, domain)
        filled = {e["name"]: e.get("value") for e in events
                  if e.get("event") == "slot" and e.get("name") in lexicon.SLOT_VALUES and e.get("value")}
        self._say_what_was_understood(filled, requested, dispatcher)
        if not requested or filled:
            return events + [SlotSet("form_retries", 0)]
        return events + self._handle_miss(requested, dispatcher, tracker)

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        """All four, except that a therapist who cried with a client is not asked how it left the
        client (`client_feeling` is the client's feeling, which only the client can tell)."""
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        if speaker_is_therapist(tracker):
            return [slot for slot in slots if slot != "client_feeling"]
        return slots

    @staticmethod
    def _say_what_was_understood(filled: Dict[str, Any], requested: Optional[str], dispatcher) -> None:
        """One short line for each value told without being asked ("Got it: you felt you had to look
        after her."), so the person knows it was heard before the next question comes."""
        for slot, value in filled.items():
            if slot != requested and value != UNKNOWN:
                say(dispatcher, f"understood_{slot}_{value}")

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
        """A feeling named in words is taken in any turn; a feeling only the intent classifier guessed
        ("her own stuff, her mom is sick" read as guilt) only when the form asked how it felt."""
        named = any(e.get("entity") == "client_feeling" for e in tracker.latest_message.get("entities") or [])
        if not named and tracker.get_slot("requested_slot") not in (None, "client_feeling"):
            return {"client_feeling": value_before_this_turn(tracker, "client_feeling")}
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
