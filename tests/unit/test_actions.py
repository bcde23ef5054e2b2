"""Actions on trackers built from dicts: the events they return and the messages they send."""
import pytest

from actions.fallback import ActionClarifyIntent
from actions.greet import ActionGreet
from actions.perspectives import ActionSharePerspectives
from actions.suggestions import ActionSuggestRaisingIt
from actions import knowledge
from tests.conftest import make_tracker, run_action, slot_events, texts


def share(intent, **kwargs):
    return run_action(ActionSharePerspectives(), make_tracker(intent=intent, **kwargs))


def test_question_gets_attributed_perspectives_and_records_their_ids():
    events, messages = share("ask_is_it_professional", slots={"crying_intensity": "sobbing"})
    shared = slot_events(events)["perspectives_shared"]
    assert 1 <= len(shared) <= 3
    for pid in shared:
        entry = knowledge.perspective_by_id(pid)
        assert {"professional", "intensity", "whose_need"} & set(entry.topics)
        assert entry.text in texts(messages)
        assert knowledge.attribution(entry.person) in texts(messages)
    assert slot_events(events)["current_topics"] == ["professional", "intensity", "whose_need"]


def test_another_perspective_never_repeats_until_exhausted_then_says_so():
    slots = {"perspectives_shared": [], "current_topics": ["boundaries"]}
    seen = []
    for _ in range(len(knowledge.perspectives()) + 2):
        events, messages = share("ask_more_perspectives", slots=dict(slots))
        new = slot_events(events).get("perspectives_shared")
        if new is None:
            assert "shared every perspective" in texts(messages)
            assert messages[-1]["buttons"]
            break
        added = new[len(slots["perspectives_shared"]):]
        assert len(added) == 1 and added[0] not in seen
        seen += added
        slots["perspectives_shared"] = new
    else:
        pytest.fail("never reported that all perspectives were shared")
    assert sorted(seen) == sorted(p.id for p in knowledge.perspectives())
    # boundary topics came first
    n_boundaries = len([p for p in knowledge.perspectives() if "boundaries" in p.topics])
    assert all("boundaries" in knowledge.perspective_by_id(i).topics for i in seen[:n_boundaries])


def test_after_the_form_the_situation_decides_the_topics():
    events, messages = share(
        "feel_responsible",
        slots={"crying_intensity": "sobbing", "crying_frequency": "repeated",
               "crying_focus": "therapist_own_life", "client_feeling": "responsible"},
        latest_action_name="situation_form",
    )
    assert slot_events(events)["current_topics"] == ["caretaking", "whose_need"]
    assert "Based on what you told me" in texts(messages)


def test_suggestions_are_tailored():
    _, responsible = run_action(
        ActionSuggestRaisingIt(), make_tracker(intent="ask_how_to_raise_it", slots={"client_feeling": "responsible"})
    )
    _, uncomfortable = run_action(
        ActionSuggestRaisingIt(), make_tracker(intent="ask_how_to_raise_it", slots={"client_feeling": "uncomfortable"})
    )
    assert texts(responsible) != texts(uncomfortable)
    assert "look after you" in texts(responsible)
    for part in ("When:", "How:", "What to ask:", "A good response:", "If the response is dismissive"):
        assert part in texts(responsible)


def test_advice_no_source_gives_is_never_shown_under_a_persons_name():
    """The opening lines and 'write it down' are the assistant's own suggestion (content audit E12)."""
    from actions import knowledge
    from actions.suggestions import OWN_SUGGESTION

    _, messages = run_action(
        ActionSuggestRaisingIt(), make_tracker(intent="ask_how_to_raise_it", slots={"client_feeling": "uncomfortable"})
    )
    how = next(m["text"] for m in messages if m.get("text", "").startswith("How:"))
    assert how.endswith(f"({OWN_SUGGESTION})")
    for message in messages:
        if "Based on the views of" in (message.get("text") or ""):
            assert "write it down" not in message["text"].lower() and "supervision" not in message["text"].lower()
    own = [s for s in knowledge.suggestions() if s.person == knowledge.ASSISTANT]
    assert own and all(s.part in ("how", "ask") for s in own)


def test_greeting_shows_privacy_once():
    events, first = run_action(ActionGreet(), make_tracker(intent="greet"))
    assert "privacy" in texts(first).lower() and "not a therapist" in texts(first)
    assert slot_events(events) == {"shown_privacy": True}
    events, again = run_action(ActionGreet(), make_tracker(intent="greet", slots={"shown_privacy": True}))
    assert "privacy" not in texts(again).lower() and events == []


RANKING = [
    {"name": "nlu_fallback", "confidence": 0.6},
    {"name": "ask_is_it_professional", "confidence": 0.4},
    {"name": "ask_is_it_normal", "confidence": 0.35},
    {"name": "affirm", "confidence": 0.1},
]


def test_clarify_offers_the_two_likeliest_intents_in_plain_words_plus_something_else():
    _, messages = run_action(
        ActionClarifyIntent(), make_tracker(text="hmm", intent="nlu_fallback", intent_ranking=RANKING)
    )
    buttons = messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/ask_is_it_professional", "/ask_is_it_normal", "/ask_capabilities"]
    assert buttons[0]["title"] == "Was it professional?"
    assert buttons[-1]["title"] == "Something else"


def test_second_fallback_in_a_row_shows_the_topic_menu():
    events = [
        {"event": "user", "text": "blah", "parse_data": {"intent": {"name": "nlu_fallback"}}},
        {"event": "action", "name": "action_clarify_intent"},
        {"event": "user", "text": "blah blah", "parse_data": {"intent": {"name": "nlu_fallback"}}},
    ]
    _, messages = run_action(
        ActionClarifyIntent(),
        make_tracker(text="blah blah", intent="nlu_fallback", intent_ranking=RANKING, events=events),
    )
    assert any(m.get("response") == "utter_topic_menu" for m in messages)


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_message_gets_a_calm_word_and_the_menu(text):
    _, messages = run_action(ActionClarifyIntent(), make_tracker(text=text, intent="nlu_fallback", intent_ranking=RANKING))
    assert "empty" in texts(messages)
    assert messages[-1].get("response") == "utter_topic_menu"
