"""rasa_patches: store failures surface, client errors are warnings, and the speedups are installed."""
import asyncio
import logging

import pytest
import rasa.core.processor
from rasa.core.agent import Agent
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import rasa_patches

rasa_patches.apply()


def test_patches_are_in_place():
    assert Agent._create_tracker_store.__module__ == "rasa_patches"
    assert rasa.core.processor.DaskGraphRunner.__module__ == "rasa_speedups"  # apply() installs the speedups


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
