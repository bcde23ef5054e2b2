"""The crisis reply: tiered words and local contacts, composed once (safety/reply.py), rendered by
the Rasa server from the generated domain responses, and chosen by the slots the NLU component fills."""
import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.message import Message

from components.crisis_safety_net import CrisisSafetyNet
from safety.reply import compose, crisis_reply
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "text, locale, first_words, contacts",
    [
        ("i'm going to kill myself tonight", "us", "I'm really glad you told me", ["911", "988", "741741"]),
        ("i think about suicide", None, "Thank you for telling me", ["988", "116 123", "local emergency number"]),
        ("i think about suicide", "uk", "Thank you for telling me", ["116 123", "85258", "999"]),
        ("my partner hits me", "au", "Thank you for telling me. Your safety", ["000", "13 11 14"]),
        ("my brother's suicide years ago", "ie", "I want to make sure you're okay", ["116 123", "112"]),
        ("i keep cutting myself", "ca", "Thank you for telling me. You deserve support", ["9-8-8", "911"]),
        ("my therapist touched me in a sexual way", "us", "Thank you for trusting me", ["state licensing board", "988"]),
        ("my counsellor asked me out", "uk", "Thank you for trusting me", ["HCPC", "BACP", "116 123"]),
        ("/crisis", None, "Here are people you can reach", ["988", "116 123"]),
        ("quiero morirme", None, "Lo siento, solo entiendo inglés", ["988", "116 123"]),
    ],
)
def test_crisis_reply_by_tier_locale_and_language(text, locale, first_words, contacts):
    message = crisis_reply(text, locale)
    assert message.startswith(first_words)
    for contact in contacts:
        assert contact in message
    assert "automated assistant" in message and "can't call anyone" in message


def test_the_generated_domain_responses_are_up_to_date():
    from scripts.build_crisis_responses import OUT, render

    current = OUT.read_text(encoding="utf-8")
    assert current == render(current), "run scripts/build_crisis_responses.py"


