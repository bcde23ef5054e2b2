"""A loss the client tells of is met first: understanding/loss.py finds whom they lost, the situation
extractor emits it as `client_loss`, and the domain's thanks and sadness replies say they are sorry
for that person (and stay as they were when no loss was told)."""
import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from tests.conftest import ROOT
from understanding.loss import client_loss, find_loss


@pytest.mark.parametrize("text, who", [
    ("my therapist cried when i told her about my sister who died", "sister"),
    ("she teared up when i talked about my dad's funeral", "dad"),
    ("since we lost my grandad last year i cant stop crying in therapy", "grandad"),
    ("my dog died and my counsellor cried with me", "dog"),
    ("my little brother's suicide came up and she cried", "brother"),
    ("i had a miscarriage in march and my therapist cried when i told her", "baby"),
    ("my Mum passed away 6 years ago and my T welled up", "mum"),
    ("talking about my parents death made her cry", "parents"),
    ("my best friend who died in the crash", "friend"),
    ("my granny who sadly passed last week", "granny"),
])
def test_the_clients_own_loss_is_found_with_whom(text, who):
    assert client_loss(text) == who


@pytest.mark.parametrize("text", [
    "my therapist cried when she told me about her mum dying",  # the therapist's loss, not the client's
    "my therapist had a miscarriage",
    "i lost my phone and my therapist laughed",
    "my phone died in the middle of the session",
    "my dad nearly died last year",
    "my dad passed his driving test",
    "i miss my dad, he lives in spain",
    "my sister who lives in spain visited",
    "i lost my cat for a day, she came back",
    "my mum is gone for the weekend",
])
def test_other_losses_and_everyday_words_are_not_the_clients_loss(text):
    assert client_loss(text) is None


def test_the_span_is_the_persons_word_in_the_raw_text():
    text = "My therapist cried about My Mum's funeral"
    who, start, end = find_loss(text)
    assert (who, text[start:end]) == ("mum", "Mum")


def test_the_extractor_emits_the_loss_as_an_entity():
    from components.situation_extractor import SituationExtractor

    text = "my therapist cried when i talked about my sister who died"
    message = Message.build(text=text)
    SituationExtractor().process([message])
    found = [e for e in message.get("entities") if e["entity"] == "client_loss"]
    assert [(e["value"], e["start"], e["end"]) for e in found] == [("sister", text.index("sister"), text.index(" who"))]


def test_the_loss_never_shares_a_span_with_a_situation_entity():
    """"[told her about my brother's] suicide" is how the tears began (crying_focus): the loss sits on
    the word of the loss instead, since a message has one entity per span."""
    from components.situation_extractor import SituationExtractor

    text = "my therapist cried when i told her about my brother's suicide ten years ago"
    message = Message.build(text=text)
    SituationExtractor().process([message])
    spans = {e["entity"]: (e["value"], text[e["start"]:e["end"]]) for e in message.get("entities")}
    assert spans["client_loss"] == ("brother", "suicide")
    assert spans["crying_focus"] == ("client_story", "told her about my brother's")


def _rendered(response: str, slots: dict) -> str:
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    domain = Domain.load(str(ROOT / "domain.yml"))
    tracker = DialogueStateTracker.from_events("t", [SlotSet(k, v) for k, v in slots.items()], domain.slots)
    return asyncio.run(TemplatedNaturalLanguageGenerator(domain.responses).generate(response, tracker, "rest"))["text"]


@pytest.mark.parametrize("response", ["utter_thanks_for_sharing", "utter_acknowledge_sadness"])
def test_the_reply_says_sorry_for_the_person_before_anything_else(response):
    text = _rendered(response, {"client_loss": "sister"})
    assert text.startswith("I'm so sorry about your sister.")


@pytest.mark.parametrize("response", ["utter_thanks_for_sharing", "utter_acknowledge_sadness"])
def test_with_no_loss_told_the_reply_is_the_usual_one(response):
    text = _rendered(response, {})
    assert "sorry about your" not in text and "{client_loss}" not in text
