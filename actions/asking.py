"""action_ask_<slot>: the situation form's questions, with answer buttons, from messages.yml.

Custom ask actions (rather than utter_ask_ responses) keep the question texts with the other
action messages; one small class per slot because Rasa looks actions up by name.
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import say


class _AskSlot(Action):
    slot: str = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        say(dispatcher, f"ask_{self.slot}")
        return []


class ActionAskCryingIntensity(_AskSlot):
    slot = "crying_intensity"


class ActionAskCryingFrequency(_AskSlot):
    slot = "crying_frequency"


class ActionAskCryingFocus(_AskSlot):
    slot = "crying_focus"


class ActionAskClientFeeling(_AskSlot):
    slot = "client_feeling"
