"""Closing a chat is not a farewell (#16): "thats all for tonight, goodnight" once got the gentle
crisis note, because the semantic layer's linear read puts "tonight" and "goodnight" near crisis
goodbyes. A message made only of closing words gets no crisis reply; a goodbye with a word of
finality still gets the contacts."""
import pytest

from safety import crisis, patterns
from safety.crisis import screen

CLOSINGS = [
    "thats all for tonight, goodnight",
    "That's all for tonight. Goodnight!",
    "i'll leave it there for tonight, take care",
    "i'm going to sleep now. goodnight",
    "ok thats it for today, bye",
    "im off to bed now, thanks x",
    "thanks so much, speak tomorrow",
    "right, logging off now. night night",
]
FAREWELLS = [
    "goodnight forever",
    "ok goodnight forever",
    "gn everyone, for the last time",
    "bye for the last time",
    "im going to sleep now and not wake up. goodnight",
    "thats all. i cant do this anymore. goodnight",
    "im done. goodnight",
    "this is my last message. goodnight",
]


@pytest.mark.parametrize("text", CLOSINGS)
def test_closing_a_chat_gets_no_crisis_reply(text):
    assert not screen(text).is_crisis, screen(text)


@pytest.mark.parametrize("text", FAREWELLS)
def test_a_goodbye_with_finality_gets_the_contacts(text):
    assert screen(text).is_crisis, text


def test_the_closing_rule_is_what_keeps_some_closings_quiet(monkeypatch):
    """Without the rule, the semantic layer raises the gentle note on some of these closings."""
    screen.cache_clear()
    monkeypatch.setattr(crisis, "chat_closing", lambda text: False)
    try:
        alarmed = [t for t in CLOSINGS if screen(t).is_crisis]
    finally:
        screen.cache_clear()
    assert alarmed


def test_only_closing_words_count_as_a_closing():
    assert patterns.chat_closing("ok thanks, goodnight")
    assert not patterns.chat_closing("ok thanks, goodnight forever")
    assert not patterns.chat_closing("goodnight, i m done with all of it")


@pytest.mark.parametrize("text", CLOSINGS)
def test_the_classifiers_crisis_guess_alone_does_not_alarm_a_closing(text):
    """The classifier guessed `crisis` at 0.93 for "thats all for tonight, goodnight" in one training
    run; with no sign in the text itself, a closing is a goodbye."""
    assert not screen(text, classifier_says_crisis=True).is_crisis


def test_the_classifiers_crisis_guess_still_raises_the_note_on_anything_else():
    assert screen("thats all for tonight, i just feel off", classifier_says_crisis=True).is_crisis


def test_a_long_run_of_closing_words_that_ends_in_another_word_is_read_at_once():
    """The first version was one regex repeating the alternation of phrases; the phrases overlap
    ("night night", "night"), so on this message it backtracked exponentially (0.2 s at 25 words,
    hours at 40): a stalled crisis screen. Read phrase by phrase, it returns at once."""
    assert not patterns.chat_closing("night " * 40 + "forever")
    assert not patterns.chat_closing("bye " * 60 + "for the last time")
    assert patterns.chat_closing("bye " * 60)
    assert not patterns.chat_closing("bye " * 80)  # longer than a closing line: screened in full
