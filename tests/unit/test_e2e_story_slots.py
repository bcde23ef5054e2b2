"""The perspectives an end-to-end story says were shared are the ones the action shares.

`rasa test --e2e` predicts actions but replays a story's slot events instead of running the custom
actions, so a story's `perspectives_shared` after `action_share_perspectives` is never checked there:
after a content change it can describe answers the assistant no longer gives (18 did, once the
balance rule and the new perspectives landed). This test walks every story, builds the tracker the
action would see at that step (slots so far, the user's text, intent and entities, the form) and
runs the action."""
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.entities_parser import parse_training_example

from actions.perspectives import ActionSharePerspectives
from tests.conftest import ROOT, make_tracker, run_action, slot_events

CHECKED = ("perspectives_shared", "sources_cited", "current_topics")


def _cases():
    for path in sorted((Path(ROOT) / "tests" / "e2e").glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            slots, text, intent, entities, previous, loop = {}, "", None, [], "action_listen", None
            steps = story["steps"]
            for index, step in enumerate(steps):
                if "user" in step:
                    parsed = parse_training_example(step["user"])
                    text, intent, entities = parsed.get("text"), step.get("intent"), parsed.get("entities") or []
                    previous = "action_listen"
                elif "slot_was_set" in step:
                    slots.update(s for item in step["slot_was_set"] if isinstance(item, dict) for s in item.items())
                elif "active_loop" in step:
                    loop = step["active_loop"]
                elif "action" in step:
                    if step["action"] == "action_share_perspectives":
                        listed = {}
                        for later in steps[index + 1:]:
                            if "slot_was_set" not in later:
                                break
                            listed.update(s for item in later["slot_was_set"] if isinstance(item, dict)
                                          for s in item.items() if s[0] in CHECKED)
                        if listed:
                            tracker = dict(text=text, intent=intent, slots=dict(slots), entities=entities,
                                           latest_action_name=previous, active_loop=loop)
                            yield pytest.param(tracker, listed, id=f"{path.stem}: {story['story']} ({index})")
                    previous = step["action"]


CASES = list(_cases())


def test_the_stories_list_perspectives_at_all():
    assert len(CASES) >= 20


@pytest.mark.parametrize("tracker, listed", CASES)
def test_a_storys_shared_perspectives_are_what_the_action_shares(tracker, listed):
    events, _ = run_action(ActionSharePerspectives(), make_tracker(**tracker))
    shared = slot_events(events)
    assert {key: shared.get(key) for key in listed} == listed
