"""What a user sees when a store is down: the REST channel's 503 answer and the load balancer's."""
import json

from channels.rest import UNAVAILABLE_TEXT, unavailable_reply
from scripts.local_deployment import unavailable_response


def test_an_ordinary_message_gets_the_calm_unavailable_text_with_crisis_contacts():
    replies = unavailable_reply("someone", "is it normal that she cried?", None)
    assert replies == [{"recipient_id": "someone", "text": UNAVAILABLE_TEXT}]
    assert "temporarily unavailable" in UNAVAILABLE_TEXT and "not saved" in UNAVAILABLE_TEXT
    assert "988" in UNAVAILABLE_TEXT and "116 123" in UNAVAILABLE_TEXT


def test_a_crisis_message_gets_the_full_crisis_reply_first_in_its_locale():
    replies = unavailable_reply("someone", "I have the pills here and I'm taking them tonight", {"locale": "uk"})
    assert len(replies) == 2 and replies[1]["text"] == UNAVAILABLE_TEXT
    assert "999" in replies[0]["text"] and "Samaritans" in replies[0]["text"]


def test_the_load_balancer_answer_is_a_valid_http_503_with_the_same_json_shape_and_text():
    raw = unavailable_response()
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    assert lines[0] == "HTTP/1.0 503 Service Unavailable"
    headers = dict(line.split(": ", 1) for line in lines[1:])
    assert headers["Content-Type"] == "application/json" and int(headers["Content-Length"]) == len(body)
    assert json.loads(body) == [{"recipient_id": "", "text": UNAVAILABLE_TEXT}]
