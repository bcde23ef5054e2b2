"""action_share_sources: the full reference behind what was just quoted, one tap away.

In chat a perspective carries only its speaker's name and credentials, so a 360 px screen or a Slack
message is not taken over by article titles. "Where is this from?" (a button under every attributed
reply, or typed) answers with the full reference of each person quoted in the latest attributed reply:
name, credentials, place, the article's title and where it was published.
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge
from actions.common import offer_next_steps, say

CITED_SLOT = "sources_cited"  # person keys of sources.yml quoted in the latest attributed reply


def references(person_keys: List[str]) -> List[str]:
    """One full reference per person, in the order they were quoted, each person once."""
    people = knowledge.sources()["people"]
    return [f"• {knowledge.attribution(key)}" for key in dict.fromkeys(person_keys) if key in people]


def all_articles() -> List[str]:
    return [f'• "{article["title"]}", {article["publication"]}'
            for article in knowledge.sources()["sources"].values()]


class ActionShareSources(Action):
    def name(self) -> Text:
        return "action_share_sources"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        cited = references(list(tracker.get_slot(CITED_SLOT) or []))
        if cited:
            say(dispatcher, "sources_intro")
            dispatcher.utter_message(text="\n".join(cited))
        else:
            say(dispatcher, "sources_none_yet")
            dispatcher.utter_message(text="\n".join(all_articles()))
        offer_next_steps(dispatcher, tracker, cited=False)
        return []
