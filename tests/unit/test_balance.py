"""Balance (#20 item 5): whatever a client tells the assistant, the perspectives it shows include
one that takes their own reaction seriously, and none hands down a verdict on their therapist.

Run through action_share_perspectives for every combination of the four situation values (each
value or unknown) after the form, and for every question or feeling it answers directly."""
import itertools
import re

import pytest

from actions import knowledge
from actions.perspectives import ActionSharePerspectives
from tests.conftest import make_tracker, run_action, slot_events

SITUATION_VALUES = {
    "crying_intensity": ["tearful", "sobbing", None],
    "crying_frequency": ["once", "repeated", None],
    "crying_focus": ["client_story", "therapist_own_life", None],
    "client_feeling": ["uncomfortable", "responsible", "cared_for", "confused", None],
}
COMBINATIONS = [dict(zip(SITUATION_VALUES, values)) for values in itertools.product(*SITUATION_VALUES.values())]
ANSWERED_INTENTS = sorted(i for i in knowledge.topics()["intent_topics"] if i != "identify_as_therapist")
# a verdict on the client's own therapist, or an order to leave, said as certain
VERDICT = re.compile(r"\b(your therapist|they|she|he) (is|are|was|were) (being )?(unprofessional|inappropriate|wrong|"
                     r"a bad therapist|not (a )?good)\b|\bthat makes (them|her|him) \w+|\byou (should|must|need to) "
                     r"(leave|quit|find (a new|another) therapist|report)\b", re.IGNORECASE)


def shown(intent, slots, latest_action_name="action_listen"):
    tracker = make_tracker("x", intent=intent, slots={k: v for k, v in slots.items() if v},
                           latest_action_name=latest_action_name)
    events, _ = run_action(ActionSharePerspectives(), tracker)
    return [knowledge.perspective_by_id(i) for i in slot_events(events).get("perspectives_shared", [])]


def test_some_perspectives_are_marked_as_taking_the_reaction_seriously():
    marked = [p for p in knowledge.perspectives() if p.honours_reaction]
    assert len(marked) >= 4  # enough that answers need not repeat one
    assert len({p.person for p in marked}) >= 3


@pytest.mark.parametrize("slots", COMBINATIONS, ids=lambda s: "-".join(str(v) for v in s.values()))
def test_after_the_form_an_answer_takes_the_clients_reaction_seriously(slots):
    chosen = shown("describe_therapist_crying", slots, latest_action_name="situation_form")
    assert chosen, slots
    assert any(p.honours_reaction for p in chosen), [p.id for p in chosen]
    assert not any(VERDICT.search(p.text) for p in chosen), [p.id for p in chosen]


@pytest.mark.parametrize("intent", ANSWERED_INTENTS)
def test_a_question_answered_at_once_takes_the_clients_reaction_seriously(intent):
    for slots in ({}, {"client_feeling": "uncomfortable", "crying_focus": "therapist_own_life"},
                  {"client_feeling": "cared_for", "crying_intensity": "tearful"}):
        chosen = shown(intent, slots)
        if intent == "ask_more_perspectives":
            continue  # one more view added to an answer that had one
        assert any(p.honours_reaction for p in chosen), (intent, slots, [p.id for p in chosen])


def test_no_perspective_hands_down_a_verdict():
    assert not [p.id for p in knowledge.perspectives() if VERDICT.search(p.text)]


def test_without_the_balance_rule_some_answers_would_have_no_such_view(monkeypatch):
    """The tests above prove something only if the rule is what puts the view there for some cases."""
    monkeypatch.setattr(knowledge, "_one_that_honours_the_reaction", lambda *args: None)
    lacking = [s for s in COMBINATIONS
               if not any(p.honours_reaction for p in shown("describe_therapist_crying", s, "situation_form"))]
    lacking += [i for i in ANSWERED_INTENTS if i != "ask_more_perspectives"
                and not any(p.honours_reaction for p in shown(i, {}))]
    assert lacking
