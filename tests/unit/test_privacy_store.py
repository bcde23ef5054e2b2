"""The privacy tracker store: "forget me" deletes what was stored, retention deletes idle conversations."""
import asyncio
import sqlite3
import time

import pytest
import sqlalchemy as sa

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, AllSlotsReset, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.privacy_sql import BadRetention, PrivacySQLTrackerStore
from tests.conftest import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


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
                  AllSlotsReset(), ActionExecuted("action_listen")]:
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


def test_a_forget_action_that_did_not_reset_deletes_nothing(tmp_path):
    """The action resets the slots only when the confirmation question was asked the turn before;
    without that (a bare /forget_confirm) the store keeps everything."""
    s = store(tmp_path)
    tracker = DialogueStateTracker.from_events("bob", [
        ActionExecuted("action_listen"),
        UserUttered("my therapist sobbed about her divorce", {"name": "describe_therapist_crying"}),
        ActionExecuted("action_listen"),
        UserUttered("/forget_confirm", {"name": "forget_confirm"}),
        ActionExecuted("action_forget_conversation"), BotUttered("Do you want me to delete this whole conversation?"),
        ActionExecuted("action_listen"),
    ], slots=DOMAIN.slots)
    asyncio.run(s.save(tracker))
    assert any("divorce" in row for row in stored_texts(tmp_path))


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


def test_retention_runs_again_while_the_server_runs(tmp_path):
    """Not only at start-up: a conversation that goes idle past the retention period while the server
    keeps running is deleted by the next round (here every 0.36 s instead of every 24 hours)."""
    s = store(tmp_path, retention_days=30, retention_every_hours=0.0001)
    try:
        asyncio.run(s.save(DialogueStateTracker.from_events(
            "went-idle", [UserUttered("old story", timestamp=time.time() - 31 * 86400)])))
        asyncio.run(s.save(DialogueStateTracker.from_events("active", [UserUttered("new story")])))
        deadline = time.time() + 10
        while asyncio.run(s.retrieve("went-idle")) is not None and time.time() < deadline:
            time.sleep(0.1)
        assert asyncio.run(s.retrieve("went-idle")) is None
        assert asyncio.run(s.retrieve("active")) is not None
    finally:
        s.retention_stopped.set()
    for bad in (0, "", "daily"):
        with pytest.raises(BadRetention):
            store(tmp_path, retention_days=30, retention_every_hours=bad)


def statements(s):
    """Every SQL statement the store sends from now on."""
    sent = []
    sa.event.listen(s.engine, "before_cursor_execute", lambda conn, cursor, sql, *args: sent.append(sql.lower()))
    return sent


def user(text, message_id):
    return UserUttered(text, {"name": "describe_therapist_crying"}, message_id=message_id)


def stored_user_texts(s, sender):
    return [e.text for e in asyncio.run(s.retrieve_full_tracker(sender)).events if isinstance(e, UserUttered)]


def test_a_loaded_conversation_is_saved_without_counting_rows_and_nothing_is_lost(tmp_path):
    s = store(tmp_path)
    first = DialogueStateTracker.from_events("bo", [ActionExecuted("action_listen"), user("she cried", "m1"),
                                                    BotUttered("I'm sorry"), ActionExecuted("action_listen")],
                                             slots=DOMAIN.slots)
    asyncio.run(s.save(first))
    sent = statements(s)
    for turn in range(3):
        tracker = asyncio.run(s.retrieve("bo"))
        tracker.update(user(f"turn {turn}", f"m{turn + 2}"))
        tracker.update(BotUttered(f"reply {turn}"))
        asyncio.run(s.save(tracker))
        tracker.update(ActionExecuted("action_listen"))  # a second save of the same tracker adds only this
        asyncio.run(s.save(tracker))
    assert not [sql for sql in sent if "count(" in sql]
    assert stored_user_texts(s, "bo") == ["she cried", "turn 0", "turn 1", "turn 2"]
    assert len(asyncio.run(s.retrieve("bo")).events) == 4 + 3 * 3


def test_a_retried_message_is_stored_once_whether_the_tracker_was_loaded_or_built(tmp_path):
    s = store(tmp_path)
    asyncio.run(s.save(DialogueStateTracker.from_events(
        "cy", [ActionExecuted("action_listen"), user("she cried", "m1"), BotUttered("I'm sorry")], slots=DOMAIN.slots)))
    loaded = asyncio.run(s.retrieve("cy"))
    loaded.update(user("she cried", "m1"))  # the client sends it again after a lost reply
    loaded.update(BotUttered("I'm sorry"))
    asyncio.run(s.save(loaded))
    built = DialogueStateTracker.from_events("cy", [user("she cried", "m1")], slots=DOMAIN.slots)  # not from this store
    asyncio.run(s.save(built))
    assert stored_user_texts(s, "cy") == ["she cried"]
    loaded.update(user("and then she apologised", "m2"))
    asyncio.run(s.save(loaded))
    assert stored_user_texts(s, "cy") == ["she cried", "and then she apologised"]


def test_a_retention_period_that_is_no_period_stops_the_store_and_deletes_nothing(tmp_path):
    import pytest

    from stores.privacy_sql import BadRetention

    s = store(tmp_path)
    asyncio.run(s.save(DialogueStateTracker.from_events("kept", [UserUttered("x", timestamp=time.time() - 99 * 86400)])))
    for bad in (0, "0", -1, "", "thirty", "nan"):  # 0 and "" used to turn retention off without a word
        with pytest.raises(BadRetention, match="greater than 0"):
            store(tmp_path, retention_days=bad)
    assert asyncio.run(s.retrieve("kept")) is not None
    assert store(tmp_path, retention_days="45").retention_days == 45.0


def test_make_purge_refuses_a_period_that_would_delete_everything(tmp_path, monkeypatch, capsys):
    import sys

    from scripts import purge_conversations

    db = tmp_path / "t.db"
    s = store(tmp_path)
    asyncio.run(s.save(DialogueStateTracker.from_events("recent", [UserUttered("x")])))
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'tracker_store:\n  type: stores.privacy_sql.PrivacySQLTrackerStore\n  dialect: "sqlite"\n'
                         f'  db: "{db}"\n  retention_days: 30\n')
    for days in ("0", "-1"):
        monkeypatch.setattr(sys, "argv", ["purge_conversations.py", "--endpoints", str(endpoints), "--days", days])
        assert purge_conversations.main() == 2
        assert "greater than 0" in capsys.readouterr().err
    assert asyncio.run(s.retrieve("recent")) is not None
