"""action_share_research: the survey figures exactly as data/knowledge/research.yml states them.

Asked again, it goes on rather than repeating itself: the first time the headline findings and the
expert view, with the survey's own limit (it asked therapists, not clients); the second time the
survey's other findings; after that only where it all comes from.
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge
from actions.common import offer_next_steps, say
from actions.sources import CITED_SLOT

ACTION_NAME = "action_share_research"


def _reference() -> str:
    data = knowledge.research()
    study = data["study"]
    article = knowledge.sources()["sources"][knowledge.sources()["people"][study["person"]]["article"]]
    publication = article["publication"]
    return f"\"{article['title']}\", {publication[:1].lower()}{publication[1:]}"


def research_message(part: int = 0) -> str:
    """Part 0: the study, its headline findings and the expert view; part 1: its other findings;
    part 2 and later: that this is all, and where it comes from."""
    data = knowledge.research()
    study = data["study"]
    who = knowledge.sources()["people"][study["person"]]["name"]
    if part == 0:
        lines = [f"A {study['year']} survey by {who} asked {study['sample']} {study['population']}:"]
        lines += [f"• {f['text']}" for f in data["findings"] if not f.get("more")]
        lines.append(f"Source: {study['reported_by']}.")
        lines.append(data["expert_view"]["text"])  # says itself where it comes from
        lines.append("Ask again for the survey's other findings.")
    elif part == 1:
        lines = [f"More from the same survey of {study['sample']} therapists:"]
        lines += [f"• {f['text']}" for f in data["findings"] if f.get("more")]
        lines.append(f"Source: {study['reported_by']}.")
    else:
        lines = [f"That is all I have on research: the {study['year']} survey of {study['sample']} therapists "
                 f"by {who}, and {knowledge.sources()['people'][data['expert_view']['person']]['name']}'s "
                 f"view. It comes from {_reference()}."]
    return "\n".join(lines)


def times_shared(tracker: Tracker) -> int:
    """How often the research was already shared in this conversation."""
    return sum(1 for e in tracker.events if e.get("event") == "action" and e.get("name") == ACTION_NAME)


class ActionShareResearch(Action):
    def name(self) -> Text:
        return ACTION_NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        part = times_shared(tracker)
        dispatcher.utter_message(text=research_message(part))
        if part == 0:
            say(dispatcher, "research_caveat")  # once: asked again, the research goes on, not the caveat
        offer_next_steps(dispatcher, tracker, cited=True)
        data = knowledge.research()
        return [SlotSet(CITED_SLOT, [data["study"]["person"], data["expert_view"]["person"]])]
