"""Traceability (issue #20, item 2): every perspective, research figure and attributed suggestion carries
its evidence, the seed file it comes from and short excerpts copied exactly from that seed.

Checked here: each such entry has evidence; each excerpt really is in the seed it names (compared after
normalising case, whitespace, quotes, dashes and punctuation); that seed is the one of the entry
person's article in sources.yml, and the person is named in it; the assistant's own suggestions cite
nothing. Whether an excerpt supports the entry's text is a reviewer's call, not this test's.
"""
import os
import re
from pathlib import Path

import pytest
import yaml

from actions import knowledge

ROOT = Path(__file__).resolve().parents[2]
# the project's read-only source articles sit beside the repository (../shared/seeds/)
SEEDS = Path(os.environ.get("SEEDS_DIR") or ROOT.parent / "shared" / "seeds")

# Entries whose text no seed supports, so they carry no evidence. Keep this as small as the truth allows:
# an entry listed here says something its source does not, and should be fixed or removed, not excused.
# (Empty: every entry has at least one supporting excerpt in its person's seed.)
KNOWN_UNSUPPORTED: set = set()

# People whose sources.yml name is a description rather than what the seed calls them.
NAMED_IN_SEED_AS = {
    "psychoanalyst": "being a trained psychoanalyst",
    "healthhub_writer": "I have worked with my current therapist",
    "blume_marcovici_study": "Amy C. Blume-Marcovici",
    "anonymous_reader": "Anonymous",
}
MIN_WORDS, MAX_WORDS = 5, 35
MAX_EXCERPTS = 3

UNIFY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})


def normalise(text: str) -> str:
    """Lower case, quotes and dashes unified then removed with all other punctuation, whitespace runs
    (including no-break spaces) to one space."""
    text = text.translate(UNIFY).lower()
    text = re.sub(r"[^\w\s]|_", "", text)
    return " ".join(text.split())


def seed_text(name: str) -> str:
    path = SEEDS / name
    assert path.is_file(), f"no seed {name} in {SEEDS} (set SEEDS_DIR)"
    return normalise(path.read_text(encoding="utf-8"))


def excerpt_in_seed(excerpt: str, seed: str) -> bool:
    """Whole words only: an excerpt may start or end mid-sentence, not mid-word."""
    return f" {normalise(excerpt)} " in f" {seed_text(seed)} "


def person_named_in_seed(person: str, seed: str) -> bool:
    name = NAMED_IN_SEED_AS.get(person) or knowledge.sources()["people"][person]["name"]
    return f" {normalise(name)} " in f" {seed_text(seed)} "


def person_seed(person: str) -> str:
    data = knowledge.sources()
    return data["sources"][data["people"][person]["article"]]["seed"]


def raw(name):
    return yaml.safe_load((knowledge.KNOWLEDGE_DIR / name).read_text(encoding="utf-8"))


def cited_entries() -> list:
    """(id, person, entry) for everything that must carry evidence."""
    entries = [(f"perspectives:{e['id']}", e["person"], e) for e in raw("perspectives.yml")["perspectives"]]
    research = raw("research.yml")
    study_person = research["study"]["person"]
    entries.append(("research:study", study_person, research["study"]))
    entries += [(f"research:{f['id']}", study_person, f) for f in research["findings"]]
    entries.append(("research:expert_view", research["expert_view"]["person"], research["expert_view"]))
    entries += [
        (f"suggestions:{s['id']}", s["person"], s)
        for s in raw("suggestions.yml")["suggestions"]
        if s["person"] != knowledge.ASSISTANT
    ]
    return entries


CITED = cited_entries()
EVIDENCED = [e for e in CITED if e[0] not in KNOWN_UNSUPPORTED]
ASSISTANT_SUGGESTIONS = [s for s in raw("suggestions.yml")["suggestions"] if s["person"] == knowledge.ASSISTANT]


def test_there_is_something_to_check():
    kinds = {entry_id.split(":")[0] for entry_id, _, _ in EVIDENCED}
    assert kinds == {"perspectives", "research", "suggestions"}
    assert len(CITED) == len({entry_id for entry_id, _, _ in CITED})
    assert ASSISTANT_SUGGESTIONS


def test_known_unsupported_are_real_entries_without_evidence():
    ids = {entry_id for entry_id, _, _ in CITED}
    assert KNOWN_UNSUPPORTED <= ids
    for entry_id, _, entry in CITED:
        if entry_id in KNOWN_UNSUPPORTED:
            assert "evidence" not in entry, f"{entry_id} has evidence now: take it out of KNOWN_UNSUPPORTED"


@pytest.mark.parametrize("entry_id, person, entry", EVIDENCED, ids=[e[0] for e in EVIDENCED])
def test_entry_has_evidence(entry_id, person, entry):
    evidence = entry.get("evidence")
    assert isinstance(evidence, list) and 1 <= len(evidence) <= MAX_EXCERPTS, entry_id
    for item in evidence:
        assert isinstance(item, dict) and set(item) == {"seed", "excerpt"}, item
        assert isinstance(item["excerpt"], str) and isinstance(item["seed"], str), item
    excerpts = [normalise(item["excerpt"]) for item in evidence]
    assert len(excerpts) == len(set(excerpts)), "an excerpt is listed twice"


@pytest.mark.parametrize("entry_id, person, entry", EVIDENCED, ids=[e[0] for e in EVIDENCED])
def test_excerpts_are_copied_from_their_seed(entry_id, person, entry):
    for item in entry.get("evidence") or ():
        words = len(normalise(item["excerpt"]).split())
        assert MIN_WORDS <= words <= MAX_WORDS, f"{words} words: {item['excerpt']}"
        assert excerpt_in_seed(item["excerpt"], item["seed"]), f"not in {item['seed']}: {item['excerpt']}"


@pytest.mark.parametrize("entry_id, person, entry", EVIDENCED, ids=[e[0] for e in EVIDENCED])
def test_evidence_comes_from_the_persons_own_article(entry_id, person, entry):
    assert person in knowledge.sources()["people"], person
    expected = person_seed(person)
    assert person_named_in_seed(person, expected), f"{person} is not named in {expected}"
    for item in entry.get("evidence") or ():
        assert item["seed"] == expected, f"{person}'s article is {expected}, the evidence cites {item['seed']}"


@pytest.mark.parametrize("entry", ASSISTANT_SUGGESTIONS, ids=lambda e: e["id"])
def test_assistant_suggestions_cite_nothing(entry):
    assert "evidence" not in entry


def test_the_checks_can_fail():
    entry_id, person, entry = next(e for e in EVIDENCED if e[0] == "perspectives:lear_empathy_is_human")
    item = entry["evidence"][0]
    assert excerpt_in_seed(item["excerpt"], item["seed"])
    # quotes, dashes, case and spacing do not matter ...
    assert excerpt_in_seed(item["excerpt"].upper().replace("\u2019", "'").replace(" ", "  "), item["seed"])
    # ... but a changed word, a cut-off word or the wrong seed does
    assert not excerpt_in_seed(item["excerpt"].replace("moved to tears", "moved to sobs"), item["seed"])
    assert not excerpt_in_seed(item["excerpt"][3:], item["seed"])
    assert not excerpt_in_seed(item["excerpt"], "004_282d0475e4845e31.txt")
    # a person is only credited from a seed that names them
    assert person_named_in_seed("katie_lear", person_seed("katie_lear"))
    assert not person_named_in_seed("katie_lear", "004_282d0475e4845e31.txt")
    assert not person_named_in_seed("kip_rodgers_watson", "004_282d0475e4845e31.txt")  # Alice Watson's seed
