"""action_acknowledge_sadness_in_form: sadness told while the situation form is open.

The person is already telling of their therapist's tears, so the out-of-form answer ("is what you're
feeling connected to your therapist?") would not fit. A loss told inside the story ("i miss her so
much, its been 6 years") is acknowledged as a loss first; any other sadness gets a warm word. The
crisis contacts stay one tap away, and the form asks its open question next (data/rules/situation_form.yml).
"""
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import CRISIS_CONTACTS_BUTTON, say

# a death or a loss in the client's own words: "who died", "passed away", "i miss her", "since we lost him"
LOSS = re.compile(
    r"\b(?:died|dead|dying|passed away|passed on|death|funeral|grief|griev\w*|bereave\w*|"
    r"loss|lost (?:my|her|him|them|our)|miss(?:ing)? (?:her|him|them|my|our))\b"
)


def tells_of_a_loss(text: str) -> bool:
    return bool(LOSS.search((text or "").lower().replace("’", "'")))


class ActionAcknowledgeSadnessInForm(Action):
    def name(self) -> Text:
        return "action_acknowledge_sadness_in_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        say(dispatcher, "sadness_loss_in_form" if tells_of_a_loss(text) else "sadness_in_form",
            extra_buttons=[CRISIS_CONTACTS_BUTTON])
        return []
