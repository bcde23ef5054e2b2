"""action_forget_conversation: confirm the deletion and reset everything this conversation knew.

The stored events themselves are deleted by the tracker store (stores/privacy_sql.py) when it sees
this action in the turn it writes, so nothing the user wrote before this point survives.
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import say


class ActionForgetConversation(Action):
    def name(self) -> Text:
        return "action_forget_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        say(dispatcher, "forgotten")
        return [AllSlotsReset(), ActiveLoop(None)]
