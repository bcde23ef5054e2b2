"""action_ask_<slot>: the situation form's questions, with answer buttons, from messages.yml.

Custom ask actions (rather than utter_ask_ responses) keep the question texts with the other
action messages; one small class per slot because Rasa looks actions up by name. After "say it more
simply" the question comes in plain words (`simple_<slot>`), with the same answer buttons; a
therapist who cried with a client is asked about their own tears (`ask_<slot>_therapist`).
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_intent, messages, say, speaker_is_therapist

SIMPLER_INTENT = "ask_simpler"


class _AskSlot(Action):
    slot: str = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if speaker_is_therapist(tracker) and f"ask_{self.slot}_therapist" in messages():
            say(dispatcher, f"ask_{self.slot}_therapist")  # "How strongly did you cry in the session?"
        elif latest_intent(tracker) == SIMPLER_INTENT and f"simple_{self.slot}" in messages():
            buttons = messages()[f"ask_{self.slot}"].get("buttons") or None
            dispatcher.utter_message(text=" ".join(messages()[f"simple_{self.slot}"]["text"].split()), buttons=buttons)
        else:
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
