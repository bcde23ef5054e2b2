"""The privacy tracker store: "forget me" deletes what was stored, retention deletes idle conversations."""
import asyncio
import sqlite3
import time

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.privacy_sql import PrivacySQLTrackerStore
from tests.conftest import ROOT

DOMAIN = Domain.load(str(ROOT / "domain"))


def store(tmp_path, **kwargs):
    return PrivacySQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"), **kwargs)


def stored_texts(tmp_path):
    with sqlite3.connect(tmp_path / "t.db") as db:
        return [row[0] for row in db.execute("select data from events")]


def test_forget_deletes_everything_before_the_action(tmp_path):
    s = store(tmp_path)
    tracker = DialogueStateTracker.from_events("alice", [
        ActionExecuted("action_listen"),
        UserUttered("my therapist sobbed about her divorce", {"name": "describe_therapist_crying"}),
        SlotSet("crying_intensity", "sobbing"),
        ActionExecuted("action_listen"),
    ], slots=DOMAIN.slots)
    asyncio.run(s.save(tracker))
    assert any("divorce" in row for row in stored_texts(tmp_path))

    tracker = asyncio.run(s.retrieve("alice"))
    for event in [UserUttered("/forget_confirm", {"name": "forget_confirm"}),
                  ActionExecuted("action_forget_conversation"), BotUttered("Done. I've deleted this conversation"),
                  ActionExecuted("action_listen")]:
        tracker.update(event)
    asyncio.run(s.save(tracker))

    rows = stored_texts(tmp_path)
    assert not any("divorce" in row or "forget_confirm" in row for row in rows)
    assert any("deleted this conversation" in row for row in rows)
    again = asyncio.run(s.retrieve("alice"))
    assert again.get_slot("crying_intensity") is None

    # the conversation goes on normally afterwards
    again.update(UserUttered("hello", {"name": "greet"}))
    asyncio.run(s.save(again))
    assert [e.text for e in asyncio.run(s.retrieve("alice")).events if isinstance(e, UserUttered)] == ["hello"]


def test_retention_deletes_only_idle_conversations(tmp_path):
    s = store(tmp_path)
    old = DialogueStateTracker.from_events("old", [UserUttered("old story", timestamp=time.time() - 40 * 86400)])
    new = DialogueStateTracker.from_events("new", [UserUttered("new story")])
    asyncio.run(s.save(old))
    asyncio.run(s.save(new))
    assert s.purge_older_than(30) == 1
    assert asyncio.run(s.retrieve("old")) is None
    assert asyncio.run(s.retrieve("new")) is not None
    # the server applies retention_days at start-up too
    asyncio.run(s.save(DialogueStateTracker.from_events("old2", [UserUttered("x", timestamp=time.time() - 99 * 86400)])))
    store(tmp_path, retention_days=30)
    assert asyncio.run(s.retrieve("old2")) is None
