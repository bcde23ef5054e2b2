"""rasa_speedups changes no result: on the trained model, every policy prediction along every test
story and every NLU parse of the held-out test split equal what Rasa's own code paths give
(`rasa_speedups.disabled`, with dask's graph runner).

Runs in-process on the model `make test` trained (no servers); marked integration because it needs it.
"""
import asyncio
import os

import numpy as np
import pytest
from rasa.core.agent import load_agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph
from rasa.shared.nlu.training_data.loading import load_data

import rasa_patches
import rasa_speedups
from scripts.local_servers import ROOT, latest_model

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def processor():
    rasa_patches.apply()
    agent = asyncio.run(load_agent(model_path=os.environ.get("MODEL") or str(latest_model())))
    assert type(agent.processor.graph_runner).__name__ == "SequentialGraphRunner"
    return agent.processor


def test_every_prediction_along_the_test_stories_is_unchanged(processor):
    steps = YAMLStoryReader(processor.domain).read_from_file(str(ROOT / "tests" / "test_stories.yml"))
    stories = TrainingDataGenerator(StoryGraph(steps), processor.domain, remove_duplicates=False,
                                    augmentation_factor=0, use_story_concatenation=False).generate_story_trackers()
    compared = 0
    for story in stories:
        # one tracker per story, grown event by event: the speedups' cached states are keyed by length
        tracker = DialogueStateTracker(story.sender_id, processor.domain.slots)
        for event in story.events:
            if isinstance(event, ActionExecuted) and tracker.latest_message and tracker.latest_message.intent:
                fast = processor._predict_next_with_tracker(tracker)
                with rasa_speedups.disabled(processor.graph_runner):
                    stock = processor._predict_next_with_tracker(tracker)
                where = (story.sender_id, len(tracker.events), event.action_name)
                assert (fast.policy_name, fast.max_confidence_index) == (stock.policy_name, stock.max_confidence_index), where
                np.testing.assert_allclose(fast.probabilities, stock.probabilities, rtol=0, atol=1e-6, err_msg=str(where))
                compared += 1
            tracker.update(event)
    assert len(stories) >= 30 and compared >= 100


def test_every_parse_of_the_held_out_nlu_split_is_unchanged(processor):
    examples = load_data(str(ROOT / "tests" / "nlu" / "test_split.yml")).intent_examples
    for example in examples:
        text = example.get("text")
        fast = processor._parse_message_with_graph(_message(text), _empty_tracker(processor))
        with rasa_speedups.disabled(processor.graph_runner):
            stock = processor._parse_message_with_graph(_message(text), _empty_tracker(processor))
        assert fast["intent"]["name"] == stock["intent"]["name"], text
        assert [i["name"] for i in fast["intent_ranking"]] == [i["name"] for i in stock["intent_ranking"]], text
        np.testing.assert_allclose([i["confidence"] for i in fast["intent_ranking"]],
                                   [i["confidence"] for i in stock["intent_ranking"]], rtol=0, atol=1e-6, err_msg=text)
        assert [(e["entity"], e["value"]) for e in fast["entities"]] == [(e["entity"], e["value"]) for e in stock["entities"]]
    assert len(examples) >= 50


def _empty_tracker(processor):
    return DialogueStateTracker("speedups-test", processor.domain.slots)


def _message(text):
    return UserMessage(text, sender_id="speedups-test")