def _rendered(slots):
    """The text the Rasa server's own response selection picks for these slot values."""
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.events import SlotSet
    import asyncio

    domain = Domain.load(str(ROOT / "domain.yml"))
    tracker = DialogueStateTracker.from_events("t", [SlotSet(k, v) for k, v in slots.items()], domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    return asyncio.run(nlg.generate("utter_crisis_support", tracker, "rest"))["text"]


@pytest.mark.parametrize("tier", ["imminent", "suicidal", "selfharm", "danger", "misconduct", "distress", "mention"])
@pytest.mark.parametrize("locale", ["international", "us", "uk", "au"])
def test_the_rasa_server_renders_the_tier_and_locale_the_slots_name(tier, locale):
    assert _rendered({"crisis_tier": tier, "crisis_language": "en", "locale": locale}) == compose(tier, locale)


def test_a_button_press_without_slots_shows_the_contacts():
    assert _rendered({}) == compose("requested", "international")


def test_another_language_gets_its_line_first():
    text = _rendered({"crisis_tier": "suicidal", "crisis_language": "fr", "locale": "international"})
    assert text.startswith("Désolé, je ne comprends que l'anglais") and "988" in text


def parsed(text, intent="describe_therapist_crying", metadata=None, ranking=None):
    message = Message(data={"text": text, "metadata": metadata or {}})
    message.set("intent", {"name": intent, "confidence": 0.9}, add_to_output=True)
    message.set("intent_ranking", ranking or [{"name": intent, "confidence": 0.9}], add_to_output=True)
    return CrisisSafetyNet().process([message])[0]


def entities(message):
    return {e["entity"]: e["value"] for e in message.get("entities") or []}


def test_the_component_names_tier_language_and_locale_for_the_slots():
    message = parsed("is 3 stories high enough", metadata={"locale": "UK"})
    assert message.get("intent")["name"] == "crisis"
    assert entities(message) == {"crisis_tier": "imminent", "crisis_language": "en", "locale": "uk",
                                 "crisis_disclosed": True}
    assert message.get("crisis_screening")["layer"] == "pattern"


def test_an_unknown_locale_falls_back_to_the_international_contacts():
    assert entities(parsed("i want to die", metadata={"locale": "mars"}))["locale"] == "international"


def test_the_classifier_alone_only_raises_the_gentle_check_in_and_only_when_sure():
    message = parsed("purple elephants", intent="crisis", ranking=[{"name": "crisis", "confidence": 0.9}])
    assert message.get("intent")["name"] == "crisis"
    assert entities(message)["crisis_tier"] == "distress"
    assert message.get("crisis_screening")["layer"] == "classifier"
    unsure = parsed("say something stupid", intent="crisis", ranking=[{"name": "crisis", "confidence": 0.6}])
    assert unsure.get("intent")["name"] == "nlu_fallback" and entities(unsure) == {}


@pytest.mark.parametrize("text", ["im not suicidal lmao chill", "im not suicidal u idiot",
                                  "i'm not in danger, i just wanted to talk about what happened"])
def test_a_denial_is_not_a_crisis(text):
    message = parsed(text, intent="crisis", ranking=[{"name": "crisis", "confidence": 0.95}])
    assert message.get("intent")["name"] == "reassure_safe"
    assert "crisis_tier" not in entities(message)


def test_a_loss_in_the_story_keeps_the_story_and_its_values():
    message = Message(data={"text": "my therapist was sobbing when i told her about my brother's suicide ten years ago"})
    message.set("intent", {"name": "describe_therapist_crying", "confidence": 0.9}, add_to_output=True)
    message.set("entities", [{"entity": "crying_intensity", "value": "sobbing", "start": 16, "end": 23}], add_to_output=True)
    message = CrisisSafetyNet().process([message])[0]
    assert message.get("intent")["name"] == "share_loss"
    assert entities(message)["crisis_tier"] == "mention" and entities(message)["crying_intensity"] == "sobbing"
    assert "crisis_disclosed" not in entities(message)


def test_someone_elses_suicide_without_a_therapist_still_gets_the_gentle_reply():
    message = parsed("my friend killed himself last year", intent="share_sadness")
    assert message.get("intent")["name"] == "crisis" and entities(message)["crisis_tier"] == "mention"


def test_asking_whether_to_tell_the_therapist_is_answered_as_a_disclosure():
    message = parsed("should i tell her about the not waking up thoughts too?", intent="ask_how_to_raise_it")
    assert message.get("intent")["name"] == "ask_tell_therapist_about_thoughts"
    assert entities(message)["crisis_tier"] == "requested" and entities(message)["crisis_disclosed"] is True


def test_a_full_tier_marks_the_disclosure_for_the_rest_of_the_conversation():
    assert entities(parsed("i want to kill myself"))["crisis_disclosed"] is True


@pytest.mark.parametrize("text, language", [("hola, mi terapeuta lloró en la sesión y no sé qué hacer", "es"),
                                            ("ma thérapeute a pleuré pendant la séance, je ne sais pas quoi faire", "fr")])
def test_a_message_in_another_language_gets_the_english_only_note(text, language):
    message = parsed(text, intent="out_of_scope")
    assert message.get("intent")["name"] == "other_language"
    assert entities(message) == {"crisis_language": language}


def test_button_payloads_are_left_to_rasa():
    message = parsed('/crisis{"crisis_tier": "requested"}', intent="crisis")
    assert entities(message) == {}


def test_the_crisis_reply_is_answered_by_rules_with_domain_responses_only():
    """No step of a crisis rule may need the action server: only responses and Rasa's own actions."""
    from rasa.shared.core.constants import DEFAULT_ACTION_NAMES

    rules = yaml.safe_load((ROOT / "data" / "rules" / "crisis.yml").read_text())["rules"]
    crisis_rules = [r for r in rules if r["steps"][0].get("intent") == "crisis"]
    assert len(crisis_rules) >= 2
    for rule in crisis_rules:
        actions = [step["action"] for step in rule["steps"] if "action" in step]
        assert all(a.startswith("utter_") or a in DEFAULT_ACTION_NAMES for a in actions), rule["rule"]
