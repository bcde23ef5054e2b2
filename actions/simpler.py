"""action_say_it_simply: "say it more simply", "what do you mean by strongly?".

Inside the situation form it only says "Sure." : the form runs next (data/rules/situation_form.yml)
and its ask action, seeing the request, asks the open question again in plain words
(actions/asking.py), so the question is not said twice. Outside the form it gives the gist of what
the assistant says about a therapist's tears, in plain words, with the next steps.
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import offer_next_steps, say


class ActionSayItSimply(Action):
    def name(self) -> Text:
        return "action_say_it_simply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if tracker.active_loop.get("name") and tracker.get_slot("requested_slot"):
            say(dispatcher, "simpler_in_form")
            return []
        say(dispatcher, "simple_summary")
        offer_next_steps(dispatcher, tracker)
        return []
