"""rasa_speedups changes no result: on the trained model, every policy prediction along every test
story and every NLU parse of the held-out test split equal what Rasa's own code paths give
(`rasa_speedups.disabled`, with dask's graph runner).

Runs in-process on the model `make test` trained (no servers); marked integration because it needs it.
"""
import asyncio
import collections
import os
import random

import numpy as np
import pytest
from rasa.core.agent import load_agent
from rasa.core.channels.channel import UserMessage
import rasa.core.processor
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
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
    steps = [step for path in sorted((ROOT / "tests" / "e2e").glob("test_*.yml"))
             for step in YAMLStoryReader(processor.domain).read_from_file(str(path))]
    stories = TrainingDataGenerator(StoryGraph(steps), processor.domain, remove_duplicates=False,
                                    augmentation_factor=0, use_story_concatenation=False).generate_story_trackers()
    winners = collections.Counter()
    for story in stories:
        # one tracker per story, grown event by event: the speedups' cached states are keyed by length
        tracker = DialogueStateTracker(story.sender_id, processor.domain.slots)
        for event in story.events:
            if isinstance(event, ActionExecuted) and tracker.latest_message and tracker.latest_message.intent:
                fast = processor._predict_next_with_tracker(tracker)
                with rasa_speedups.disabled(processor.graph_runner):
                    stock = processor._predict_next_with_tracker(tracker)
                where = (story.sender_id, len(tracker.events), event.action_name)
                assert described(fast) == described(stock), where
                np.testing.assert_allclose(fast.probabilities, stock.probabilities, rtol=0, atol=1e-6, err_msg=str(where))
                winners[fast.policy_name] += 1
            tracker.update(event)
    assert len(stories) >= 30 and sum(winners.values()) >= 100


def test_every_prediction_off_the_trained_paths_is_unchanged(processor, monkeypatch):
    """Seeded random walks (random intents, now and then a random bot action) where rules often do not
    apply, compared at every step as above. In this bot the RulePolicy decides everything it was
    trained for, and off those paths its fallback (0.3) beats TED; the threshold is lowered here so
    that TED and memoization win too, and the speedups' skipping of policies that cannot win is
    checked both ways: TED left out when a rule is certain, computed and winning when it is not."""
    domain, rng = processor.domain, random.Random(7)
    rule_policy = next(node._component for node in processor.graph_runner._instantiated_nodes.values()
                       if type(node.__dict__.get("_component")) is RulePolicy)
    monkeypatch.setitem(rule_policy.config, "core_fallback_threshold", 0.01)
    ted_node = next(node for node in processor.graph_runner._instantiated_nodes.values()
                    if type(node.__dict__.get("_component")) is TEDPolicy)
    ted_runs = []
    monkeypatch.setattr(ted_node, "_fn", lambda *args, **kwargs: ted_runs.append(1) or TEDPolicy.predict_action_probabilities(*args, **kwargs))
    ted_counts = collections.Counter()  # TED runs with the speedups per prediction -> predictions
    actions = [name for name in domain.action_names_or_texts if name != ACTION_LISTEN_NAME]
    winners = collections.Counter()
    for walk in range(10):
        tracker = DialogueStateTracker(f"walk-{walk}", domain.slots)
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        for turn in range(5):
            tracker.update(UserUttered("...", intent={"name": rng.choice(domain.intents), "confidence": 1.0}))
            for _ in range(3):
                runs_before = len(ted_runs)
                fast = processor._predict_next_with_tracker(tracker)
                runs_with_speedups = len(ted_runs) - runs_before
                with rasa_speedups.disabled(processor.graph_runner):
                    stock = processor._predict_next_with_tracker(tracker)
                assert len(ted_runs) - runs_before - runs_with_speedups == 1  # Rasa runs TED every time
                ted_counts[runs_with_speedups] += 1
                where = (walk, len(tracker.events))
                assert described(fast) == described(stock), where
                np.testing.assert_allclose(fast.probabilities, stock.probabilities, rtol=0, atol=1e-6, err_msg=str(where))
                winners[fast.policy_name] += 1
                predicted = domain.action_names_or_texts[fast.max_confidence_index]
                action = rng.choice(actions) if rng.random() < 0.4 else predicted
                if action == ACTION_LISTEN_NAME:
                    break
                tracker.update(ActionExecuted(action))
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    assert winners["TEDPolicy"] >= 10 and winners["RulePolicy"] >= 10, winners
    # with the speedups TED runs at most once, always where it wins, and not where a rule was certain
    assert set(ted_counts) == {0, 1} and ted_counts[1] >= winners["TEDPolicy"], (ted_counts, winners)


def described(prediction):
    """Everything the processor uses of the ensemble's winning prediction, except the probabilities."""
    return (prediction.policy_name, prediction.policy_priority, prediction.max_confidence_index,
            [str(event) for event in prediction.events], [str(event) for event in prediction.optional_events],
            prediction.is_end_to_end_prediction, prediction.is_no_user_prediction, prediction.hide_rule_turn,
            prediction.action_metadata)


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
