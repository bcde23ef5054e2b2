"""Small helpers shared by the actions: the situation and intent from a tracker, and sending messages."""
import functools
from pathlib import Path
from typing import Any, Dict, Optional

import yaml
from rasa_sdk import Tracker

from actions.knowledge import SITUATION_SLOTS


def situation(tracker: Tracker) -> Dict[str, Optional[str]]:
    """The four situation slots as a dict; missing or skipped answers are None."""
    values = {slot: tracker.get_slot(slot) for slot in SITUATION_SLOTS}
    return {slot: (None if value == "unknown" else value) for slot, value in values.items()}


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def offer_next_steps(dispatcher, tracker: Tracker) -> None:
    """Offer the next-step buttons, except inside the form, which is about to ask its own question."""
    if not tracker.active_loop.get("name"):
        say(dispatcher, "offer_next_steps")


MESSAGES_FILE = Path(__file__).resolve().parent.parent / "data" / "dialogue" / "messages.yml"


@functools.lru_cache(maxsize=None)
def messages() -> Dict[str, Dict[str, Any]]:
    with open(MESSAGES_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["messages"]


def say(dispatcher, key: str) -> None:
    """Send one message of data/dialogue/messages.yml (text and optional buttons)."""
    message = messages()[key]
    dispatcher.utter_message(text=" ".join(message["text"].split()), buttons=message.get("buttons"))
