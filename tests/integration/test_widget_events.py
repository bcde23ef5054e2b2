"""The widget's socket.io channel against the real servers, with real socket.io clients (no browser):
a socket needs a valid short-lived token, may use only the session its token names, malformed
events each get a calm reply with nothing stored, and a refused token is one log line."""
import queue
import time
import uuid

import pytest
import socketio

from channels.widget import UNREADABLE_TEXT
from scripts.widget_server import TOKEN_SECONDS, issue_token

pytestmark = pytest.mark.integration


def open_socket(assistant, session_id=None, token=None):
    """A connected client whose replies and session confirmations are queued."""
    client = socketio.Client(reconnection=False)
    replies, sessions = queue.Queue(), queue.Queue()
    client.on("bot_uttered", replies.put)
    client.on("session_confirm", sessions.put)
    token = token or issue_token(assistant.jwt_secret, session_id)
    client.connect(f"http://127.0.0.1:{assistant.port}", auth={"token": token}, transports=["polling"],
                   wait_timeout=10)
    client.replies, client.sessions = replies, sessions
    return client


def connection_outcome(assistant, auth):
    """"accepted" or "refused", as soon as the server says which (socket.io's own `connect` would
    wait out its whole timeout after a refusal)."""
    client = socketio.Client(reconnection=False)
    outcome = queue.Queue()
    client.on("connect", lambda: outcome.put("accepted"))
    client.on("connect_error", lambda data=None: outcome.put("refused"))
    client.connect(f"http://127.0.0.1:{assistant.port}", auth=auth, transports=["polling"], wait=False)
    try:
        return outcome.get(timeout=30)
    finally:
        client.disconnect()


def socket_in_session(assistant, session_id):
    """A connected client whose token names `session_id`, confirmed into that session."""
    client = open_socket(assistant, session_id)
    client.emit("session_request", {"session_id": session_id})
    assert client.sessions.get(timeout=10) == session_id
    return client


@pytest.fixture
def widget_socket(assistant):
    client = open_socket(assistant)
    yield client
    client.disconnect()


def user_turns(assistant, session_id):
    return [e["text"] for e in assistant.tracker(session_id)["events"] if e["event"] == "user"]


def wait_for_turns(assistant, session_id, count, timeout=20):
    """The tracker is saved after the replies are sent: wait for it instead of sleeping."""
    deadline = time.monotonic() + timeout
    while len(user_turns(assistant, session_id)) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return user_turns(assistant, session_id)


def test_a_socket_cannot_take_over_another_persons_session_and_a_reload_still_can(assistant):
    alice_session = uuid.uuid4().hex
    alice = socket_in_session(assistant, alice_session)
    alice.emit("user_uttered", {"session_id": alice_session, "message": "my therapist cried last week"})
    assert alice.replies.get(timeout=30)["text"]
    assert wait_for_turns(assistant, alice_session, 1) == ["my therapist cried last week"]

    # Mallory has a valid token of her own and knows Alice's session id
    mallory = open_socket(assistant)
    mallory.emit("session_request", {"session_id": alice_session})
    mallory_session = mallory.sessions.get(timeout=10)
    assert mallory_session != alice_session
    for text in ["what did i say before?", "/forget_confirm"]:
        mallory.emit("user_uttered", {"session_id": alice_session, "message": text})
        assert mallory.replies.get(timeout=10) == {"text": UNREADABLE_TEXT}
    while not alice.replies.empty():
        alice.replies.get()
    alice.emit("user_uttered", {"session_id": alice_session, "message": "it was the first time"})
    assert alice.replies.get(timeout=30)["text"]
    assert wait_for_turns(assistant, alice_session, 2) == ["my therapist cried last week", "it was the first time"]
    # a barrier, not a wait: Alice's replies were sent before her turn was saved, so a leak to
    # Mallory would already be on Mallory's socket, ahead of the refusal her next message gets
    mallory.emit("user_uttered", {"session_id": alice_session, "message": "and now?"})
    assert mallory.replies.get(timeout=10) == {"text": UNREADABLE_TEXT}
    assert mallory.replies.empty()
    mallory.disconnect()
    alice.disconnect()

    # Alice reloads the page: a new socket with a new token for her session goes on with it
    reloaded = socket_in_session(assistant, alice_session)
    reloaded.emit("user_uttered", {"session_id": alice_session, "message": "it left me feeling cared for"})
    assert reloaded.replies.get(timeout=30)["text"]
    assert wait_for_turns(assistant, alice_session, 3)[-1] == "it left me feeling cared for"
    reloaded.disconnect()


