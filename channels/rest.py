"""Rasa's REST channel with request validation in front of it.

Rasa's RestInput answers 200 to an empty body, a form post, a JSON list or a missing `message`
(sometimes with an empty reply, sometimes a 500). This subclass refuses such requests with a clear
4xx before Rasa sees them; everything else is Rasa's own RestInput.
"""
import json
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

MAX_BODY_BYTES = 200_000  # a 100 kB message in JSON, with room to spare


def request_problem(request: Request) -> Optional[response.HTTPResponse]:
    """A 4xx response describing what is wrong with a webhook request, or None if it is fine."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return response.json({"error": "Content-Type must be application/json"}, status=415)
    if len(request.body or b"") > MAX_BODY_BYTES:
        return response.json({"error": f"request body larger than {MAX_BODY_BYTES} bytes"}, status=413)
    try:
        payload = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return response.json({"error": "body is not valid JSON"}, status=400)
    if not isinstance(payload, dict):
        return response.json({"error": "body must be a JSON object"}, status=400)
    if not isinstance(payload.get("message"), str):
        return response.json({"error": "'message' must be a string"}, status=400)
    if "sender" in payload and not isinstance(payload["sender"], str):
        return response.json({"error": "'sender' must be a string"}, status=400)
    return None


class ValidatedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest_webhook = super().blueprint(on_new_message)

        @rest_webhook.on_request
        async def validate(request: Request) -> Optional[response.HTTPResponse]:
            if request.method == "POST" and request.path.endswith("/webhook"):
                return request_problem(request)
            return None

        return rest_webhook
