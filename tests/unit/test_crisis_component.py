"""The NLU safety net overrides whatever the classifier decided for a crisis message."""
from rasa.shared.nlu.training_data.message import Message

from components.crisis_safety_net import CrisisSafetyNet


def parsed(text, intent, ranking):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.9}, add_to_output=True)
    message.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking], add_to_output=True)
    return message


def run(message):
    return CrisisSafetyNet().process([message])[0]


def test_pattern_match_forces_crisis_over_a_confident_other_intent():
    message = run(parsed("she cried and i just want to die", "describe_therapist_crying",
                         [("describe_therapist_crying", 0.9), ("crisis", 0.05)]))
    assert message.get("intent") == {"name": "crisis", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "crisis"
    assert [r["name"] for r in message.get("intent_ranking")].count("crisis") == 1


def test_despair_behind_an_unsure_classifier_gets_the_gentle_check_in():
    message = run(parsed("everything feels pointless", "nlu_fallback",
                         [("nlu_fallback", 0.6), ("crisis", 0.45), ("feel_confused", 0.3)]))
    assert message.get("intent")["name"] == "crisis"
    assert message.get("crisis_screening")["tier"] == "distress"


def test_an_unsure_crisis_guess_with_no_sign_of_crisis_is_not_one():
    message = run(parsed("blue socks on tuesday", "nlu_fallback",
                         [("nlu_fallback", 0.6), ("crisis", 0.45), ("feel_confused", 0.3)]))
    assert message.get("intent")["name"] == "nlu_fallback"


def test_ordinary_messages_are_untouched():
    message = run(parsed("my therapist cried", "describe_therapist_crying", [("describe_therapist_crying", 0.9)]))
    assert message.get("intent")["name"] == "describe_therapist_crying"
    fallback = run(parsed("asdf", "nlu_fallback", [("nlu_fallback", 0.6), ("greet", 0.3)]))
    assert fallback.get("intent")["name"] == "nlu_fallback"


def test_crisis_at_the_end_of_a_huge_message_is_still_caught():
    from components.input_sanitizer import InputSanitizer, MAX_CHARS

    text = "my therapist cried. " * 5000 + "and i want to kill myself"
    message = InputSanitizer().process([Message(data={"text": text})])[0]
    assert len(message.get("text")) == MAX_CHARS
    message.set("intent", {"name": "describe_therapist_crying", "confidence": 0.99}, add_to_output=True)
    assert run(message).get("intent")["name"] == "crisis"


def test_sanitizer_removes_control_characters_and_zero_width_spaces():
    from components.input_sanitizer import sanitise

    assert sanitise("my\x00 thera\u200bpist\n\n cried\x07") == "my therapist cried"


def test_a_question_about_therapy_is_answered_when_only_the_uncertain_band_stirs():
    from safety.crisis import screen

    text = "will my counselor tell my parents i cut class"
    assert screen(text).layer == "semantic" and screen(text).tier == "distress"  # else this test proves nothing
    message = run(parsed(text, "ask_confidentiality", [("ask_confidentiality", 1.0)]))
    assert message.get("intent")["name"] == "ask_confidentiality"
    # "does it hurt therapy" is no method question
    assert screen("can u give me more research tho, like does it hurt therapy or help it").tier is None
    # a pattern, or the full band, still wins over any question
    danger = run(parsed("is it normal that i want to kill myself after she cried", "ask_is_it_normal",
                        [("ask_is_it_normal", 0.9)]))
    assert danger.get("intent")["name"] == "crisis"


def test_the_crisis_entities_span_what_no_other_entity_holds_and_a_short_answer_reading_is_dropped():
    from understanding.situation import extract

    text = "sometimes i think everyone would be better off without me"
    message = parsed(text, "crisis", [("crisis", 0.9)])
    message.set("entities", extract(text), add_to_output=True)
    assert {e.get("role") for e in message.get("entities")} == {"answer"}  # "sometimes", "better"
    entities = run(message).get("entities")
    assert {(e["entity"], e["value"]) for e in entities} >= {("crisis_tier", "suicidal"), ("crisis_disclosed", True)}
    assert all(e["start"] == 0 and e["end"] == len(text) for e in entities)

    told = "ive been thinking a lot about just not waking up tbh. anyway it was the first time she cried"
    message = parsed(told, "crisis", [("crisis", 0.9)])
    message.set("entities", extract(told), add_to_output=True)
    entities = run(message).get("entities")
    kept = {(e["entity"], e["value"]) for e in entities if e["entity"].startswith("crying")}
    assert ("crying_frequency", "once") in kept  # stated outright: the form goes on with it
    [(start, end)] = {(e["start"], e["end"]) for e in entities if e["entity"].startswith("crisis")}
    assert told[start:end] == "ive been thinking a lot about just not waking up tbh. anyway it was"
    others = [(e["start"], e["end"]) for e in entities if not e["entity"].startswith(("crisis", "locale"))]
    assert all(e <= start or s >= end for s, e in others)  # no overlap: a test story can mark up both


def test_a_question_the_reader_knows_is_answered_when_only_the_classifier_guessed_a_crisis():
    """"i'm thinking about quitting my therapist over this": one training run's classifier took it
    for a crisis at high confidence; the screen sees no sign, so the stay-or-leave question is
    answered. A message the reader does not know keeps the classifier's gentle check-in."""
    from safety.crisis import screen

    text = "i'm thinking about quitting my therapist over this"
    assert screen(text, classifier_says_crisis=True).layer == "classifier"  # else this proves nothing
    message = run(parsed(text, "crisis", [("crisis", 0.95), ("ask_should_i_leave", 0.04)]))
    assert message.get("intent")["name"] == "ask_should_i_leave"
    other = run(parsed("everything is grey lately", "crisis", [("crisis", 0.95)]))
    assert other.get("intent")["name"] == "crisis"


def test_a_loss_guess_with_no_suicide_in_it_goes_where_the_message_belongs():
    """The classifier's `share_loss` is for someone's suicide or an attempt told in the story; a
    death with no such sign is the story of the tears when a therapist cried, sadness when none is
    named, and a fallback otherwise (not the loss note with contacts)."""
    story = run(parsed("my therapist cried when i talked about my sister who died", "share_loss",
                       [("share_loss", 0.69), ("describe_therapist_crying", 0.23)]))
    assert story.get("intent")["name"] == "describe_therapist_crying"
    assert "crisis_tier" not in {e["entity"] for e in story.get("entities") or []}
    grief = run(parsed("my mum died last week and i cant stop thinking about her", "share_loss",
                       [("share_loss", 0.69), ("share_sadness", 0.23)]))
    assert grief.get("intent")["name"] == "share_sadness"
    other = run(parsed("my therapist asked about my dad who died", "share_loss", [("share_loss", 0.69)]))
    assert other.get("intent")["name"] == "nlu_fallback"
    # a suicide told in the story is still the loss note
    mention = run(parsed("my therapist cried when i told her about my brother's suicide ten years ago",
                         "describe_therapist_crying", [("describe_therapist_crying", 0.9)]))
    assert mention.get("intent")["name"] == "share_loss"


def test_an_unsure_crisis_guess_on_a_question_the_reader_knows_is_that_question():
    from safety.crisis import screen

    text = "my counsellor wants to hang out as friends"
    assert screen(text).tier is None  # else this proves nothing
    message = run(parsed(text, "crisis", [("crisis", 0.52), ("report_boundary_concern", 0.17)]))
    assert message.get("intent")["name"] == "report_boundary_concern"
    other = run(parsed("blue socks on tuesday", "crisis", [("crisis", 0.52)]))
    assert other.get("intent")["name"] == "nlu_fallback"


def test_a_confident_crisis_guess_on_a_closing_is_a_goodbye():
    """One training run read "thats all for tonight, goodnight" as crisis at 0.93: no word of it says
    so, and the person is leaving, so it is answered as the goodbye it is."""
    message = run(parsed("thats all for tonight, goodnight", "crisis", [("crisis", 0.93), ("goodbye", 0.05)]))
    assert message.get("intent")["name"] == "goodbye"
    assert not message.get("crisis_screening")


def test_an_uncertain_sign_in_a_story_of_the_tears_gets_the_gentle_note_and_the_story_goes_on():
    """Only the gentle band stirred (no pattern): the story of the therapist's tears is not dropped
    for a crisis reply; `share_loss` shows the gentle note and then the form takes what was said.
    A full tier in the same story stays a crisis, and sadness with no therapist stays the check-in."""
    behind_a_crisis_guess = run(parsed("my therapist teared up and honestly i just feel so empty and numb",
                                       "crisis", [("crisis", 0.92), ("describe_therapist_crying", 0.06)]))
    assert behind_a_crisis_guess.get("crisis_screening")["tier"] == "distress"
    assert behind_a_crisis_guess.get("intent")["name"] == "share_loss"
    full = run(parsed("my therapist cried and i want to kill myself", "describe_therapist_crying",
                      [("describe_therapist_crying", 0.9)]))
    assert full.get("intent")["name"] == "crisis"
    sad = run(parsed("i feel so empty and numb lately", "crisis", [("crisis", 0.92), ("share_sadness", 0.06)]))
    assert sad.get("intent")["name"] == "crisis"
    assert sad.get("crisis_screening")["tier"] == "distress"


def test_a_feeling_read_surely_goes_on_after_an_uncertain_sign_and_a_crisis_guess_does_not(monkeypatch):
    """Only the gentle band stirred on a message the classifier surely read as how the session felt:
    the gentle note, and the form goes on. Behind a crisis guess, sadness with no therapist in it
    gets the check-in, never the form. (The screen's decision is fixed here: which sentences the
    semantic layer's gentle band takes changes with the corpus.)"""
    import components.crisis_safety_net as net
    from safety.crisis import Screening

    monkeypatch.setattr(net, "screen", lambda text, classifier_says_crisis=False:
                        Screening("distress", "semantic", "a nearest example", "en"))
    feeling = run(parsed("so odd, i had no idea where to look", "feel_uncomfortable",
                         [("feel_uncomfortable", 0.9), ("crisis", 0.05)]))
    assert feeling.get("intent")["name"] == "share_loss"
    assert feeling.get("crisis_screening")["tier"] == "distress"
    unsure = parsed("so odd, i had no idea where to look", "feel_uncomfortable",
                    [("feel_uncomfortable", 0.5), ("crisis", 0.3)])
    unsure.set("intent", {"name": "feel_uncomfortable", "confidence": 0.5}, add_to_output=True)
    unsure = run(unsure)
    assert unsure.get("intent")["name"] == "crisis"
    no_therapist = run(parsed("i feel so empty and numb lately, nothing helps", "crisis",
                              [("crisis", 0.92), ("feel_uncomfortable", 0.06)]))
    assert no_therapist.get("intent")["name"] == "crisis"
    monkeypatch.setattr(net, "screen", lambda text, classifier_says_crisis=False:
                        Screening("suicidal", "semantic", "a nearest example", "en"))
    full = run(parsed("so odd, i had no idea where to look", "feel_uncomfortable", [("feel_uncomfortable", 0.9)]))
    assert full.get("intent")["name"] == "crisis"
