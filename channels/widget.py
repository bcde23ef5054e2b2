"""Rasa's socket.io channel (the website widget) with each event checked and every failure said.

Rasa's SocketIOInput trusts what a socket sends. A `user_uttered` event that is not an object, or
whose message, session id or metadata has the wrong type, raises inside its handler: the person
sees nothing and the server logs a traceback. A turn that fails (tracker store or lock store down)
is silent too, and an expired widget token is logged with a traceback as if it were a server fault.

This subclass keeps Rasa's events, rooms and replies, and puts checks around its handlers:
- a malformed `user_uttered` event gets a calm bot message asking to send it again; nothing is stored;
- every `session_request`, malformed or not, is confirmed with the socket's own session (below);
- a turn that fails is answered with the REST channel's "temporarily unavailable" text (crisis
  contacts first when the message needs them), so the person knows to send it again;
- a refused token (missing, expired, not ours, or without `exp`, `iat` and `session_id`) is logged
  in one line, without a traceback;
- a socket may use only the conversation its token names (the `session_id` claim): a
  `session_request` for another id is given the token's own, and a `user_uttered` for another
  session is refused before it reaches Rasa. Rasa's channel lets any socket that knows a session id
  join its room, read the replies and send turns into it, /forget_confirm included;
- without a token secret of real length the channel refuses to start, and a socket is never let in
  without a token;
- a message over the length limit gets a calm answer and is not kept (channels/limits.py), and
  socket.io packets are capped at the same size as REST bodies;
- a socket is one request to a proxy's rate limit, so messages inside it have their own budget
  (MESSAGE_BURST at once, then MESSAGES_PER_SECOND): one over it is answered calmly and not kept,
  with the crisis contacts first when it needs them.
"""
import json
import logging
import time
from typing import Any, Awaitable, Callable, Dict, Optional

import jwt
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from rasa.shared.exceptions import RasaException

from channels.limits import MAX_BODY_BYTES, refuse_too_long
from safety.messages import messages
from channels.rest import MAX_ID_CHARS, is_id, unavailable_reply
from safety.reply import contacts_if_needed

logger = logging.getLogger(__name__)

UNREADABLE_TEXT = " ".join(messages()["unreadable_widget_message"]["text"].split())
TOO_FAST_TEXT = " ".join(messages()["widget_too_fast"]["text"].split())
MIN_JWT_SECRET_CHARS = 32  # 16 random bytes in hex: the Makefile and the deployments make 32 or more
MESSAGE_BURST = 8  # quick button clicks and a few short lines in a row are fine
MESSAGES_PER_SECOND = 1.0


class MessageBudget:
    """A token bucket per socket: MESSAGE_BURST messages at once, refilled at MESSAGES_PER_SECOND."""

    def __init__(self, burst: int = MESSAGE_BURST, per_second: float = MESSAGES_PER_SECOND, clock=time.monotonic):
        self.burst, self.per_second, self.clock = burst, per_second, clock
        self.tokens: Dict[str, float] = {}
        self.updated: Dict[str, float] = {}

    def allow(self, sid: str) -> bool:
        now = self.clock()
        tokens = min(self.burst, self.tokens.get(sid, self.burst) + (now - self.updated.get(sid, now)) * self.per_second)
        self.updated[sid] = now
        if tokens < 1:
            self.tokens[sid] = tokens
            return False
        self.tokens[sid] = tokens - 1
        return True

    def forget(self, sid: str) -> None:
        self.tokens.pop(sid, None)
        self.updated.pop(sid, None)


def user_uttered_problem(data: Any, session_persistence: bool, metadata_key: str) -> Optional[str]:
    """Why Rasa's handler cannot use this `user_uttered` event, or None when it can."""
    if not isinstance(data, dict):
        return "the event is not an object"
    if session_persistence and not is_id(data.get("session_id")):
        return f"'session_id' must be a string of 1 to {MAX_ID_CHARS} characters"
    if not isinstance(data.get("message", ""), str):
        return "'message' must be a string"
    metadata = data.get(metadata_key, {})
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return f"'{metadata_key}' is not valid JSON"
    if not isinstance(metadata, dict):
        return f"'{metadata_key}' must be an object"
    return None


class ValidatedSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "ValidatedSocketIOInput":
        """Refuses to start without a real token secret: an empty `jwt_key` (an exported empty
        SOCKETIO_JWT_SECRET) would make Rasa's channel accept every socket without a token."""
        channel = super().from_credentials(credentials)
        if len(channel.jwt_key or "") < MIN_JWT_SECRET_CHARS:
            raise RasaException(
                f"The website widget channel needs SOCKETIO_JWT_SECRET set to a random secret of at least "
                f"{MIN_JWT_SECRET_CHARS} characters (for example `openssl rand -hex 32`); refusing to start "
                f"a widget channel that would accept any socket.")
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(refuse_too_long(on_new_message))
        sio, namespace = self.sio, self.namespace
        sio.eio.max_http_buffer_size = MAX_BODY_BYTES  # socket.io's default is 1 MB
        rasa_handlers = dict(sio.handlers[namespace or "/"])  # socket.io files namespace None under "/"

        owned_session: Dict[str, str] = {}  # socket id -> the session id its token names
        budget = MessageBudget()  # messages per socket (a proxy counts a socket as one request)

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> bool:
            session_id = self.session_in_token(auth)
            if session_id is None:
                return False
            owned_session[sid] = session_id
            return True

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: str) -> None:
            owned_session.pop(sid, None)
            budget.forget(sid)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            own = owned_session.get(sid)
            if own is None:  # only a socket that was let in has a session
                return
            asked = data.get("session_id") if isinstance(data, dict) else None
            if asked not in (None, own):
                logger.info("A widget socket asked for a session its token does not name; it got its own.")
            await rasa_handlers["session_request"](sid, {"session_id": own})

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            problem = user_uttered_problem(data, self.session_persistence, self.metadata_key)
            if not problem and self.session_persistence and data["session_id"] != owned_session.get(sid):
                problem = "the session is not the one its token names"
            if problem:
                logger.warning("A widget message was refused: %s.", problem)
                await sio.emit(self.bot_message_evt, {"text": UNREADABLE_TEXT}, room=sid)
                return
            if not budget.allow(sid):
                logger.warning("A widget message was refused: the socket is sending too fast.")
                for text in contacts_if_needed(data.get("message", ""), self._metadata(data)) + [TOO_FAST_TEXT]:
                    await sio.emit(self.bot_message_evt, {"text": text}, room=sid)
                return
            try:
                await rasa_handlers[self.user_message_evt](sid, data)
            except Exception as error:  # the turn was not kept: say so, as the REST channel's 503 does
                logger.error("A widget message could not be handled (%s).", type(error).__name__)
                room = data.get("session_id") if self.session_persistence else sid
                for reply in unavailable_reply(room, data.get("message", ""), self._metadata(data)):
                    await sio.emit(self.bot_message_evt, {"text": reply["text"]}, room=room)

        return socketio_webhook

    def _metadata(self, data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        metadata = data.get(self.metadata_key)
        return json.loads(metadata) if isinstance(metadata, str) else metadata

    def session_in_token(self, auth: Any) -> Optional[str]:
        """The session id a socket's token names, or None (logged in one line) when it is refused.

        Rasa's own check (`decode_bearer_token`) logs a traceback for an expired token, accepts a
        token without `exp`, and knows nothing of sessions."""
        if not self.jwt_key:
            logger.warning("A widget socket was refused: the channel has no token secret.")
            return None  # fail closed (from_credentials refuses to start without one)
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str) or not token:
            logger.info("A widget socket was refused: no token.")
            return None
        try:
            claims = jwt.decode(token, self.jwt_key, algorithms=[self.jwt_algorithm],
                                options={"require": ["exp", "iat", "session_id"]})
        except jwt.ExpiredSignatureError:
            logger.info("A widget socket was refused: its token has expired.")
            return None
        except jwt.InvalidTokenError as error:
            logger.warning("A widget socket was refused: invalid token (%s).", type(error).__name__)
            return None
        if not is_id(claims["session_id"]):
            logger.warning("A widget socket was refused: its token's session_id is not a valid id.")
            return None
        return claims["session_id"]
