"""The anchor prefilter (safety/prefilter.py), and reading the leetspeak view only around what it
changed, change how fast the patterns read a long message, never what they find: every corpus
sentence, inside a long message, gets the same hits as when every pattern is run over the whole of
each view."""
from pathlib import Path

import pytest
import yaml

from safety import patterns
from safety.normalise import views
from safety.prefilter import Each, Either, Finder, OneOf, anchors
from tests.conftest import ROOT

# ordinary story text around the sentence: long enough for the prefilter to be used, and full of
# words ("today", "again", "her") that some patterns' time or repeat parts need
PADDING = "my therapist cried again today and honestly i did not know what to say to her. " * 15
BATCH = 25  # sentences per long message (one message per sentence would take minutes to read plainly)


def _sentences():
    files = [ROOT / "tests" / "safety" / "crisis_corpus.yml", *sorted((ROOT / "tests" / "safety" / "corpus").glob("*.yml"))]
    for path in files:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        for key, entries in data.items():
            for entry in entries if isinstance(entries, list) else ():
                text = entry.get("text") if isinstance(entry, dict) else entry
                if isinstance(text, str):
                    yield text


SENTENCES = sorted(set(_sentences()))


def _found(text: str):
    return sorted((h.tier, h.pattern, h.text, h.span, h.view) for h in patterns.find(views(text)))


def test_the_corpus_is_read():
    assert len(SENTENCES) > 1000


def test_prefiltered_patterns_find_exactly_what_plain_patterns_find(monkeypatch):
    batches = [SENTENCES[i:i + BATCH] for i in range(0, len(SENTENCES), BATCH)]
    texts = [PADDING + "\n".join(batch) + "\n" + PADDING for batch in batches]
    prefiltered = [_found(text) for text in texts]
    monkeypatch.setattr(patterns, "PREFILTER_FROM", 10 ** 9)  # every pattern over the whole text
    monkeypatch.setattr(patterns, "NEAR_CHANGES_ONLY", False)  # and over the whole leetspeak view
    plain = [_found(text) for text in texts]
    differences = [(batch, a, b) for batch, a, b in zip(batches, prefiltered, plain) if a != b]
    assert not differences, differences[0]
    assert sum(len(hits) for hits in plain) > 500  # the comparison is about real matches


def test_a_pattern_with_a_time_and_a_method_is_looked_for_by_its_rarer_part():
    requirement = anchors(r"\b(tonight|today)\b.{0,60}\b(kill my ?self|overdose)\b")
    assert isinstance(requirement, Each)
    story = "she cried today. " * 200
    assert Finder(story).windows(requirement) == []  # "today" everywhere, no method anywhere
    told = story + "i will overdose today"
    assert Finder(told).windows(requirement)


@pytest.mark.parametrize("pattern, inside", [
    (r"\bi sh\b|\b(want|wanna) to (sh|s/h)\b", "i want to sh"),
    (r"\b(s/h|sh) (again|urges?)\b", "sh urges"),
])
def test_an_alternation_keeps_a_requirement_for_each_branch(pattern, inside):
    requirement = anchors(pattern)
    assert isinstance(requirement, (OneOf, Either, Each))
    text = "nothing here at all. " * 100 + inside + " and more. " * 100
    assert any(start <= text.index(inside) < end for start, end in Finder(text).windows(requirement))


@pytest.mark.parametrize("disguised, word", [
    ("i want to k!ll mys3lf", "kill myself"),
    ("thinking about su1c1de again", "suicide"),
    ("the urge to s h is back", "sh"),
    ("maybe su*cide is the answer", "suicide"),
])
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_a_disguised_phrase_anywhere_in_a_long_paste_is_read_in_the_leetspeak_view(disguised, word, where):
    story = "my therapist cried again today and honestly i did not know what to say to her. " * 600
    middle = len(story) // 2
    text = {"start": disguised + ". " + story, "middle": story[:middle] + " " + disguised + ". " + story[middle:],
            "end": story + disguised}[where]
    hits = patterns.find(views(text))
    assert any(h.view == "unleet" and word in h.text for h in hits), hits


@pytest.mark.parametrize("text, words", [
    ("she cried 2day, i was l1ke wtf, and then s u i c i d e came up, k*ll", ["like", "suicide", "kill"]),
    ("n0 w4y 0ut, a b c d, r0pe and h3r and 1 2 3 and ok", ["no", "way", "out,", "abcd", "rope", "her"]),
    ("plain words only, 2 of them", []),
])
def test_the_leetspeak_views_changed_spans_are_exactly_what_it_changed(text, words):
    """Spans are moved when a later step shortens the text before them ("s u i c i d e" -> "suicide")."""
    seen = views(text)
    assert [seen.unleet[start:end] for start, end in seen.changed] == words
    short = views(text.replace("s u i c i d e", "suicide").replace("a b c d", "abcd"))  # no join: same length
    assert len(short.unleet) == len(short.text)
    inside = {i for start, end in short.changed for i in range(start, end)}
    assert all(i in inside for i, (a, b) in enumerate(zip(short.text, short.unleet)) if a != b)
