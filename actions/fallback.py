"""action_clarify_intent: the fallback ladder for messages the assistant did not understand.

First miss: "Did you mean ...?" with the two likeliest intents in plain words plus "Something else".
A second miss in a row: the topic menu, so nobody is stuck rephrasing forever. An empty message gets
a calm word and the menu straight away (there is nothing to guess from).
"""
import functools
from pathlib import Path
from typing import Any, Dict, List, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.common import messages, say

DESCRIPTIONS_FILE = (
    Path(__file__).resolve().parent.parent / "data" / "knowledge" / "intent_descriptions.yml"
)
FALLBACK_INTENT = "nlu_fallback"
MAX_GUESSES = 2


@functools.lru_cache(maxsize=None)
def descriptions() -> Dict[str, str]:
    with open(DESCRIPTIONS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["descriptions"]


def likeliest_intents(ranking: List[Dict[str, Any]]) -> List[str]:
    """The top intents we can describe in plain words, best first."""
    known = descriptions()
    return [r["name"] for r in ranking if r.get("name") in known][:MAX_GUESSES]


def previous_user_intent(tracker: Tracker) -> str:
    user_events = [e for e in tracker.events if e.get("event") == "user"]
    if len(user_events) < 2:
        return ""
    return ((user_events[-2].get("parse_data") or {}).get("intent") or {}).get("name") or ""


class ActionClarifyIntent(Action):
    def name(self) -> Text:
        return "action_clarify_intent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if not (tracker.latest_message.get("text") or "").strip():
            say(dispatcher, "empty_message")
            dispatcher.utter_message(response="utter_topic_menu")
            return []
        if previous_user_intent(tracker) == FALLBACK_INTENT:
            say(dispatcher, "clarify_again")
            dispatcher.utter_message(response="utter_topic_menu")
            return []
        guesses = likeliest_intents(tracker.latest_message.get("intent_ranking") or [])
        buttons = [{"title": descriptions()[name], "payload": f"/{name}"} for name in guesses]
        buttons.append({"title": messages()["clarify_something_else"]["text"], "payload": "/ask_capabilities"})
        dispatcher.utter_message(text=messages()["clarify"]["text"], buttons=buttons)
        return []


class ActionDefaultFallback(Action):
    """When no dialogue policy is confident: say so, show the menu, and forget the confusing turn."""

    def name(self) -> Text:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        say(dispatcher, "lost_the_thread")
        dispatcher.utter_message(response="utter_topic_menu")
        return [UserUtteranceReverted()]


class ActionRestart(Action):
    """/restart: confirm, then wipe the conversation state for a fresh start."""

    def name(self) -> Text:
        return "action_restart"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        say(dispatcher, "restart")
        return [Restarted()]
