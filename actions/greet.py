"""action_greet: who the bot is, its limits, and (once per conversation) the privacy notice.

The topic menu follows from the greet rule (data/rules/conversation.yml).
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import say


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if tracker.get_slot("shown_privacy"):
            say(dispatcher, "greet_again")
            return []
        for key in ("greet", "not_a_therapist", "privacy_notice"):
            say(dispatcher, key)
        return [SlotSet("shown_privacy", True)]
