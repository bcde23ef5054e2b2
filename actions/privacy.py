"""action_forget_conversation: confirm the deletion and reset everything this conversation knew.

The stored events themselves are deleted by the tracker store (stores/privacy_sql.py) when it sees
this action, followed by its slot reset, in the turn it writes, so nothing the user wrote before
this point survives. The deletion happens only when the assistant asked "Do you want me to delete
this whole conversation?" in its previous turn (PRIVACY.md: it asks once): a `/forget_confirm` or
a "yes, delete it" typed out of the blue gets the question, and nothing is deleted.

On the website widget (Rasa's socket.io channel) a `forgotten` signal follows the confirmation, so
the widget clears the browser's copy of the conversation too (web/src/widget.js).
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import say

CONFIRMATION_QUESTION = "utter_confirm_forget"
FORGET_ACTION = "action_forget_conversation"
WIDGET_CHANNEL = "socketio"
# Rasa's socket.io output emits a custom message's `data` as the `bot_uttered` payload
FORGOTTEN_SIGNAL = {"data": {"forgotten": True}}


def confirmation_was_asked(tracker: Tracker) -> bool:
    """Did the assistant ask the confirmation question in its turn before the latest message?"""
    users = [i for i, e in enumerate(tracker.events) if e.get("event") == "user"]
    if not users:
        return False
    previous = users[-2] if len(users) > 1 else -1
    # the question comes from the rule (utter_confirm_forget) or from this action, which asks it
    # itself when the confirmation came unasked (had it deleted, those events would be gone)
    return any(e.get("event") == "action" and e.get("name") in (CONFIRMATION_QUESTION, FORGET_ACTION)
               for e in list(tracker.events)[previous + 1:users[-1]])


class ActionForgetConversation(Action):
    def name(self) -> Text:
        return FORGET_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if not confirmation_was_asked(tracker):
            dispatcher.utter_message(response=CONFIRMATION_QUESTION)
            return []
        say(dispatcher, "forgotten")
        if tracker.get_latest_input_channel() == WIDGET_CHANNEL:
            dispatcher.utter_message(json_message=dict(FORGOTTEN_SIGNAL))
        return [AllSlotsReset(), ActiveLoop(None)]
