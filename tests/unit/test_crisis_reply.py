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

    assert OUT.read_text(encoding="utf-8") == render(), "run scripts/build_crisis_responses.py"


def _rendered(slots):
    """The text the Rasa server's own response selection picks for these slot values."""
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.events import SlotSet
    import asyncio

    domain = Domain.load(str(ROOT / "domain"))
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
    assert entities(message) == {"crisis_tier": "imminent", "crisis_language": "en", "locale": "uk"}
    assert message.get("crisis_screening")["layer"] == "pattern"


def test_an_unknown_locale_falls_back_to_the_international_contacts():
    assert entities(parsed("i want to die", metadata={"locale": "mars"}))["locale"] == "international"


def test_the_classifier_alone_only_raises_the_gentle_check_in():
    message = parsed("purple elephants", intent="crisis", ranking=[{"name": "crisis", "confidence": 0.7}])
    assert message.get("intent")["name"] == "crisis"
    assert entities(message)["crisis_tier"] == "distress"
    assert message.get("crisis_screening")["layer"] == "classifier"


def test_a_denial_the_classifier_took_for_a_crisis_is_not_one():
    message = parsed("im not suicidal lmao chill", intent="crisis", ranking=[{"name": "crisis", "confidence": 0.8}])
    assert message.get("intent")["name"] == "nlu_fallback"
    assert "crisis_tier" not in entities(message)


def test_button_payloads_are_left_to_rasa():
    message = parsed('/crisis{"crisis_tier": "requested"}', intent="crisis")
    assert entities(message) == {}


def test_the_crisis_reply_is_answered_by_rules_with_domain_responses_only():
    """No step of a crisis rule may need the action server: only responses and Rasa's own actions."""
    from rasa.shared.core.constants import DEFAULT_ACTION_NAMES

    rules = yaml.safe_load((ROOT / "data" / "rules" / "crisis.yml").read_text())["rules"]
    crisis_rules = [r for r in rules if any("crisis" in s.get("action", "") for s in r["steps"])]
    assert len(crisis_rules) >= 2
    for rule in crisis_rules:
        actions = [step["action"] for step in rule["steps"] if "action" in step]
        assert all(a.startswith("utter_") or a in DEFAULT_ACTION_NAMES for a in actions), rule["rule"]
