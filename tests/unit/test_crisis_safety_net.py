"""The deterministic crisis screen: what must trigger, what must not, and the urgency tiers."""
import pytest

from safety.crisis import normalise, screen

MUST_TRIGGER = [
    "i want to kill myself",
    "I want to KILL MYSELF",
    "i wanna kil myself",
    "sometimes i think about suicide",
    "im feeling suicidal",
    "i feel sucidal after that session",
    "i don't want to be alive anymore",
    "i dont want to live",
    "I don’t want to wake up tomorrow",
    "everyone would be better off without me",
    "i've been self-harming again",
    "i self harm when things get bad",
    "i keep cutting myself",
    "i want to hurt myself",
    "i took too many pills",
    "i have taken 20 tablets",
    "i'm going to end it all tonight",
    "i have a plan to end my life",
    "the pills are in front of me",
    "there's no point in living",
    "i wish i was dead",
    "i want to die",
    "my therapist cried and honestly i just want to die",
    "she cried again today. i don't know. i want to end my life",
    "i'm not safe at home",
    "i don't feel safe with him",
    "my husband hits me",
    "he threatened to kill me",
    "i'm scared to go home",
    "i want to hurt someone",
    "i'm thinking of overdosing",
    "kms",
    "i want to unalive myself",
    "i can't go on like this",
    "my brother took his own life and my therapist cried when i told her",
    "my therapist cried when I told her about my brother's suicide years ago",
    "I am not suicidal but I wanted you to know",
]

MUST_NOT_TRIGGER = [
    "my therapist cried in our session today",
    "i cried all the way home after the session",
    "i feel so low since my therapist broke down",
    "this situation is killing me",
    "i could have died of embarrassment",
    "i'm dying to know why she cried",
    "i'm dead tired after therapy",
    "she cried about her father's death",
    "my dog died last year and she teared up",
    "it hit me hard when she cried",
    "i don't want to hurt my therapist's feelings",
    "i feel guilty and responsible for her",
    "i want to end therapy with her",
    "should i end it with my therapist",
    "i'm heartbroken and confused",
    "she sobbed and i felt awful",
    "i feel like a burden",
    "the session was a disaster",
    "my grief is overwhelming some days",
    "i would kill for a normal session",
    "the film we talked about was violent",
    "i'm scared of her crying again",
    "i'm afraid of how she will react",
    "she cut me off mid sentence",
    "",
    "   ",
]


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
