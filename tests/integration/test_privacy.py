"""Privacy through the real servers: "forget me" erases the stored conversation; logs hold no message text."""
import os
import sqlite3
from pathlib import Path

import pytest

from scripts.local_servers import running_assistant
from tests.integration.conftest import Assistant

pytestmark = pytest.mark.integration


def stored_rows(assistant, sender):
    with sqlite3.connect(assistant.workdir / "tracker.db") as db:
        return [row[0] for row in db.execute("select data from events where sender_id = ?", (sender,))]


def test_forget_asks_first_then_erases_everything(assistant, sender):
    secret = "my therapist sobbed about her own divorce zebra42"
    assistant.send(sender, secret)
    assert any("zebra42" in row for row in stored_rows(assistant, sender))

    replies = assistant.send(sender, "please delete everything i wrote")
    assert "delete this whole conversation" in replies[0]["text"]
    assert any("zebra42" in row for row in stored_rows(assistant, sender)), "nothing deleted before confirming"

    replies = assistant.send(sender, "/forget_confirm")
    assert "deleted this conversation" in replies[0]["text"]
    assert not any("zebra42" in row for row in stored_rows(assistant, sender))
    tracker = assistant.tracker(sender)
    assert tracker["slots"]["crying_intensity"] is None
    assert not [e for e in tracker["events"] if e["event"] == "user"]

    assert assistant.send(sender, "hi")  # the conversation can start again


def test_a_confirmation_never_asked_for_deletes_nothing(assistant, sender):
    """PRIVACY.md: the assistant asks once before deleting. A bare /forget_confirm (or text classified
    as it) gets the question, and the conversation stays."""
    assistant.send(sender, "my therapist teared up about her dog quokka31")
    replies = assistant.send(sender, "/forget_confirm")
    assert "delete this whole conversation" in replies[0]["text"]
    assert any("quokka31" in row for row in stored_rows(assistant, sender))
    replies = assistant.send(sender, "/forget_confirm")  # now it was asked: this one deletes
    assert "deleted this conversation" in replies[0]["text"]
    assert not any("quokka31" in row for row in stored_rows(assistant, sender))


def test_the_forget_command_works_inside_the_form(assistant, sender):
    assistant.send(sender, "my counsellor cried in our session okapi77")
    assert "delete" in assistant.send(sender, "/forget")[0]["text"]
    assistant.send(sender, "/forget_confirm")
    tracker = assistant.tracker(sender)
    assert tracker["active_loop"] == {} or tracker["active_loop"].get("name") is None
    assert not any("okapi77" in row for row in stored_rows(assistant, sender))


def test_logs_never_contain_message_text(assistant, sender):
    marker = "my therapist teared up about my grandmother quokka31"
    assistant.send(sender, marker)
    assistant.send(sender, "is that normal quokka31")
    for log in ("rasa.log", "actions.log"):
        content = (assistant.workdir / log).read_text()
        assert "quokka31" not in content, log
        assert sender not in content, f"{log} names the conversation id in clear"


def test_debug_logs_hold_no_message_text(tmp_path):
    """`--debug` is where Rasa writes what people typed (the parsed message, the policies' states):
    log_redaction's plugin replaces those values, while the log keeps the events themselves."""
    model = Path(os.environ["MODEL"]) if os.environ.get("MODEL") else None
    with running_assistant(tmp_path, model, rasa_args=["--debug"], actions_args=["--debug"]) as servers:
        client = Assistant(f"http://127.0.0.1:{servers.rasa_port}", tmp_path, servers.rasa_port)
        client.send("debug-user", "my therapist cried about wombat58 and i felt awful")
        client.send("debug-user", "a little, wombat58")
        client.send("debug-user", "i want to die wombat58")
    for log in ("rasa.log", "actions.log"):
        assert "wombat58" not in (tmp_path / log).read_text(), log
    rasa_log = (tmp_path / "rasa.log").read_text()
    assert "processor.message.parse" in rasa_log and "<redacted>" in rasa_log  # it really ran at DEBUG
