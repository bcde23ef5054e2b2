"""The deterministic crisis screen: what must trigger, what must not, and the urgency tiers."""
import pytest
import yaml

from safety.crisis import normalise, screen
from tests.conftest import ROOT

CORPUS = yaml.safe_load((ROOT / "tests" / "safety" / "crisis_corpus.yml").read_text(encoding="utf-8"))
MUST_TRIGGER = CORPUS["crisis"]
MUST_NOT_TRIGGER = CORPUS["safe"] + ["", "   ", "\x00\x01"]


@pytest.mark.parametrize("text", MUST_TRIGGER)
def test_crisis_phrasings_trigger(text):
    assert screen(text).is_crisis, text


@pytest.mark.parametrize("text", MUST_NOT_TRIGGER)
def test_sad_but_safe_sentences_do_not_trigger(text):
    assert not screen(text).is_crisis, (text, screen(text))


@pytest.mark.parametrize(
    "text, tier",
    [
        ("i'm going to kill myself tonight", "imminent"),
        ("i took too many pills", "imminent"),
        ("i have a plan to end my life", "imminent"),
        ("i think about suicide a lot", "suicidal"),
        ("i have been cutting myself", "suicidal"),
        ("my partner hits me", "danger"),
        ("i can't go on like this", "distress"),
        ("my therapist cried when I told her about my brother's suicide years ago", "mention"),
        ("i'm not suicidal, just confused", "mention"),
    ],
)
def test_tiers(text, tier):
    assert screen(text).tier == tier


def test_normalise_folds_apostrophes_case_and_control_characters():
    assert normalise("I Don’t\u200b\x00want") == "i don t want"


def test_the_screen_and_the_classifier_see_the_same_cleaned_text():
    from components.input_sanitizer import sanitise

    hidden = "i want to kill my\u200bself\x00 tonight"
    assert screen(hidden).is_crisis
    assert normalise(hidden) == normalise(sanitise(hidden))
