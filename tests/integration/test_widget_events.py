"""Malformed socket.io events against the real servers (no browser): each gets a calm reply, nothing is
stored, the same socket then holds a normal conversation, and a refused token is one log line."""
import queue
import time

import pytest

from channels.widget import UNREADABLE_TEXT
from scripts.widget_server import issue_token

pytestmark = pytest.mark.integration
socketio = pytest.importorskip("socketio")


@pytest.fixture
def widget_socket(assistant):
    client = socketio.Client(reconnection=False)
    replies, sessions = queue.Queue(), queue.Queue()
    client.on("bot_uttered", replies.put)
    client.on("session_confirm", sessions.put)
    client.connect(f"http://127.0.0.1:{assistant.port}", auth={"token": issue_token(assistant.jwt_secret)},
                   transports=["polling"], wait_timeout=10)
    client.replies, client.sessions = replies, sessions
    yield client
    client.disconnect()


def test_malformed_events_get_a_calm_reply_and_the_socket_keeps_working(assistant, widget_socket):
    widget_socket.emit("session_request", "not an object")
    session_id = widget_socket.sessions.get(timeout=10)
    assert isinstance(session_id, str) and len(session_id) == 32
    malformed = ["just text", 42, {"message": "hi"}, {"session_id": session_id, "message": ["a", "list"]},
                 {"session_id": session_id, "message": "hi", "metadata": "{not json"}]
    for data in malformed:
        widget_socket.emit("user_uttered", data)
        assert widget_socket.replies.get(timeout=10) == {"text": UNREADABLE_TEXT}, data
    assert [e for e in assistant.tracker(session_id)["events"] if e["event"] == "user"] == []

    widget_socket.emit("user_uttered", {"session_id": session_id, "message": "hi"})
    first_reply = widget_socket.replies.get(timeout=30)
    assert "automated guide" in first_reply["text"]
    time.sleep(1)  # the tracker is saved after the replies are sent
    user_turns = [e["text"] for e in assistant.tracker(session_id)["events"] if e["event"] == "user"]
    assert user_turns == ["hi"]


def test_an_expired_token_is_refused_with_one_log_line_not_a_traceback(assistant):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(f"http://127.0.0.1:{assistant.port}",
                       auth={"token": issue_token(assistant.jwt_secret, now=time.time() - 3600)},
                       transports=["polling"], wait_timeout=10)
    client.disconnect()
    log = (assistant.workdir / "rasa.log").read_text()
    assert "its token has expired" in log
    assert "Failed to decode bearer token" not in log and "ExpiredSignatureError" not in log
