"""The widget's socket.io channel (channels/widget.py) with Rasa's handlers behind it, no server:
a socket needs a valid short-lived token and may use only the session it names, malformed events
are refused calmly without reaching Rasa, and a turn that fails is said."""
import asyncio
import json
import time

import jwt
import pytest

from channels.rest import UNAVAILABLE_TEXT
from channels.widget import UNREADABLE_TEXT, ValidatedSocketIOInput, user_uttered_problem
from scripts.widget_server import TOKEN_SECONDS, issue_token

SESSION = "0123456789abcdef0123456789abcdef"
OTHER_SESSION = "fedcba9876543210fedcba9876543210"
SECRET = "s" * 32


def channel_with(on_new_message, jwt_key=SECRET):
    """The channel's socket.io handlers, with emits and room entries recorded instead of sent, and
    "socket-1" connected with a token for SESSION."""
    channel = ValidatedSocketIOInput(user_message_evt="user_uttered", bot_message_evt="bot_uttered",
                                     session_persistence=True, jwt_key=jwt_key)
    channel.blueprint(on_new_message)
    emitted = []

    async def emit(event, data, room=None, **kwargs):
        emitted.append((event, data, room))

    channel.sio.emit = emit
    channel.sio.enter_room = lambda sid, room, namespace=None: emitted.append(("entered", room, sid))
    handlers = channel.sio.handlers["/"]
    if jwt_key:
        assert asyncio.run(handlers["connect"]("socket-1", {}, {"token": issue_token(SECRET, SESSION)})) is True
    return handlers, emitted


def claims(**changes):
    now = int(time.time())
    base = {"session_id": SESSION, "iat": now, "exp": now + TOKEN_SECONDS}
    return {k: v for k, v in {**base, **changes}.items() if v is not None}


@pytest.mark.parametrize("auth", [
    None, {}, {"token": ""}, {"token": 42}, {"token": "not.a.jwt"},
    {"token": issue_token("not-the-secret-not-the-secret-00", SESSION)},                    # forged
    {"token": issue_token(SECRET, SESSION, now=time.time() - TOKEN_SECONDS - 5)},          # just expired
    {"token": jwt.encode(claims(exp=None), SECRET, algorithm="HS256")},                     # never expires
    {"token": jwt.encode(claims(iat=None), SECRET, algorithm="HS256")},
    {"token": jwt.encode(claims(session_id=None), SECRET, algorithm="HS256")},              # names no session
    {"token": jwt.encode(claims(session_id={"a": 1}), SECRET, algorithm="HS256")},
    {"token": jwt.encode(claims(session_id="x" * 1000), SECRET, algorithm="HS256")},
    {"token": jwt.encode(claims(), SECRET, algorithm="HS512")},                             # not our algorithm
])
def test_a_socket_without_a_valid_short_lived_token_for_a_session_is_refused(auth):
    handlers, _ = channel_with(None)
    assert asyncio.run(handlers["connect"]("socket-2", {}, auth)) is False


def test_a_socket_with_a_valid_token_is_let_in():
    handlers, _ = channel_with(None)
    assert asyncio.run(handlers["connect"]("socket-2", {}, {"token": issue_token(SECRET, OTHER_SESSION)})) is True
    assert asyncio.run(handlers["connect"]("socket-3", {}, {"token": issue_token(SECRET)})) is True


def test_a_socket_asking_for_another_persons_session_gets_its_own():
    handlers, emitted = channel_with(None)
    asyncio.run(handlers["connect"]("socket-2", {}, {"token": issue_token(SECRET, OTHER_SESSION)}))
    asyncio.run(handlers["session_request"]("socket-2", {"session_id": SESSION}))
    assert emitted == [("entered", OTHER_SESSION, "socket-2"), ("session_confirm", OTHER_SESSION, "socket-2")]


def test_a_message_into_another_persons_session_never_reaches_rasa():
    received = []

    async def on_new_message(message):
        received.append(message)

    handlers, emitted = channel_with(on_new_message)
    asyncio.run(handlers["connect"]("socket-2", {}, {"token": issue_token(SECRET, OTHER_SESSION)}))
    for text in ["hello", "/forget_confirm"]:
        asyncio.run(handlers["user_uttered"]("socket-2", {"session_id": SESSION, "message": text}))
    assert received == []
    assert emitted == [("bot_uttered", {"text": UNREADABLE_TEXT}, "socket-2")] * 2
    asyncio.run(handlers["user_uttered"]("socket-2", {"session_id": OTHER_SESSION, "message": "hello"}))
    assert [(m.text, m.sender_id) for m in received] == [("hello", OTHER_SESSION)]


