"""action_share_research: the survey figures exactly as data/knowledge/research.yml states them."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge
from actions.common import offer_next_steps


def research_message() -> str:
    """The study, its findings and the expert view as one readable message."""
    data = knowledge.research()
    study = data["study"]
    lines = [
        f"A {study['year']} survey by {knowledge.sources()['people'][study['person']]['name']} asked "
        f"{study['sample']} {study['population']}:"
    ]
    lines += [f"• {finding['text']}" for finding in data["findings"]]
    lines.append(data["expert_view"]["text"])
    lines.append(f"Source: {study['reported_by']}.")
    return "\n".join(lines)


class ActionShareResearch(Action):
    def name(self) -> Text:
        return "action_share_research"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=research_message())
        offer_next_steps(dispatcher, tracker)
        return []
