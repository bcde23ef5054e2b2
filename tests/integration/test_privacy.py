"""Privacy through the real servers: "forget me" erases the stored conversation; logs hold no message text."""
import sqlite3

import pytest

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
