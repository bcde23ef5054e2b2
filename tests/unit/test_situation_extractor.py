"""The situation reader (understanding/situation.py), the phrase table behind the NLU's situation entities.

The committed extraction set (tests/nlu/eval/situation_dev.yml, written for this project in many
voices) must come out with no value wrong: a wrong value puts words in the client's mouth and picks
the wrong perspectives. Recall may miss a value (the form then asks), so it has a floor, not a gate.
"""
import functools

import pytest
import yaml

from actions.lexicon import SLOT_VALUES
from tests.conftest import ROOT
from understanding.situation import ANSWER_ROLE, extract, values

COMMITTED_SET = ROOT / "tests" / "nlu" / "eval" / "situation_dev.yml"
RECALL_FLOOR = 0.9


@functools.lru_cache(maxsize=None)
def committed():
    return yaml.safe_load(COMMITTED_SET.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text, expected", [
    # intensity, in the words people use, inflected and misspelt
    ("my therapist was bawling her eyes out about her dog dying",
     {"crying_intensity": "sobbing", "crying_focus": "therapist_own_life"}),
    # torn between two feelings, told with a hedge; a change told as "the first time ... now"
    ("my counsellor cried in session. honestly not sure if im moved or weirded out",
     {"client_feeling": "confused"}),
    ("is it a red flag or a sign she cares? my therapist cried and i cant decide",
     {"client_feeling": "confused"}),
    ("the first time my therapist cried it felt sweet, now she does it every week and im fed up",
     {"crying_frequency": "repeated", "client_feeling": "uncomfortable"}),
    ("she teared up when i read her my letter. i didnt expect to feel so understood",
     {"crying_intensity": "tearful", "crying_focus": "client_story", "client_feeling": "cared_for"}),
    # a change told in one message: what holds now wins over what held at first
    ("my t tears up every time. at first i felt touched but now i feel like im hurting her",
     {"crying_intensity": "tearful", "crying_frequency": "repeated", "client_feeling": "responsible"}),
    ("at first she just teared up but now she sobs every session",
     {"crying_intensity": "sobbing", "crying_frequency": "repeated"}),
    ("she was full on ugly crying about her own problems again today",
     {"crying_intensity": "sobbing", "crying_focus": "therapist_own_life", "crying_frequency": "repeated"}),
    ("she has on numerous occasions started to cry during my sessions (not sobbing, but tears)",
     {"crying_intensity": "tearful", "crying_frequency": "repeated"}),
    ("her eyes got all glassy when i read her my letter", {"crying_intensity": "tearful", "crying_focus": "client_story"}),
    ("his voice cracked when i mentioned my abuse", {"crying_intensity": "tearful", "crying_focus": "client_story"}),
    ("my psycologist was wepeing in our sesion. i felt so akward",
     {"crying_intensity": "sobbing", "client_feeling": "uncomfortable"}),
    # negation
    ("she didnt sob, just teared up", {"crying_intensity": "tearful"}),
    ("this isnt the first time she cried", {"crying_frequency": "repeated"}),
    ("he had never cried before today", {"crying_frequency": "once"}),
    ("i dont feel guilty, just weird", {"client_feeling": "uncomfortable"}),
    # frequency
    ("thats like the 4th time she cried", {"crying_frequency": "repeated"}),
    ("she cried for four or five sessions", {"crying_frequency": "repeated"}),
    ("she teared up, just that one time", {"crying_intensity": "tearful", "crying_frequency": "once"}),
    # whose life
    ("he choked up at his fathers funeral story", {"crying_intensity": "tearful", "crying_focus": "therapist_own_life"}),
    ("she cried while i described the accident", {"crying_focus": "client_story"}),
    # the client's feeling, never the therapist's
    ("she cried and i ended up comforting her for 20 minutes", {"client_feeling": "responsible"}),
    ("she wept about her cat and i spent half an hour consoling her",
     {"crying_intensity": "sobbing", "crying_focus": "therapist_own_life", "client_feeling": "responsible"}),
    ("he teared up and honestly it was comforting", {"crying_intensity": "tearful", "client_feeling": "cared_for"}),
    ("she cried and honestly i felt so seen, she really got it", {"client_feeling": "cared_for"}),
    ("she was moved and cried", {}),
    ("she cried, i am torn about it", {"client_feeling": "confused"}),
    # decoys: someone else's tears, the appointments' rhythm, the client's own first time
    ("my therapist cried today. my mom cried on the phone later too", {}),
    ("i see my counsellor weekly and today she teared up", {"crying_intensity": "tearful"}),
    ("i told my t about the abuse for the first time ever and she cried", {"crying_focus": "client_story"}),
    ("maybe it was something i said, maybe her own stuff, she cried", {}),
])
def test_values_in_a_description(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("asked, text, expected", [
    ("crying_intensity", "not so strong. only little water in eye", "tearful"),
    ("crying_intensity", "Openly crying or sobbing", "sobbing"),
    ("crying_frequency", "two time. also last week", "repeated"),
    ("crying_frequency", "Just this once", "once"),
    ("crying_focus", "something i shared", "client_story"),
    ("crying_focus", "her stuff", "therapist_own_life"),
    ("client_feeling", "kinda both tbh", "confused"),
    ("client_feeling", "Responsible for them", "responsible"),
    ("client_feeling", "what do you mean by responsible?", None),
    ("crying_intensity", "hard to say", None),
    # how strongly the client feels is not how strongly the therapist cried
    ("crying_intensity", "i miss her so much, its been 6 years", None),
    ("crying_intensity", "i love him so much honestly", None),
    ("crying_intensity", "really hard, i love her", "sobbing"),
    ("crying_intensity", "she cried so much", "sobbing"),
    # the answer first, then more: read in the short first sentence only
    ("crying_focus", "About my story, definitely. She said something like 'that really moves me'.", "client_story"),
    ("crying_frequency", "What do you mean? she cried the first time we met", None),
])
def test_short_answers_to_the_question_asked(asked, text, expected):
    assert values(text, requested=asked).get(asked) == expected
    # the same words count for no other question
    assert not {slot for slot in values(text, requested=asked) if slot != asked} - set(values(text))


def test_answers_are_marked_so_only_the_asked_slot_takes_them():
    entities = extract("a little")
    assert entities and all(e.get("role") == ANSWER_ROLE for e in entities)
    assert values("a little") == {}


def test_the_committed_set_has_no_value_wrong_and_most_filled():
    wrong, filled, stated = [], 0, 0
    for item in committed()["messages"]:
        got, want = values(item["text"]), item.get("values") or {}
        stated += len(want)
        for slot, value in got.items():
            if want.get(slot) != value:
                wrong.append((slot, value, item["text"][:80]))
            else:
                filled += 1
    assert wrong == []
    assert filled / stated >= RECALL_FLOOR


def test_the_committed_answers_have_none_wrong():
    wrong = [(a["asked"], a["text"]) for a in committed()["answers"]
             if values(a["text"], requested=a["asked"]).get(a["asked"]) not in (None, a.get("value"))]
    assert wrong == []


def test_every_value_is_canonical_whatever_the_text():
    texts = [m["text"] for m in committed()["messages"]] + [
        "sobbing uncontrollably", "my", "x" * 6000, "\x00\x01", "😢😢😢", "ella lloró mucho", ""]
    for text in texts:
        for entity in extract(text):
            assert entity["value"] in SLOT_VALUES[entity["entity"]], entity


def test_a_long_paste_is_read_quickly_enough_and_only_its_start():
    import time

    start = time.perf_counter()
    extract("she teared up when i told her about my dad. " * 5000)
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize("text", ["how do i fix a tear in my jeans", "my friend group kind of fell apart this year",
                                  "how to fix a tear in the knee of my jeans", "our plans fell apart at the last minute"])
def test_crying_words_about_things_fill_nothing(text):
    """A tear in the jeans and a group that fell apart are not how someone cried."""
    assert [e for e in extract(text) if not e.get("role")] == []
