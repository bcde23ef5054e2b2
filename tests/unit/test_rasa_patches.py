"""rasa_patches: store failures surface; the speedups return and raise the same as Rasa (the
prediction-path speedups are compared on the trained model in tests/integration/test_speedups.py)."""
import asyncio
import logging

import jsonschema
import pytest
import rasa.core.processor
import rasa.shared.utils.common
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import rasa_patches
import rasa_speedups

rasa_patches.apply()


def test_patches_are_in_place():
    assert Agent._create_tracker_store.__module__ == "rasa_patches"
    assert RemoteAction._validate_action_result.__module__ == "rasa_speedups"
    assert Event.resolve_by_type.__module__ == "rasa_speedups"
    assert rasa.core.processor.DaskGraphRunner.__module__ == "rasa_speedups"


def test_disabled_restores_rasas_code_paths_and_then_the_speedups():
    with rasa_speedups.disabled():
        assert Event.resolve_by_type.__module__ == "rasa.shared.core.events"
        assert rasa.core.processor.DaskGraphRunner.__module__ == "rasa.engine.runner.dask"
    assert Event.resolve_by_type.__module__ == "rasa_speedups"
    assert rasa.core.processor.DaskGraphRunner.__module__ == "rasa_speedups"


def test_valid_action_server_response_is_accepted():
    action = RemoteAction("action_x", None)
    response = {"events": [{"event": "slot", "name": "a", "value": 1}], "responses": [{"text": "hi"}]}
    assert action._validate_action_result(response) is True


@pytest.mark.parametrize("response", [{"events": "not a list"}, {"events": [{"no": "event key"}]},
                                      {"responses": "not a list"}])
def test_invalid_action_server_response_is_rejected_with_rasas_hint(response):
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(response)


def test_every_event_type_resolves_to_the_class_rasas_loop_finds():
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        expected = next(c for c in rasa.shared.utils.common.all_subclasses(Event) if c.type_name == cls.type_name)
        assert Event.resolve_by_type(cls.type_name) is expected


def test_unknown_event_types_behave_as_before():
    assert Event.resolve_by_type("no-such-event", UserUttered) is UserUttered
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no-such-event")


class BrokenStore(InMemoryTrackerStore):
    """A tracker store whose database is down."""

    async def retrieve(self, sender_id):
        raise ConnectionError("database down")

    async def save(self, tracker):
        raise ConnectionError("database down")


def test_a_failing_tracker_store_is_not_replaced_by_memory():
    store = Agent._create_tracker_store(BrokenStore(Domain.empty()), Domain.empty())
    with pytest.raises(ConnectionError):
        asyncio.run(store.retrieve("someone"))
    with pytest.raises(ConnectionError):
        asyncio.run(store.save(DialogueStateTracker.from_events("someone", [UserUttered("hi")])))
    assert store._fallback_tracker_store is None  # nothing went to process memory


def test_client_errors_are_logged_as_warnings_and_server_errors_as_errors(caplog):
    import rasa.server

    with caplog.at_level(logging.INFO, logger="rasa.server"):
        rasa.server.ErrorResponse(401, "NotAuthenticated", "User is not authenticated.")
        rasa.server.ErrorResponse(500, "ConversationError", "Something broke.")
    levels = {record.getMessage(): record.levelname for record in caplog.records}
    assert levels == {"401 NotAuthenticated: User is not authenticated.": "WARNING", "Something broke.": "ERROR"}
