"""The situation form end to end without servers: the NLU's situation entities, Rasa's own slot
mappings (action_extract_slots on the real domain), then validate_situation_form: answers in the
person's own words, values told out of order, interruptions, the miss ladder."""
import asyncio
import functools

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.forms import ValidateSituationForm
from tests.conftest import ROOT, make_tracker, run_action, slot_events, texts
from understanding.situation import extract


@functools.lru_cache(maxsize=None)
def rasa_domain():
    return Domain.load(str(ROOT / "domain.yml"))


@functools.lru_cache(maxsize=None)
def domain():
    return rasa_domain().as_dict()


def mapped_slots(text, intent, requested=None, slots=None):
    """The slots Rasa's action_extract_slots sets from this message's situation entities."""
    tracker = DialogueStateTracker.from_events("t", [ActionExecuted("action_listen")], rasa_domain().slots)
    if requested:
        tracker.update(ActiveLoop("situation_form"))
        tracker.update(SlotSet("requested_slot", requested))
    for name, value in (slots or {}).items():
        tracker.update(SlotSet(name, value))
    tracker.update(UserUttered(text, intent={"name": intent, "confidence": 1.0}, entities=extract(text)))
    action = ActionExtractSlots(action_endpoint=None)
    events = asyncio.run(action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker,
                                    rasa_domain()))
    return {e.key: e.value for e in events if isinstance(e, SlotSet) and e.key != "form_retries"}


# Rasa runs the validation on a temporary tracker: the conversation so far, then the form's own
# ActionExecuted, then the slot candidates (rasa.core.actions.forms.FormAction._temporary_tracker).
# (These tests used to set only `latest_action_name`, which Rasa never sends as action_listen here:
# a crisis message holding a situation value passed as an answer, and the tests did not notice.)
FORM_RAN = {"event": "action", "name": "situation_form"}


