"""Bad input through the REST channel: every case gets a calm, defined answer or a clear 4xx."""
import concurrent.futures
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.integration.conftest import API_TOKEN

pytestmark = pytest.mark.integration


# what an uncalm answer would show: an error, a stack trace, a programming value (those in their
# exact spelling: "none of the sources" is prose, "None" a Python value)
NOT_CALM = re.compile(r"(?i:traceback|exception|internal server error|\berror\b)|\bNone\b|\bnull\b|\bundefined\b|\{\s*\"")
# what of an input an echo would repeat: markup, code and any longer stretch of the text itself
MARKUP = re.compile(r"<\s*/?\s*(?:script|img|b)\b|onerror|alert\(|drop table|nested json", re.IGNORECASE)


def assert_well_formed(replies):
    assert isinstance(replies, list) and replies, replies
    for reply in replies:
        assert isinstance(reply, dict) and (reply.get("text") or reply.get("buttons"))
        assert not NOT_CALM.search(reply.get("text") or ""), reply


def assert_not_echoed(text, replies):
    """No reply repeats the input: none of its markup or code, and no stretch of 20 of its characters
    (the replies are the assistant's own sentences)."""
    said = " ".join(r.get("text") or "" for r in replies)
    assert not MARKUP.search(said), said
    stripped = text.strip()
    for start in range(0, max(0, len(stripped) - 19), 5):
        assert stripped[start:start + 20] not in said, (stripped[start:start + 20], said)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "    \n\t  ",
        "😢😢😢",
        "🙂",
        "\x00\x01\x02 \x7f binary \xff",
        "mi terapeuta lloró en la sesión y no sé qué hacer",
        "meine Therapeutin hat geweint",
        "我的治疗师哭了",
        "<script>alert('x')</script>",
        "<b>my therapist cried</b> <img src=x onerror=alert(1)>",
        "'; DROP TABLE events; --",
        "{\"message\": \"nested json\"}",
        "/",
        "/not_an_intent",
        "a" * 5000,
    ],
    ids=lambda t: repr(t[:20]),
)
def test_odd_messages_get_a_calm_reply(assistant, sender, text):
    replies = assistant.send(sender, text)
    assert_well_formed(replies)
    assert_not_echoed(text, replies)
    user_turns = [e for e in assistant.tracker(sender)["events"] if e["event"] == "user"]
    assert len(user_turns) == 1


@pytest.mark.parametrize("danger", [False, True])
def test_a_message_over_the_length_limit_is_answered_calmly_and_not_kept(assistant, sender, danger):
    """One limit for every channel (channels/limits.py): the whole text is still screened, so a
    100 kB paste that ends in danger gets the contacts first; nothing of it is stored."""
    text = "my therapist cried. " * 5000 + (" i took all my pills an hour ago" if danger else "")
    replies = assistant.send(sender, text)
    said = " ".join(r.get("text") or "" for r in replies)
    assert "too long for me" in said and "most important part" in said
    assert ("emergency" in said.lower()) == danger
    assert [e for e in assistant.tracker(sender)["events"] if e["event"] == "user"] == []


def test_empty_message_is_answered_kindly(assistant, sender):
    text = " ".join(r.get("text", "") for r in assistant.send(sender, ""))
    assert "empty" in text


@pytest.mark.parametrize(
    "raw, content_type",
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"sender=me&message=hi", "application/x-www-form-urlencoded"),
        (b'{"sender": "me", "message": "hi"}', "text/plain"),
        (b'{"sender": "me", "message": "' + b"x" * 300_000 + b'"}', "application/json"),
        (b'["a list"]', "application/json"),
        (b'{"sender": "x"}', "application/json"),
        (b'{"message": 42, "sender": "x"}', "application/json"),
        (b'{"message": "hi"}', "application/json"),                  # no sender: not the shared "default"
        (b'{"message": "hi", "sender": ""}', "application/json"),
        (b'{"message": "hi", "sender": 7}', "application/json"),
    ],
)
def test_malformed_requests_get_a_4xx_never_a_5xx(assistant, raw, content_type):
    status, body = assistant.request("POST", "/webhooks/rest/webhook", raw=raw, headers={"Content-Type": content_type})
    assert 400 <= status < 500, (status, body)
    assert body["error"], "a clear error message"
    assert [e for e in assistant.tracker("default")["events"] if e["event"] == "user"] == []


def test_unknown_sender_tracker_is_empty_not_an_error(assistant):
    status, tracker = assistant.request("GET", "/conversations/nobody-ever-wrote-this/tracker?token=" + API_TOKEN)
    assert status == 200
    assert not [e for e in tracker["events"] if e["event"] == "user"]


def test_concurrent_messages_from_one_sender_are_all_kept_once(assistant, sender):
    messages = [f"is it normal for a therapist to cry {i}" for i in range(6)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda m: assistant.send(sender, m), messages))
    for replies in results:
        assert_well_formed(replies)
    texts = [e["text"] for e in assistant.tracker(sender)["events"] if e["event"] == "user"]
    assert sorted(texts) == sorted(messages)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=0, max_size=300))
def test_random_text_always_gets_a_well_formed_reply(assistant, text):
    status, replies = assistant.request(
        "POST", "/webhooks/rest/webhook", {"sender": "hypothesis", "message": text}
    )
    assert status == 200, (status, replies, json.dumps(text))
    assert_well_formed(replies)