def test_a_disconnected_socket_owns_nothing_any_more():
    received = []

    async def on_new_message(message):
        received.append(message)

    handlers, emitted = channel_with(on_new_message)
    asyncio.run(handlers["disconnect"]("socket-1"))
    asyncio.run(handlers["session_request"]("socket-1", {"session_id": SESSION}))
    asyncio.run(handlers["user_uttered"]("socket-1", {"session_id": SESSION, "message": "hello"}))
    assert received == [] and emitted == [("bot_uttered", {"text": UNREADABLE_TEXT}, "socket-1")]


@pytest.mark.parametrize("data", [
    "just a string", 42, None, ["a", "list"],
    {"message": "hi"},                                     # no session id
    {"session_id": {"nested": 1}, "message": "hi"},
    {"session_id": "x" * 1000, "message": "hi"},
    {"session_id": SESSION, "message": 123},
    {"session_id": SESSION, "message": "hi", "metadata": "{not json"},
    {"session_id": SESSION, "message": "hi", "metadata": "[1, 2]"},
    {"session_id": SESSION, "message": "hi", "metadata": 7},
])
def test_a_malformed_message_event_gets_a_calm_reply_and_never_reaches_rasa(data):
    received = []

    async def on_new_message(message):
        received.append(message)

    handlers, emitted = channel_with(on_new_message)
    asyncio.run(handlers["user_uttered"]("socket-1", data))
    assert received == []
    assert emitted == [("bot_uttered", {"text": UNREADABLE_TEXT}, "socket-1")]
    assert "type it again" in UNREADABLE_TEXT and "emergency" in UNREADABLE_TEXT


def test_a_well_formed_message_event_reaches_rasa_with_its_session_and_metadata():
    received = []

    async def on_new_message(message):
        received.append(message)

    handlers, emitted = channel_with(on_new_message)
    asyncio.run(handlers["user_uttered"]("socket-1", {"session_id": SESSION, "message": "she cried",
                                                      "metadata": json.dumps({"locale": "uk"})}))
    assert [(m.text, m.sender_id, m.metadata) for m in received] == [("she cried", SESSION, {"locale": "uk"})]
    assert emitted == []


@pytest.mark.parametrize("text, crisis_first", [("was it unprofessional?", False),
                                                ("I have the pills here and I'm taking them tonight", True)])
def test_a_turn_that_fails_is_answered_with_the_unavailable_text_and_crisis_contacts_when_needed(text, crisis_first):
    async def on_new_message(message):
        raise ConnectionError("tracker store down")

    handlers, emitted = channel_with(on_new_message)
    asyncio.run(handlers["user_uttered"]("socket-1", {"session_id": SESSION, "message": text,
                                                      "metadata": {"locale": "uk"}}))
    texts = [data["text"] for event, data, room in emitted]
    assert {(event, room) for event, data, room in emitted} == {("bot_uttered", SESSION)}
    assert texts[-1] == UNAVAILABLE_TEXT
    assert len(texts) == (2 if crisis_first else 1)
    if crisis_first:
        assert "Samaritans" in texts[0] and "999" in texts[0]


@pytest.mark.parametrize("data", [None, "a string", 5, {}, {"session_id": None}, {"session_id": 5},
                                  {"session_id": ""}, {"session_id": "y" * 500}])
def test_any_session_request_is_confirmed_with_the_sockets_own_session(data):
    handlers, emitted = channel_with(None)
    asyncio.run(handlers["session_request"]("socket-1", data))
    assert emitted == [("entered", SESSION, "socket-1"), ("session_confirm", SESSION, "socket-1")]


def test_a_session_request_keeps_the_sockets_session():
    handlers, emitted = channel_with(None)
    asyncio.run(handlers["session_request"]("socket-1", {"session_id": SESSION}))
    assert emitted == [("entered", SESSION, "socket-1"), ("session_confirm", SESSION, "socket-1")]


