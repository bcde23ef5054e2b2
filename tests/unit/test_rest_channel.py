"""The REST channel's request check (channels/rest.py webhook_payload), without a server."""
import json
from types import SimpleNamespace

import pytest

from channels.rest import BadRequest, webhook_payload


def request(body, content_type="application/json"):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return SimpleNamespace(headers={"content-type": content_type}, body=raw)


@pytest.mark.parametrize("body, error", [
    ({"message": "hi"}, "'sender' is required"),
    ({"message": "hi", "sender": ""}, "'sender' is required"),
    ({"message": "hi", "sender": None}, "'sender' is required"),
    ({"message": "hi", "sender": 7}, "'sender' is required"),
    ({"message": "hi", "sender": "x" * 129}, "'sender' is required"),
    ({"sender": "me"}, "'message' must be a string"),
    # another channel's conversation: a Slack user's DM, a thread, a widget visitor's session
    ({"message": "hi", "sender": "U012AB3CD_D0123ABCD"}, "Slack or widget conversation id"),
    ({"message": "hi", "sender": "U012AB3CD_C0123ABCD_1700000123.000200"}, "Slack or widget conversation id"),
    ({"message": "hi", "sender": "0f" * 16}, "Slack or widget conversation id"),
    ([1, 2], "JSON object"),
    (b"{nope", "not valid JSON"),
])
def test_a_request_rasa_would_misfile_is_refused_with_a_reason(body, error):
    with pytest.raises(BadRequest, match=error) as refused:
        webhook_payload(request(body))
    assert refused.value.answer.status == 400


def test_a_well_formed_request_passes():
    assert webhook_payload(request({"sender": "me", "message": "hi"})) == {"sender": "me", "message": "hi"}
    for sender in ("U012AB3CD", "user_42", "0f" * 15, "test-" + "0f" * 16):  # not another channel's form
        assert webhook_payload(request({"sender": sender, "message": "hi"}))["sender"] == sender
