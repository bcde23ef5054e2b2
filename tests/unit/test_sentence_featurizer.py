"""The sentence-vector featurizer: one dense sentence feature per text, meaning-based."""
import numpy as np
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components.sentence_featurizer import SentenceEncoderFeaturizer


def _vector(featurizer, text):
    message = Message(data={TEXT: text})
    featurizer.process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None  # word-level features stay the count vectors'
    return sentence.features[0]


def test_each_text_gets_one_sentence_vector_and_paraphrases_sit_closer_than_other_topics():
    featurizer = SentenceEncoderFeaturizer({"alias": None}, "sentence")
    human = _vector(featurizer, "is there a human on the other end")
    person = _vector(featurizer, "am i talking to a real person")
    research = _vector(featurizer, "what does research say about therapists crying")
    assert human.shape == (384,) and abs(np.linalg.norm(human) - 1) < 1e-3
    assert human @ person > human @ research + 0.1


def test_messages_without_text_are_left_alone():
    featurizer = SentenceEncoderFeaturizer({"alias": None}, "sentence")
    message = Message(data={"intent": "greet"})
    featurizer.process([message])
    assert message.get_dense_features(TEXT) == (None, None)