def test_problems_are_named():
    assert user_uttered_problem("x", True, "metadata") == "the event is not an object"
    assert "session_id" in user_uttered_problem({"message": "hi"}, True, "metadata")
    assert user_uttered_problem({"message": "hi"}, False, "metadata") is None
    assert user_uttered_problem({"session_id": SESSION}, True, "metadata") is None  # Rasa reads it as ""


@pytest.mark.parametrize("secret", [None, "", "short-secret"])
def test_the_channel_refuses_to_start_without_a_real_token_secret(secret):
    from rasa.shared.exceptions import RasaException

    with pytest.raises(RasaException, match="SOCKETIO_JWT_SECRET"):
        ValidatedSocketIOInput.from_credentials({"session_persistence": True, "jwt_key": secret})


def test_a_real_secret_starts_the_channel():
    channel = ValidatedSocketIOInput.from_credentials({"session_persistence": True, "jwt_key": "k" * 32})
    assert channel.jwt_key == "k" * 32


@pytest.mark.parametrize("jwt_key", [None, ""])
def test_without_a_secret_no_socket_gets_in_even_if_the_channel_was_built_by_hand(jwt_key):
    handlers, _ = channel_with(lambda message: None, jwt_key=jwt_key)
    assert asyncio.run(handlers["connect"]("socket-1", {}, None)) is False
    assert asyncio.run(handlers["connect"]("socket-1", {}, {"token": "anything"})) is False
    assert asyncio.run(handlers["connect"]("socket-1", {}, {"token": issue_token(SECRET, SESSION)})) is False


def test_the_socketio_buffer_is_the_rest_body_limit():
    from channels.limits import MAX_BODY_BYTES

    channel = ValidatedSocketIOInput(session_persistence=True, jwt_key="k" * 32)
    channel.blueprint(lambda message: None)
    assert channel.sio.eio.max_http_buffer_size == MAX_BODY_BYTES < 1_000_000


@pytest.mark.parametrize("text, crisis_first", [("my therapist cried. " * 600, False),
                                                ("my therapist cried. " * 600 + "i took all my pills an hour ago", True)])
def test_a_message_over_the_limit_is_answered_calmly_and_never_reaches_rasa(text, crisis_first):
    from channels.limits import MAX_MESSAGE_CHARS, TOO_LONG_TEXT

    received = []

    async def on_new_message(message):
        received.append(message)

    handlers, emitted = channel_with(on_new_message)
    assert len(text) > MAX_MESSAGE_CHARS
    asyncio.run(handlers["user_uttered"]("socket-1", {"session_id": SESSION, "message": text,
                                                      "metadata": {"locale": "uk"}}))
    texts = [data["text"] for event, data, room in emitted]
    assert received == []
    assert texts[-1].startswith(TOO_LONG_TEXT.split("{")[0]) and "most important part" in texts[-1]
    assert len(texts) == (2 if crisis_first else 1)
    if crisis_first:
        assert "999" in texts[0]


def test_the_message_budget_allows_a_burst_then_one_a_second():
    from channels.widget import MessageBudget

    now = [0.0]
    budget = MessageBudget(burst=3, per_second=1.0, clock=lambda: now[0])
    assert [budget.allow("s") for _ in range(4)] == [True, True, True, False]
    assert budget.allow("other")  # each socket its own budget
    now[0] += 1.0
    assert budget.allow("s") and not budget.allow("s")
    budget.forget("s")
    assert budget.allow("s")


@pytest.mark.parametrize("text, crisis_first", [("she cried", False), ("i want to kill myself", True)])
def test_a_message_over_the_sockets_budget_is_answered_calmly_and_never_reaches_rasa(text, crisis_first):
    from channels.widget import MESSAGE_BURST, TOO_FAST_TEXT

    received = []

    async def on_new_message(message):
        received.append(message)

    handlers, emitted = channel_with(on_new_message)
    for _ in range(MESSAGE_BURST):
        asyncio.run(handlers["user_uttered"]("socket-1", {"session_id": SESSION, "message": "hello"}))
    assert len(received) == MESSAGE_BURST and emitted == []
    asyncio.run(handlers["user_uttered"]("socket-1", {"session_id": SESSION, "message": text}))
    assert len(received) == MESSAGE_BURST  # the one over the budget was not handled
    texts = [data["text"] for event, data, room in emitted]
    assert texts[-1] == TOO_FAST_TEXT and len(texts) == (2 if crisis_first else 1)
    if crisis_first:
        assert "988" in texts[0]
