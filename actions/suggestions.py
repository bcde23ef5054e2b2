"""action_suggest_raising_it: concrete, situation-tailored suggestions for raising the tears in session."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge
from actions.common import THERAPIST_TOPIC, offer_next_steps, say, situation, speaker_is_therapist
from actions.perspectives import render
from actions.sources import CITED_SLOT


OWN_SUGGESTION = "A general suggestion of mine; none of the sources gives this advice"


def credit(suggestion: knowledge.Entry) -> str:
    """Whose view a suggestion builds on; the assistant's own advice is never shown under a name."""
    if suggestion.person == knowledge.ASSISTANT:
        return OWN_SUGGESTION
    return f"Based on the views of {knowledge.short_attribution(suggestion.person)}"


class ActionSuggestRaisingIt(Action):
    """One suggestion per part (when, how, what to ask, a good response, if dismissive)."""

    def name(self) -> Text:
        return "action_suggest_raising_it"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if speaker_is_therapist(tracker):
            return self._for_a_therapist(dispatcher, tracker)
        say(dispatcher, "suggestions_intro")
        chosen = knowledge.pick_suggestions(situation(tracker))
        for suggestion in chosen:
            dispatcher.utter_message(text=f"{suggestion.text}\n({credit(suggestion)})")
        people = [s.person for s in chosen if s.person != knowledge.ASSISTANT]
        offer_next_steps(dispatcher, tracker, cited=bool(people))
        return [SlotSet(CITED_SLOT, people)] if people else []

    @staticmethod
    def _for_a_therapist(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """The suggestions are written for clients raising it; a therapist gets the therapist's side."""
        say(dispatcher, "raise_it_as_therapist")
        shared = list(tracker.get_slot("perspectives_shared") or [])
        chosen = knowledge.match_perspectives([THERAPIST_TOPIC], situation(tracker), exclude=shared,
                                              required_topic=THERAPIST_TOPIC)
        for entry in chosen:
            dispatcher.utter_message(text=render(entry))
        offer_next_steps(dispatcher, tracker, cited=bool(chosen))
        if not chosen:
            return []
        return [SlotSet("perspectives_shared", shared + [entry.id for entry in chosen]),
                SlotSet(CITED_SLOT, [entry.person for entry in chosen])]
