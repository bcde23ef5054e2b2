"""Rasa's REST channel with request validation in front of it and honest failures behind it.

Rasa's RestInput answers 200 to an empty body, a form post, a JSON list or a missing `message`
(sometimes with an empty reply, sometimes a 500). This subclass refuses such requests with a clear
4xx before Rasa sees them, a missing `sender` included (Rasa would put every such message into one
conversation called "default", shared by whoever leaves it out), and a `sender` shaped like a Slack or
widget conversation id (the channels share one tracker store: a REST client must not write into a
Slack user's or a widget visitor's conversation).

When handling fails (tracker store or lock store down, a lock that cannot be had), Rasa's RestInput
logs the user's text and answers `200 []`, which a client cannot tell from "the bot had nothing to
say" and which pretends the turn was kept. Here such a turn is answered 503 with a calm "temporarily
unavailable" message (and crisis contacts when the message needs them), and nothing is logged but
the error type. A client may send a `message_id`: retrying with the same id after a lost reply never
stores the turn twice (stores/privacy_sql.py). Rasa's `?stream=true` mode is not offered.
"""
import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.limits import MAX_BODY_BYTES, refuse_too_long
from safety.messages import messages
from safety.reply import contacts_if_needed

logger = logging.getLogger(__name__)

MAX_ID_CHARS = 128  # message ids (REST) and session ids (widget)
RETRY_AFTER_SECONDS = 5
UNAVAILABLE_TEXT = messages()["temporarily_unavailable"]["text"]


# The other channels' conversation ids, which a REST client must not write into: Slack's are
# "<user>_<channel>" (U012AB3CD_D0123ABCD), the widget's are the 32 hex digits its token server issues
# (scripts/widget_server.py). Conversations stored before this check keep their ids.
SLACK_CONVERSATION = re.compile(r"^[UW][A-Z0-9]{7,}_[CDG][A-Z0-9]{7,}(_[0-9.]+)?$")
WIDGET_SESSION = re.compile(r"^[0-9a-f]{32}$")


def other_channels_id(sender: str) -> bool:
    return bool(SLACK_CONVERSATION.match(sender) or WIDGET_SESSION.match(sender))


def is_id(value: Any) -> bool:
    """A client-chosen id the channels accept: a string of 1 to MAX_ID_CHARS characters."""
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_CHARS


class BadRequest(Exception):
    """A webhook request the channel refuses; `answer` is the 4xx response that says why."""

    def __init__(self, error: str, status: int) -> None:
        super().__init__(error)
        self.answer = response.json({"error": error}, status=status)


def webhook_payload(request: Request) -> Dict[str, Any]:
    """The JSON object of a webhook request, parsed once; raises BadRequest when it is unusable."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise BadRequest("Content-Type must be application/json", 415)
    if len(request.body or b"") > MAX_BODY_BYTES:
        raise BadRequest(f"request body larger than {MAX_BODY_BYTES} bytes", 413)
    try:
        payload = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("body is not valid JSON", 400) from None
    if not isinstance(payload, dict):
        raise BadRequest("body must be a JSON object", 400)
    if not isinstance(payload.get("message"), str):
        raise BadRequest("'message' must be a string", 400)
    if not is_id(payload.get("sender")):  # Rasa files a missing sender under one shared "default"
        raise BadRequest(f"'sender' is required: a string of 1 to {MAX_ID_CHARS} characters naming the "
                         f"conversation", 400)
    if other_channels_id(payload["sender"]):
        raise BadRequest("'sender' has the form of a Slack or widget conversation id, which REST clients may not "
                         "use: choose another name for the conversation", 400)
    message_id = payload.get("message_id")
    if message_id is not None and not is_id(message_id):
        raise BadRequest(f"'message_id' must be a string of 1 to {MAX_ID_CHARS} characters", 400)
    return payload


def unavailable_reply(sender_id: str, text: str, metadata: Optional[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """What a user sees when their turn could not be handled: crisis contacts first if needed."""
    return [{"recipient_id": sender_id, "text": reply}
            for reply in contacts_if_needed(text, metadata) + [UNAVAILABLE_TEXT]]


class ValidatedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest_webhook = Blueprint("validated_rest_webhook", __name__)
        on_new_message = refuse_too_long(on_new_message)

        @rest_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                payload = webhook_payload(request)
            except BadRequest as refused:
                return refused.answer
            sender_id = payload["sender"]
            metadata = self.get_metadata(request)
            collector = CollectingOutputChannel()
            message = UserMessage(payload["message"], collector, sender_id, input_channel=self.name(),
                                  message_id=payload.get("message_id"), metadata=metadata)
            try:
                await on_new_message(message)
            except Exception as error:  # the turn was not kept: say so, never pretend with 200 []
                logger.error("A REST message could not be handled (%s); answered 503.", type(error).__name__)
                return response.json(unavailable_reply(sender_id, payload["message"], metadata), status=503,
                                     headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
            return response.json(collector.messages)

        return rest_webhook
