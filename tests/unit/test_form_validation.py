"""validate_situation_form: normalising answers, plain-word answers, interruptions, the miss ladder."""
import functools

import pytest
from rasa.shared.core.domain import Domain

from actions.forms import ValidateSituationForm
from tests.conftest import ROOT, make_tracker, run_action, slot_events, texts


@functools.lru_cache(maxsize=None)
def domain():
    return Domain.load(str(ROOT / "domain")).as_dict()


def validate(text, intent, requested, slots=None, new_slot_events=None):
    """Run the validator as the form would, after action_extract_slots set `new_slot_events`."""
    events = [{"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (new_slot_events or {}).items()]
    tracker = make_tracker(
        text=text, intent=intent, active_loop="situation_form", events=events,
        slots={"requested_slot": requested, **(slots or {}), **(new_slot_events or {})},
    )
    return run_action(ValidateSituationForm(), tracker, domain())


@pytest.mark.parametrize(
    "slot, raw, expected",
    [
        ("crying_intensity", "teared up", "tearful"),
        ("crying_intensity", "Broke Down", "sobbing"),
        ("crying_intensity", "teared up a little", "tearful"),
        ("crying_frequency", "every session", "repeated"),
        ("crying_focus", "her own divorce", "therapist_own_life"),
        ("client_feeling", "awkward", "uncomfortable"),
        ("crying_intensity", "purple", None),
    ],
)
def test_entity_values_are_normalised(slot, raw, expected):
    events, _ = validate("…", "describe_therapist_crying", slot, new_slot_events={slot: raw})
    assert slot_events(events)[slot] == expected


@pytest.mark.parametrize(
    "text, requested, expected",
    [
        ("honestly it happens nearly every session", "crying_frequency", "repeated"),
        ("just the once i think", "crying_frequency", "once"),
        ("it was about her own grief", "crying_focus", "therapist_own_life"),
        ("she was welling up", "crying_intensity", "tearful"),
    ],
)
def test_plain_word_answer_to_the_question_asked(text, requested, expected):
    events, messages = validate(text, "describe_therapist_crying", requested)
    assert slot_events(events)[requested] == expected
    assert slot_events(events)["form_retries"] == 0
    assert messages == []


@pytest.mark.parametrize("intent", ["crisis", "ask_is_it_normal", "ask_research", "bot_challenge", "out_of_scope"])
def test_questions_and_crisis_interrupt_the_form(intent):
    events, _ = validate("is this normal, she sobbed", intent, "crying_frequency",
                         new_slot_events={"crying_intensity": "sobbing"})
    assert events == [{"event": "action_execution_rejected", "name": "situation_form",
                       "policy": None, "confidence": None, "timestamp": None}]


def test_first_miss_explains_second_miss_offers_to_skip():
    events, messages = validate("banana", "nlu_fallback", "crying_frequency")
    assert slot_events(events) == {"form_retries": 1}
    assert "I ask because" in texts(messages)
    assert not any(m.get("buttons") for m in messages)

    events, messages = validate("banana split", "nlu_fallback", "crying_frequency", slots={"form_retries": 1})
    assert slot_events(events) == {"form_retries": 2}
    assert messages[-1]["buttons"][0]["payload"] == "/skip_question"


def test_skipping_sets_unknown_and_resets_the_ladder():
    events, _ = validate("skip", "skip_question", "crying_focus", slots={"form_retries": 2})
    assert slot_events(events) == {"crying_focus": "unknown", "form_retries": 0}


def test_answering_a_different_question_is_not_a_miss():
    events, messages = validate("i feel guilty", "feel_responsible", "crying_frequency",
                                new_slot_events={"client_feeling": "responsible"})
    assert slot_events(events)["client_feeling"] == "responsible"
    assert slot_events(events)["form_retries"] == 0
    assert messages == []
