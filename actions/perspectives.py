"""action_share_perspectives: share the attributed perspectives that best fit the question and situation."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge
from actions.sources import CITED_SLOT
from actions.common import THERAPIST_TOPIC, latest_intent, offer_next_steps, say, situation, speaker_is_therapist

MORE_INTENT = "ask_more_perspectives"
FIRST_ANSWER_LIMIT = 2  # two views per question keeps a reply readable in a chat bubble
MORE_LIMIT = 1


def render(entry: knowledge.Entry) -> str:
    """The perspective with its speaker's name and credentials; the full reference is one tap away
    (actions/sources.py), so the credit never outgrows the perspective on a phone or in Slack."""
    return f"{entry.text}\n— {knowledge.short_attribution(entry.person)}"


def said_in_last_reply(tracker: Tracker, text: str) -> bool:
    """Did the assistant's previous reply (the bot messages before the latest user message) say it?"""
    users = 0
    for event in reversed(list(tracker.events)):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                return False
        elif event.get("event") == "bot" and users == 1 and event.get("text") == text:
            return True
    return False


class ActionSharePerspectives(Action):
    """Chooses perspectives deterministically and remembers their ids so none is repeated."""

    def name(self) -> Text:
        return "action_share_perspectives"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        intent = latest_intent(tracker)
        facts = situation(tracker)
        shared = list(tracker.get_slot("perspectives_shared") or [])
        wanted, intro_key, limit = self._wanted_topics(intent, tracker, facts)
        # a therapist hears the views from the therapist's side, never advice meant for clients
        required = THERAPIST_TOPIC if speaker_is_therapist(tracker) else None
        if required and intro_key != MORE_INTENT:
            intro_key = "identify_as_therapist"

        chosen = knowledge.match_perspectives(wanted, facts, exclude=shared, limit=limit, required_topic=required)
        if not chosen and (intent == MORE_INTENT or required):
            # nothing left on this subject: widen to any perspective not yet shared
            chosen = knowledge.match_perspectives([], facts, exclude=shared, limit=limit, required_topic=required)
        if not chosen:
            say(dispatcher, "all_perspectives_shared")
            return [SlotSet("current_topics", wanted)]

        intro = knowledge.topics()["intent_intros"].get(intro_key)
        if intro and not said_in_last_reply(tracker, intro):  # no opener twice in a row
            dispatcher.utter_message(text=intro)
        for entry in chosen:
            dispatcher.utter_message(text=render(entry))
        offer_next_steps(dispatcher, tracker, cited=True)
        return [
            SlotSet("perspectives_shared", shared + [entry.id for entry in chosen]),
            SlotSet("current_topics", wanted),
            SlotSet(CITED_SLOT, [entry.person for entry in chosen]),
        ]

    @staticmethod
    def _wanted_topics(intent, tracker: Tracker, facts) -> tuple:
        """(topics, intro key, how many) for the question; after the form, the situation decides."""
        if intent == MORE_INTENT:
            previous = list(tracker.get_slot("current_topics") or [])
            return previous or knowledge.topics_for_situation(facts), MORE_INTENT, MORE_LIMIT
        just_finished_form = tracker.latest_action_name == "situation_form"
        by_intent = knowledge.topics_for_intent(intent)
        if by_intent and not just_finished_form:
            return by_intent, intent, FIRST_ANSWER_LIMIT
        return knowledge.topics_for_situation(facts), "situation", FIRST_ANSWER_LIMIT
