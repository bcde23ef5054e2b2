"""Matching is deterministic scoring over topics and slots: a table of situations -> perspectives."""
import pytest

from actions import knowledge

UNKNOWN = {}
SOBBING_OWN_LIFE = {"crying_intensity": "sobbing", "crying_focus": "therapist_own_life"}
TEARFUL_STORY_CARED = {
    "crying_intensity": "tearful", "crying_frequency": "once",
    "crying_focus": "client_story", "client_feeling": "cared_for",
}
REPEATED_UNCOMFORTABLE = {"crying_frequency": "repeated", "client_feeling": "uncomfortable"}
RESPONSIBLE_SOBBING = {"crying_intensity": "sobbing", "client_feeling": "responsible"}


@pytest.mark.parametrize(
    "topics, situation, expected",
    [
        (["normal", "research"], UNKNOWN, ["research_most_therapists_have", "bognar_your_reaction_is_welcome"]),  # balance: the reaction counts
        (["professional", "intensity", "whose_need"], SOBBING_OWN_LIFE,
         ["lear_misty_versus_inconsolable", "moore_no_role_reversal"]),
        (["professional", "intensity", "whose_need"], {"crying_intensity": "tearful", "crying_focus": "client_story"},
         ["watson_meeting_your_emotion", "tears_for_fears_stopped_therapy"]),  # quiet tears can still feel wrong
        (["caretaking", "whose_need"], RESPONSIBLE_SOBBING,
         ["lear_misty_versus_inconsolable", "moore_no_role_reversal"]),  # two voices, not Lear twice
        (["cared_for", "alliance"], TEARFUL_STORY_CARED,
         ["katzman_single_tear", "tina_a_relief"]),
        (["moving_on"], REPEATED_UNCOMFORTABLE,
         ["tears_for_fears_stopped_therapy", "moore_your_options"]),
        (["moving_on"], SOBBING_OWN_LIFE, ["fornos_your_time_your_money", "anonymous_find_someone_else"]),
        (["boundaries"], UNKNOWN, ["jill_boundaries_and_exceptions", "fornos_sessions_about_the_therapist"]),
        (["therapist_side"], UNKNOWN, ["moore_therapists_job_to_modulate", "bognar_whose_need"]),
        (["raise_it", "moving_on"], {"client_feeling": "uncomfortable"},
         ["moore_your_options", "healthhub_can_feel_like_shutting_down"]),
    ],
)
def test_table_of_situations(topics, situation, expected):
    """Two views per answer, the second often the one that takes the client's reaction seriously
    (the balance rule in match_perspectives)."""
    chosen = [p.id for p in knowledge.match_perspectives(topics, situation, limit=2)]
    assert chosen == expected


def test_every_chosen_perspective_shares_a_wanted_topic():
    for topics in knowledge.topics()["intent_topics"].values():
        for entry in knowledge.match_perspectives(topics, SOBBING_OWN_LIFE, limit=5):
            assert set(entry.topics) & set(topics)


def test_excluded_ids_never_come_back_and_the_pool_runs_out():
    shared = []
    while True:
        chosen = knowledge.match_perspectives(["boundaries"], UNKNOWN, exclude=shared, limit=1)
        if not chosen:
            break
        assert chosen[0].id not in shared
        shared.append(chosen[0].id)
    assert len(shared) == len([p for p in knowledge.perspectives() if "boundaries" in p.topics])


def test_a_mismatching_slot_ranks_an_entry_lower():
    sobbing = knowledge.match_perspectives(["intensity"], {"crying_intensity": "sobbing"}, limit=1)[0]
    tearful = knowledge.match_perspectives(["intensity"], {"crying_intensity": "tearful"}, limit=1)[0]
    assert "sobbing" in sobbing.applies_when["crying_intensity"]
    assert "tearful" in tearful.applies_when["crying_intensity"]


@pytest.mark.parametrize(
    "situation, topics",
    [
        ({"client_feeling": "responsible", "crying_intensity": "sobbing"}, ["caretaking", "whose_need"]),
        ({"crying_focus": "therapist_own_life"}, ["whose_need", "professional"]),
        ({"crying_intensity": "sobbing"}, ["intensity", "professional"]),
        ({"client_feeling": "cared_for"}, ["cared_for", "alliance"]),
        ({}, ["normal", "professional"]),
    ],
)
def test_topics_for_situation(situation, topics):
    assert knowledge.topics_for_situation(situation) == topics


def test_suggestions_differ_with_feeling_and_situation():
    def ids(situation):
        return [s.id for s in knowledge.pick_suggestions(situation)]

    responsible = ids({"client_feeling": "responsible"})
    uncomfortable = ids({"client_feeling": "uncomfortable"})
    repeated_sobbing = ids({"crying_intensity": "sobbing", "crying_frequency": "repeated"})
    single_tear = ids({"crying_intensity": "tearful", "crying_frequency": "once"})
    assert responsible != uncomfortable
    assert "how_responsible" in responsible and "how_uncomfortable" in uncomfortable
    assert repeated_sobbing != single_tear
    assert "ask_repeated_sobbing" in repeated_sobbing and "ask_what_it_meant" in single_tear
    assert ids({}) == ["when_calm_next_session", "how_general", "ask_what_it_meant",
                       "good_response_welcomes_feedback", "dismissive_consider_options"]
