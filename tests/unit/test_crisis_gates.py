"""Gates on the held-out crisis corpus (tests/safety/corpus/heldout.yml), which the semantic layer
never learns from: every crisis phrasing gets the contacts, and the full reply fires on at most 2 %
of the sad-but-safe sentences. `make evaluate` prints the same figures with what was missed."""
from scripts.crisis_report import report


def test_held_out_crisis_recall_is_one_and_full_replies_on_sad_sentences_stay_rare():
    figures = report("heldout")
    assert figures["recall"] == 1.0, [e["text"] for e in figures["missed"]]
    assert figures["full_false_alarm_rate"] <= 0.02, [e["text"] for e, _ in figures["full_alarms"]]
    assert figures["crisis"] >= 200 and figures["safe"] >= 150


def test_other_languages_recall_is_one_with_no_alarm_on_everyday_text():
    figures = report("multilingual")
    assert figures["recall"] == 1.0 and figures["full_false_alarm_rate"] == 0.0
