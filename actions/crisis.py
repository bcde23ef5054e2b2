"""action_crisis_support: crisis contacts first, warmly, then an offer to continue.

The reply depends on how urgent the message is (safety/crisis.py): imminent danger puts the
emergency number first; thoughts of suicide or self-harm lead with a crisis line; a mention that is
not about the writer right now still gets the contacts, gently. It always says plainly that this is
an automated assistant that cannot call anyone, and never discusses methods.
"""
import functools
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from safety.crisis import screen

RESOURCES_FILE = Path(__file__).resolve().parent.parent / "data" / "safety" / "crisis_resources.yml"

OPENINGS = {
    "imminent": (
        "I'm really glad you told me, and I'm worried about your safety right now. Please call "
        "{emergency} now, or ask someone near you to call for you."
    ),
    "suicidal": (
        "Thank you for telling me. That sounds really painful, and you deserve support from a person "
        "right now. Please reach out to one of these:"
    ),
    "danger": (
        "Thank you for telling me. Your safety comes first. If you are in danger right now, call "
        "{emergency}. These services can also help:"
    ),
    "misconduct": (
        "Thank you for trusting me with this. A therapist must never make sexual or romantic advances "
        "to a client or exploit them in any way, and it is not your fault. If you are in danger, call "
        "{emergency}. {report_misconduct} These services can support you meanwhile:"
    ),
    "requested": "Here are people you can reach any time, day or night:",
    "distress": (
        "That sounds really hard, and I'm sorry you're carrying it. If it ever feels like too much, "
        "these people are there to talk, any time:"
    ),
    "mention": (
        "I want to make sure you're okay. If any of this is stirring up difficult thoughts for you, "
        "these people are there to talk, any time:"
    ),
}
AUTOMATED_NOTE = (
    "I'm an automated assistant: I can't call anyone or send help, so please contact one of them "
    "directly. In an emergency, call {emergency}."
)


@functools.lru_cache(maxsize=None)
def _resources() -> Dict[str, Any]:
    with open(RESOURCES_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def resources_for(locale: Optional[str]) -> Dict[str, Any]:
    data = _resources()
    return data["locales"].get((locale or "").lower(), data["locales"][data["default"]])


def crisis_message(text: str, locale: Optional[str]) -> str:
    """The full crisis reply for a message, tiered by urgency.

    A button press ("/crisis") just shows the contacts; a message only the classifier flagged counts
    as suicidal, the safe side.
    """
    tier = "requested" if text.startswith("/") else screen(text).tier or "suicidal"
    contacts = resources_for(locale)
    lines = [OPENINGS[tier].format(**contacts)]
    lines += [f"• {line}" for line in contacts["lines"]]
    lines.append(AUTOMATED_NOTE.format(emergency=contacts["emergency"]))
    return "\n".join(lines)


class ActionCrisisSupport(Action):
    def name(self) -> Text:
        return "action_crisis_support"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        dispatcher.utter_message(text=crisis_message(text, locale_of(tracker)))
        return []


def locale_of(tracker: Tracker) -> Optional[str]:
    """The `locale` slot, else the locale the channel sent in the message metadata (e.g. the widget)."""
    if tracker.get_slot("locale"):
        return tracker.get_slot("locale")
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return (event.get("metadata") or {}).get("locale")
    return None