@pytest.mark.parametrize("token_kind", ["missing", "forged", "just expired", "no session"])
def test_a_socket_without_a_valid_short_lived_token_is_refused(assistant, token_kind):
    import jwt

    now = time.time()
    tokens = {
        "missing": None,
        "forged": issue_token("not-the-secret-not-the-secret-00"),
        "just expired": issue_token(assistant.jwt_secret, now=now - TOKEN_SECONDS - 5),
        "no session": jwt.encode({"iat": int(now), "exp": int(now) + 60}, assistant.jwt_secret, algorithm="HS256"),
    }
    auth = {"token": tokens[token_kind]} if tokens[token_kind] else {}
    assert connection_outcome(assistant, auth) == "refused"


def test_a_socket_with_a_valid_token_is_let_in(assistant):
    assert connection_outcome(assistant, {"token": issue_token(assistant.jwt_secret)}) == "accepted"


def test_malformed_events_get_a_calm_reply_and_the_socket_keeps_working(assistant, widget_socket):
    widget_socket.emit("session_request", "not an object")
    session_id = widget_socket.sessions.get(timeout=10)
    assert isinstance(session_id, str) and len(session_id) == 32  # the session its token names
    malformed = ["just text", 42, {"message": "hi"}, {"session_id": session_id, "message": ["a", "list"]},
                 {"session_id": session_id, "message": "hi", "metadata": "{not json"}]
    for data in malformed:
        widget_socket.emit("user_uttered", data)
        assert widget_socket.replies.get(timeout=10) == {"text": UNREADABLE_TEXT}, data
    assert [e for e in assistant.tracker(session_id)["events"] if e["event"] == "user"] == []

    widget_socket.emit("user_uttered", {"session_id": session_id, "message": "hi"})
    first_reply = widget_socket.replies.get(timeout=30)
    assert "automated guide" in first_reply["text"]
    assert wait_for_turns(assistant, session_id, 1) == ["hi"]


def test_an_expired_token_is_refused_with_one_log_line_not_a_traceback(assistant):
    log_file = assistant.workdir / "rasa.log"
    start = log_file.stat().st_size  # only what this test causes
    expired = issue_token(assistant.jwt_secret, now=time.time() - TOKEN_SECONDS - 5)
    assert connection_outcome(assistant, {"token": expired}) == "refused"
    deadline = time.monotonic() + 5
    while "its token has expired" not in log_file.read_text()[start:] and time.monotonic() < deadline:
        time.sleep(0.1)
    log = log_file.read_text()[start:]
    assert "its token has expired" in log
    assert "Failed to decode bearer token" not in log and "ExpiredSignatureError" not in log


def test_crisis_inside_the_form_in_the_widget_gets_the_contacts_first(assistant):
    session = uuid.uuid4().hex
    client = socket_in_session(assistant, session)
    client.emit("user_uttered", {"session_id": session, "message": "my therapist cried in our last session"})
    texts = []
    while not any("How strongly" in t for t in texts):
        texts.append(client.replies.get(timeout=30).get("text", ""))
    client.emit("user_uttered", {"session_id": session, "message": "honestly i just want to end my life"})
    first = client.replies.get(timeout=30)["text"]
    assert first.startswith("Thank you for telling me") and "988" in first, first
    client.disconnect()
