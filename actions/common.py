"""Small helpers shared by the actions: the situation and intent from a tracker, and sending messages."""
from typing import Dict, Optional

from rasa_sdk import Tracker

from actions.knowledge import SITUATION_SLOTS
from safety.messages import messages  # noqa: F401  (re-exported for the actions)


def situation(tracker: Tracker) -> Dict[str, Optional[str]]:
    """The four situation slots as a dict; missing or skipped answers are None."""
    values = {slot: tracker.get_slot(slot) for slot in SITUATION_SLOTS}
    return {slot: (None if value == "unknown" else value) for slot, value in values.items()}


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


THERAPIST_TOPIC = "therapist_side"  # the perspectives a therapist who cried hears


def speaker_is_therapist(tracker: Tracker) -> bool:
    """The `speaker` slot (set by components/scope_gate.py): a therapist who cried with a client."""
    return tracker.get_slot("speaker") == "therapist"


SOURCES_BUTTON = {"title": "Where is this from?", "payload": "/ask_source"}
CRISIS_CONTACTS_BUTTON = {"title": "Crisis contacts", "payload": '/crisis{"crisis_tier": "requested"}'}


def offer_next_steps(dispatcher, tracker: Tracker, cited: bool = False) -> None:
    """Offer the next-step buttons, except inside the form, which is about to ask its own question.
    After a reply that quoted people, their full references are one tap away ("Where is this from?");
    after a disclosure of danger the crisis contacts stay one tap away among them."""
    if not tracker.active_loop.get("name"):
        extra = [SOURCES_BUTTON] if cited else []
        if tracker.get_slot("crisis_disclosed"):
            extra.append(CRISIS_CONTACTS_BUTTON)
        say(dispatcher, "offer_next_steps", extra_buttons=extra)


def say(dispatcher, key: str, extra_buttons=()) -> None:
    """Send one message of data/dialogue/messages.yml (text and optional buttons, plus any extra)."""
    message = messages()[key]
    buttons = list(message.get("buttons") or []) + list(extra_buttons)
    dispatcher.utter_message(text=" ".join(message["text"].split()), buttons=buttons or None)
