"""The knowledge base is data: check its schema so a content edit cannot silently break the bot."""
from pathlib import Path

import pytest
import yaml

from actions import knowledge
from actions.lexicon import SLOT_VALUES

SEEDS = {
    "000_0a5e776201384a05.txt",
    "001_14b13c01358a6be2.txt",
    "002_6ef35d77998980f0.txt",
    "003_df70b1e0e621faca.txt",
    "004_282d0475e4845e31.txt",
}
VOCABULARY = set(knowledge.topics()["topics"])
FIXED_VOCABULARY = {
    "normal", "professional", "intensity", "whose_need", "caretaking", "alliance",
    "cared_for", "raise_it", "moving_on", "therapist_side", "research", "boundaries", "paid_time",
}


def raw(name):
    return yaml.safe_load((knowledge.KNOWLEDGE_DIR / name).read_text(encoding="utf-8"))


def test_topic_vocabulary_is_the_fixed_one():
    assert VOCABULARY == FIXED_VOCABULARY


def test_every_topic_is_used_by_some_perspective():
    used = {t for p in knowledge.perspectives() for t in p.topics}
    assert used == VOCABULARY


@pytest.mark.parametrize("entry", raw("perspectives.yml")["perspectives"], ids=lambda e: e["id"])
def test_perspective_schema(entry):
    # `evidence` (optional here) is checked against the seeds in test_evidence.py
    assert set(entry) - {"evidence", "honours_reaction"} == {"id", "person", "topics", "applies_when", "text"}
    assert entry.get("honours_reaction", True) is True  # a flag: present and true, or absent
    assert entry["person"] in knowledge.sources()["people"]
    assert entry["topics"] and set(entry["topics"]) <= VOCABULARY
    for slot, values in entry["applies_when"].items():
        assert slot in SLOT_VALUES and set(values) <= set(SLOT_VALUES[slot])
    assert 60 < len(entry["text"]) < 700


def test_ids_are_unique():
    ids = [p.id for p in knowledge.perspectives()] + [s.id for s in knowledge.suggestions()]
    assert len(ids) == len(set(ids))


def test_every_person_and_article_is_resolved_and_from_a_seed():
    data = knowledge.sources()
    for article in data["sources"].values():
        assert article["seed"] in SEEDS and article["title"] and article["publication"]
    for key, person in data["people"].items():
        assert person["article"] in data["sources"], key
        assert person["name"] and person["credentials"]


def test_every_seed_and_every_person_is_covered():
    data = knowledge.sources()
    assert {a["seed"] for a in data["sources"].values()} == SEEDS
    cited = {p.person for p in knowledge.perspectives()} | {s.person for s in knowledge.suggestions()}
    cited.discard(knowledge.ASSISTANT)
    cited.add(knowledge.research()["study"]["person"])
    assert cited == set(data["people"])


def test_the_five_column_counsellors_are_all_quoted():
    people = {p.person for p in knowledge.perspectives()}
    assert {"katie_lear", "david_fornos", "julia_katzman", "natalie_moore",
            "kip_rodgers_watson", "nick_bognar"} <= people


def test_intent_topics_use_the_vocabulary():
    for intent, topics in knowledge.topics()["intent_topics"].items():
        assert topics and set(topics) <= VOCABULARY, intent
    for rule in knowledge.topics()["situation_topics"]:
        assert set(rule["topics"]) <= VOCABULARY


def test_every_topic_question_has_at_least_two_perspectives():
    for intent, topics in knowledge.topics()["intent_topics"].items():
        assert len(knowledge.match_perspectives(topics, {}, limit=10)) >= 2, intent


def test_suggestion_schema_and_every_part_has_a_general_entry():
    data = raw("suggestions.yml")
    for entry in data["suggestions"]:
        assert set(entry) - {"evidence"} == {"id", "part", "person", "applies_when", "text"}
        assert entry["part"] in data["parts"]
        assert entry["person"] in knowledge.sources()["people"] or entry["person"] == knowledge.ASSISTANT
        for slot, values in entry["applies_when"].items():
            assert set(values) <= set(SLOT_VALUES[slot])
    for part in data["parts"]:
        assert any(s.part == part and not s.applies_when for s in knowledge.suggestions()), part


def test_attribution_names_person_credentials_and_article():
    text = knowledge.attribution("natalie_moore")
    assert "Natalie Moore" in text and "LMFT" in text
    assert "Is It Normal for Therapists to Cry In Front of Patients?" in text