def validate(text, intent, requested, slots=None, new_slot_events=None, entities=None):
    """Run the validator as the form would, after action_extract_slots set `new_slot_events`
    (by default: what Rasa's slot mappings take from the message)."""
    if new_slot_events is None:
        new_slot_events = mapped_slots(text, intent, requested, slots)
    if entities is None:
        entities = extract(text)  # what the NLU's situation extractor reads in the message
    events = [{"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}, FORM_RAN]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (new_slot_events or {}).items()]
    tracker = make_tracker(
        text=text, intent=intent, active_loop="situation_form", events=events, entities=entities,
        slots={"requested_slot": requested, **(slots or {}), **(new_slot_events or {})},
        latest_action_name="situation_form",
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
    assert messages == []  # asked and answered: nothing to acknowledge


@pytest.mark.parametrize("intent", ["crisis", "ask_is_it_normal", "ask_research", "bot_challenge", "out_of_scope",
                                    "reassure_safe", "ask_tell_therapist_about_thoughts", "other_language"])
def test_questions_and_crisis_interrupt_the_form(intent):
    events, _ = validate("is this normal, she sobbed", intent, "crying_frequency",
                         new_slot_events={"crying_intensity": "sobbing"})
    assert events == [{"event": "action_execution_rejected", "name": "situation_form",
                       "policy": None, "confidence": None, "timestamp": None}]


def test_a_value_told_again_is_part_of_the_story_not_an_out_of_scope_interruption():
    """"it was about my story" when the focus is known and the form asks how it felt: the classifier
    may call it out_of_scope, but it is the story said again; the form asks its open question again
    (with why it asks) instead of handing the turn to the out-of-scope answer."""
    text = "it was about my story"
    entities = extract(text)
    assert any(e["entity"] == "crying_focus" for e in entities)
    events, messages = validate(text, "out_of_scope", "client_feeling", slots={"crying_focus": "client_story"},
                                entities=entities)
    assert not any(e.get("event") == "action_execution_rejected" for e in events)
    assert slot_events(events)["form_retries"] == 1 and messages  # the open question is explained
    # without any situation value the same intent still interrupts
    events, _ = validate("whats the weather in leeds", "out_of_scope", "client_feeling", entities=[])
    assert [e["event"] for e in events] == ["action_execution_rejected"]


def test_a_feeling_only_the_classifier_guessed_is_taken_only_when_the_form_asked_for_it():
    """"her own stuff, her mom is sick i think", answering whose life it was about, read by the
    classifier as guilt: Rasa's from_intent mapping proposes client_feeling=responsible; the form keeps
    the focus and leaves the feeling to be asked. Asked for, the same guess is the answer."""
    text = "her own stuff, her mom is sick i think"
    events, _ = validate(text, "feel_responsible", "crying_focus", entities=extract(text),
                         new_slot_events={"crying_focus": "therapist_own_life", "client_feeling": "responsible"})
    assert slot_events(events)["crying_focus"] == "therapist_own_life"
    assert slot_events(events)["client_feeling"] is None
    events, _ = validate("yeah that", "feel_responsible", "client_feeling", entities=[],
                         new_slot_events={"client_feeling": "responsible"})
    assert slot_events(events)["client_feeling"] == "responsible"
    text = "i feel like i have to look after her now"  # a feeling named in words counts in any turn
    events, _ = validate(text, "feel_responsible", "crying_focus", entities=extract(text),
                         new_slot_events={"client_feeling": "responsible"})
    assert slot_events(events)["client_feeling"] == "responsible"


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
    assert "I ask because" not in texts(messages)


@pytest.mark.parametrize("misses_before", [0, 2])
def test_coming_back_after_an_interruption_neither_rejects_nor_counts_a_miss(misses_before):
    """Coming back after "is it normal?" is not an answer: the form neither rejects nor counts a miss,
    and it leaves the miss ladder where it was (no `form_retries` event at all). Someone who had missed
    twice before asking keeps the skip offer on the next miss rather than hearing the first-miss
    explanation alone again."""
    events = [{"event": "user", "text": "is it normal?", "parse_data": {"intent": {"name": "ask_is_it_normal"}}},
              {"event": "action", "name": "action_share_perspectives"}, FORM_RAN]
    tracker = make_tracker(text="is it normal?", intent="ask_is_it_normal", active_loop="situation_form",
                           events=events, slots={"requested_slot": "crying_focus", "form_retries": misses_before},
                           latest_action_name="situation_form")
    result, messages = run_action(ValidateSituationForm(), tracker, domain())
    assert not any(e.get("event") == "action_execution_rejected" for e in result)
    retries = [e["value"] for e in result if e.get("event") == "slot" and e.get("name") == "form_retries"]
    assert retries == [], retries
    assert messages == []


def test_an_unmappable_value_keeps_what_the_user_said_before():
    events = [{"event": "slot", "name": "crying_frequency", "value": "once"},
              {"event": "user", "text": "it was about my dad", "parse_data": {"intent": {"name": "describe_therapist_crying"}}},
              FORM_RAN,
              {"event": "slot", "name": "crying_frequency", "value": "it"},
              {"event": "slot", "name": "crying_focus", "value": "client_story"}]
    tracker = make_tracker(text="it was about my dad", intent="describe_therapist_crying", active_loop="situation_form",
                           events=events, slots={"requested_slot": "crying_focus", "crying_frequency": "it",
                                                 "crying_focus": "client_story"})
    result, _ = run_action(ValidateSituationForm(), tracker, domain())
    assert slot_events(result)["crying_frequency"] == "once"
    assert slot_events(result)["crying_focus"] == "client_story"


def test_a_description_fills_every_slot_it_states_in_any_turn():
    slots = mapped_slots("my counsellor kept bawling about her own grief, it happens every week and i felt so guilty",
                         "describe_therapist_crying")
    assert slots == {"crying_intensity": "sobbing", "crying_focus": "therapist_own_life",
                     "crying_frequency": "repeated", "client_feeling": "responsible"}


def test_ambiguous_words_in_a_description_are_not_guessed():
    # "moved" is the therapist's feeling; "once" with no crying word near is not a frequency
    assert mapped_slots("she was moved when i talked about my dad. i have been there once before",
                        "describe_therapist_crying") == {"crying_focus": "client_story"}


@pytest.mark.parametrize("text, requested, expected", [
    ("not so strong. only little water in eye", "crying_intensity", "tearful"),
    ("two time. also last week", "crying_frequency", "repeated"),
    ("something i shared", "crying_focus", "client_story"),
    ("Their own life", "crying_focus", "therapist_own_life"),
    ("a few tears, eyes welled up", "crying_intensity", "tearful"),
    ("her stuff", "crying_focus", "therapist_own_life"),
    ("kinda both tbh", "client_feeling", "confused"),
    ("i guess i felt like i had to look after her", "client_feeling", "responsible"),
])
def test_own_words_and_typed_button_words_answer_the_question_asked(text, requested, expected):
    events, messages = validate(text, "nlu_fallback", requested)
    assert slot_events(events)[requested] == expected
    assert not any("I ask because" in m.get("text", "") for m in messages)


@pytest.mark.parametrize("text, requested", [("a little", "crying_frequency"), ("her stuff", "crying_intensity")])
def test_a_short_answer_counts_only_for_the_question_it_answers(text, requested):
    assert mapped_slots(text, "nlu_fallback", requested) == {}
    assert mapped_slots(text, "nlu_fallback") == {}


@pytest.mark.parametrize("text, slot, expected", [
    ("she didnt sob, just teared up", "crying_intensity", "tearful"),
    ("not sobbing, but tears", "crying_intensity", "tearful"),
    ("she teared up and then full on sobbed", "crying_intensity", "sobbing"),
    ("it was the first time, then again last week", "crying_frequency", "repeated"),
    ("touched, but also really uneasy about it", "client_feeling", "confused"),
])
def test_a_message_with_two_values_for_one_slot_takes_the_one_meant(text, slot, expected):
    assert mapped_slots(text, "describe_therapist_crying")[slot] == expected


def test_a_value_told_out_of_order_is_acknowledged_in_one_line():
    events, messages = validate("honestly i just felt like i had to look after her", "feel_responsible",
                                "crying_frequency")
    assert slot_events(events)["client_feeling"] == "responsible"
    assert texts(messages) == "Got it: you felt you had to look after them."


def test_a_sad_sounding_answer_to_the_question_is_an_answer_not_an_interruption():
    events, _ = validate("sad and weird honestly", "share_sadness", "client_feeling")
    assert slot_events(events)["client_feeling"] == "uncomfortable"


def test_a_crisis_message_that_also_holds_a_value_interrupts_the_form():
    events, _ = validate("ive been thinking about just not waking up. anyway it was the first time she cried",
                         "crisis", "crying_intensity", new_slot_events={"crying_frequency": "once"})
    assert [e["event"] for e in events] == ["action_execution_rejected"]
