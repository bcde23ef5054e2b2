"""Actions on trackers built from dicts: the events they return and the messages they send."""
import pytest

from actions.fallback import ActionClarifyIntent
from actions.greet import ActionGreet
from actions.perspectives import ActionSharePerspectives
from actions.sources import ActionShareSources
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
        assert f"{entry.text}\n— {knowledge.short_attribution(entry.person)}" in texts(messages)
        assert knowledge.attribution(entry.person) not in texts(messages)  # the full reference is a tap away
    assert slot_events(events)["current_topics"] == ["professional", "intensity", "whose_need"]
    assert slot_events(events)["sources_cited"] == [knowledge.perspective_by_id(p).person for p in shared]
    assert {"title": "Where is this from?", "payload": "/ask_source"} in messages[-1]["buttons"]


def test_where_is_this_from_gives_the_full_reference_of_each_person_just_quoted():
    tracker = make_tracker("where is this from?", intent="ask_source",
                           slots={"sources_cited": ["natalie_moore", "tears_for_fears", "natalie_moore"]})
    _, messages = run_action(ActionShareSources(), tracker)
    said = texts(messages)
    assert said.count(knowledge.attribution("natalie_moore")) == 1
    assert knowledge.attribution("tears_for_fears") in said
    assert "My Therapist Cries during Our Sessions; Is This Normal?" in said
    assert "Where is this from?" not in [b["title"] for b in messages[-1]["buttons"]]


def test_where_is_this_from_before_anyone_was_quoted_lists_the_five_articles():
    _, messages = run_action(ActionShareSources(), make_tracker("source?", intent="ask_source"))
    said = texts(messages)
    assert "haven't quoted anyone yet" in said
    for article in knowledge.sources()["sources"].values():
        assert article["title"] in said


def test_short_credit_is_much_shorter_than_the_full_reference():
    for person in {p.person for p in knowledge.perspectives()}:
        short, full = knowledge.short_attribution(person), knowledge.attribution(person)
        assert len(short.split()) <= 16 < len(full.split()), (person, short)


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


def test_say_it_more_simply_inside_the_form_asks_the_open_question_in_plain_words_once():
    from actions.asking import ActionAskCryingIntensity
    from actions.simpler import ActionSayItSimply

    tracker = make_tracker("say more simple please", intent="ask_simpler", active_loop="situation_form",
                           slots={"requested_slot": "crying_intensity"})
    _, lead = run_action(ActionSayItSimply(), tracker)
    _, question = run_action(ActionAskCryingIntensity(), tracker)
    assert texts(lead) == "Sure, more simply:"
    assert "A little (wet eyes), or a lot (sobbing)?" in texts(question)
    assert "How strongly" not in texts(lead) + texts(question)
    assert question[-1]["buttons"]  # the same answer buttons as the usual question
    # any other turn gets the usual question
    _, usual = run_action(ActionAskCryingIntensity(), make_tracker("hm", intent="describe_therapist_crying"))
    assert texts(usual) == "How strongly did your therapist cry?"


def test_say_it_more_simply_outside_the_form_gives_the_gist_and_next_steps():
    from actions.simpler import ActionSayItSimply

    _, messages = run_action(ActionSayItSimply(), make_tracker("simpler pls", intent="ask_simpler"))
    assert texts(messages).startswith("In simple words: therapists are people")
    assert messages[-1]["buttons"]


def test_a_therapist_who_cried_hears_the_therapist_side_only_and_is_asked_about_their_own_tears():
    from actions.asking import ActionAskCryingFocus
    from actions.suggestions import ActionSuggestRaisingIt

    therapist = {"speaker": "therapist"}
    for intent in ("ask_should_i_leave", "ask_is_it_normal", "ask_more_perspectives", "feel_uncomfortable"):
        events, messages = share(intent, slots=dict(therapist))
        shared = slot_events(events).get("perspectives_shared") or []
        assert shared, intent
        assert all("therapist_side" in knowledge.perspective_by_id(pid).topics for pid in shared), intent
        assert "not the only client" not in texts(messages)
    _, asked = run_action(ActionAskCryingFocus(), make_tracker("hm", intent="describe_therapist_crying",
                                                               slots=dict(therapist)))
    assert texts(asked) == "What moved you: something your client shared, or something from your own life?"
    events, raised = run_action(ActionSuggestRaisingIt(), make_tracker("how do i raise it",
                                                                       intent="ask_how_to_raise_it",
                                                                       slots=dict(therapist)))
    assert "Since you are the therapist" in texts(raised)
    assert "(Based on the views of" not in texts(raised) and "A general suggestion of mine" not in texts(raised)
    # a client still gets the client's suggestions
    _, client = run_action(ActionSuggestRaisingIt(), make_tracker("how do i raise it", intent="ask_how_to_raise_it"))
    assert "Since you are the therapist" not in texts(client)


def test_a_therapist_is_not_asked_how_it_left_the_client():
    import asyncio

    from actions.forms import ValidateSituationForm

    slots = ["crying_intensity", "crying_frequency", "crying_focus", "client_feeling"]
    form = ValidateSituationForm()
    for speaker, expected in ((None, slots), ("therapist", slots[:3])):
        tracker = make_tracker("x", active_loop="situation_form", slots={"speaker": speaker})
        assert asyncio.run(form.required_slots(slots, None, tracker, {})) == expected


def test_annoyance_about_paid_time_is_answered_with_the_view_on_session_time_not_a_raising_story():
    events, messages = share("feel_annoyed", slots={"client_feeling": "uncomfortable"})
    said = texts(messages)
    assert said.startswith(knowledge.topics()["intent_intros"]["feel_annoyed"])
    shared = slot_events(events)["perspectives_shared"]
    assert shared[0] == "fornos_your_time_your_money"
    assert all({"paid_time", "whose_need", "raise_it"} & set(knowledge.perspective_by_id(p).topics) for p in shared)


def test_the_same_opener_is_not_said_in_two_replies_in_a_row():
    intro = knowledge.topics()["intent_intros"]["feel_responsible"]
    previous = [{"event": "user", "text": "i feel guilty"}, {"event": "bot", "text": intro},
                {"event": "user", "text": "like it was my fault"}]
    _, again = share("feel_responsible", events=previous)
    assert intro not in texts(again) and texts(again)
    _, first = share("feel_responsible", events=previous[:1])
    assert texts(first).startswith(intro)


@pytest.mark.parametrize("text, key", [
    ("i miss her so much, its been 6 years", "sadness_loss_in_form"),
    ("my dad passed away in march and it still hurts", "sadness_loss_in_form"),
    ("honestly everything is so hard lately, i feel really alone", "sadness_in_form"),
    ("i feel so lost", "sadness_in_form"),
])
def test_sadness_inside_the_form_meets_a_loss_as_a_loss(text, key):
    from actions.common import messages
    from actions.sadness import ActionAcknowledgeSadnessInForm
    tracker = make_tracker(text, intent="share_sadness", active_loop="situation_form",
                           slots={"requested_slot": "crying_intensity"})
    _, sent = run_action(ActionAcknowledgeSadnessInForm(), tracker)
    assert texts(sent) == " ".join(messages()[key]["text"].split())
    assert "Is what you're feeling connected to your therapist" not in texts(sent)
    assert {"title": "Crisis contacts", "payload": '/crisis{"crisis_tier": "requested"}'} in sent[0]["buttons"]
