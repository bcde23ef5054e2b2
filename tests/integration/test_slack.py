"""Slack end to end, offline: signed Events API requests in, chat.postMessage calls out to a fake API.

The real Rasa and action servers run with the Slack channel of credentials.yml, its API base URL
pointed at tests/integration/fake_slack.py on loopback.
"""
import contextlib
import hashlib
import hmac
import json
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from actions import knowledge
from tests.integration.conftest import API_TOKEN, SLACK_SIGNING_SECRET

pytestmark = pytest.mark.integration
WEBHOOK = "/webhooks/slack/webhook"
BOT_USER = "UBOT0001"


def signed_headers(body: bytes, timestamp=None, secret=SLACK_SIGNING_SECRET, content_type="application/json"):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def event_body(text, user, channel, channel_type="im", kind="message", ts=None, thread_ts=None):
    event = {"type": kind, "user": user, "text": text, "channel": channel, "channel_type": channel_type,
             "ts": ts or f"{time.time():.6f}"}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {"type": "event_callback", "event_id": f"Ev{uuid.uuid4().hex[:10]}", "event": event,
            "authorizations": [{"user_id": BOT_USER}]}


def post_event(assistant, body, headers=None, extra_headers=None):
    raw = json.dumps(body).encode()
    return assistant.request("POST", WEBHOOK, raw=raw, headers={**(headers or signed_headers(raw)), **(extra_headers or {})})


def wait_for_posts(fake_slack, channel, count, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        posts = fake_slack.messages_to(channel)
        if len(posts) >= count:
            return posts
        time.sleep(0.2)
    raise AssertionError(f"expected {count} posts to {channel}, got {fake_slack.messages_to(channel)}")


def wait_for_turn(assistant, sender, turns=1, seconds=30):
    """The tracker once the `turns`-th user message has been answered: the assistant back at
    action_listen after it (a real event to wait for, instead of a quiet spell in the fake Slack API)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        tracker = assistant.tracker(sender)
        events = tracker.get("events") or []
        users = [i for i, e in enumerate(events) if e["event"] == "user"]
        if len(users) >= turns and \
                any(e["event"] == "action" and e.get("name") == "action_listen" for e in events[users[-1]:]):
            return tracker
        time.sleep(0.2)
    raise AssertionError(f"turn {turns} of {sender} did not finish in {seconds} s")


def posts_of_finished_turns(assistant, fake_slack, sender, channel, turns):
    """Every post of the conversation once its `turns`-th turn is over. SlackBot awaits each post
    before the turn's tracker is saved, so the tracker's bot messages say how many posts there are."""
    tracker = wait_for_turn(assistant, sender, turns)
    said = [e for e in tracker["events"] if e["event"] == "bot" and e.get("text")]
    posts = wait_for_posts(fake_slack, channel, len(said))
    assert len(posts) == len(said), (len(posts), len(said))
    return posts


def all_text(posts):
    return "\n".join(p.get("text", "") for p in posts)


def test_url_verification_challenge(assistant):
    body = {"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    status, reply = post_event(assistant, body)
    assert status == 200 and reply == body["challenge"]


def test_dm_conversation_through_the_form_to_a_perspective_with_a_button_click(assistant, fake_slack):
    user, channel = f"U{uuid.uuid4().hex[:8].upper()}", f"D{uuid.uuid4().hex[:8].upper()}"
    status, _ = post_event(assistant, event_body("my therapist broke down sobbing about her own divorce", user, channel))
    assert status == 200
    posts = wait_for_posts(fake_slack, channel, 2)
    question = posts[-1]
    assert "first time" in question["text"]
    buttons = question["blocks"][1]["elements"]
    assert [b["type"] for b in buttons] == ["button", "button"]
    assert all("thread_ts" not in p for p in posts), "DM replies must not be threaded"

    # click "It has happened before": Slack sends the interactive payload form-encoded
    payload = {"type": "block_actions", "user": {"id": user}, "channel": {"id": channel},
               "message": {"ts": "1700000000.000100"}, "actions": [{**buttons[1], "action_id": "a1"}]}
    raw = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    status, _ = assistant.request("POST", WEBHOOK, raw=raw,
                                  headers=signed_headers(raw, content_type="application/x-www-form-urlencoded"))
    assert status == 200
    posts = wait_for_posts(fake_slack, channel, 3)
    assert "how did it leave you feeling" in posts[-1]["text"].lower()

    post_event(assistant, event_body("I feel like I have to look after her now", user, channel))
    posts = wait_for_posts(fake_slack, channel, 6)
    tracker = assistant.tracker(f"{user}_{channel}")
    shared = tracker["slots"]["perspectives_shared"]
    assert shared and tracker["slots"]["crying_frequency"] == "repeated"
    posts = posts_of_finished_turns(assistant, fake_slack, f"{user}_{channel}", channel, turns=3)
    assert knowledge.perspective_by_id(shared[0]).text in all_text(posts)
    for log in ("rasa.log", "actions.log"):
        content = (assistant.workdir / log).read_text()
        assert user not in content and channel not in content, f"Slack ids in clear in {log}"


def test_a_slack_message_over_the_length_limit_is_answered_calmly_and_not_kept(assistant, fake_slack):
    user, channel = f"U{uuid.uuid4().hex[:8].upper()}", f"D{uuid.uuid4().hex[:8].upper()}"
    status, _ = post_event(assistant, event_body("she cried about her divorce. " * 1000, user, channel))
    assert status == 200
    posts = wait_for_posts(fake_slack, channel, 1)
    assert "too long for me" in all_text(posts)
    tracker = assistant.tracker(f"{user}_{channel}")
    assert [e for e in tracker["events"] if e["event"] == "user"] == []


def test_channel_mention_is_answered_in_a_thread(assistant, fake_slack):
    user, channel = f"U{uuid.uuid4().hex[:8].upper()}", f"C{uuid.uuid4().hex[:8].upper()}"
    ts = "1700000123.000200"
    body = event_body(f"<@{BOT_USER}> is it normal for a therapist to cry?", user, channel,
                      channel_type="channel", kind="app_mention", ts=ts)
    status, _ = post_event(assistant, body)
    assert status == 200
    tracker = wait_for_turn(assistant, f"{user}_{channel}")
    said = [e for e in tracker["events"] if e["event"] == "bot" and e.get("text")]
    posts = wait_for_posts(fake_slack, channel, len(said))  # every reply of the finished turn
    assert said and len(posts) == len(said) and all(p.get("thread_ts") == ts for p in posts)
    assert tracker["latest_message"]["intent"]["name"] == "ask_is_it_normal"
    shared = tracker["slots"]["perspectives_shared"]
    assert shared, "the question got no perspectives"
    assert knowledge.perspective_by_id(shared[0]).text in all_text(posts)


@pytest.mark.parametrize("reason", ["http_timeout", "http_error", "too_many_requests"])
def test_a_retried_event_is_answered_once(assistant, fake_slack, reason):
    user, channel = f"U{uuid.uuid4().hex[:8].upper()}", f"D{uuid.uuid4().hex[:8].upper()}"
    body = event_body("are you a real person?", user, channel)
    assert post_event(assistant, body)[0] == 200
    sender = f"{user}_{channel}"
    first = posts_of_finished_turns(assistant, fake_slack, sender, channel, turns=1)
    for retry in (1, 2):
        status, _ = post_event(assistant, body, extra_headers={"X-Slack-Retry-Num": str(retry),
                                                                "X-Slack-Retry-Reason": reason})
        assert status == 200
    # a barrier, not a quiet spell: a new message queues behind anything the retries started (the
    # conversation's lock serves turns in order), so once it is answered a processed retry would show
    assert post_event(assistant, event_body("thanks", user, channel))[0] == 200
    posts = posts_of_finished_turns(assistant, fake_slack, sender, channel, turns=2)
    assert first and posts[:len(first)] == first
    user_turns = [e["text"] for e in assistant.tracker(sender)["events"] if e["event"] == "user"]
    assert user_turns == ["are you a real person?", "thanks"]


@pytest.mark.parametrize(
    "make_headers",
    [
        lambda raw: {"Content-Type": "application/json"},  # no signature at all
        lambda raw: signed_headers(raw, secret="wrong-secret"),  # forged
        lambda raw: signed_headers(raw, timestamp=int(time.time()) - 600),  # replayed (10 minutes old)
        lambda raw: {**signed_headers(raw), "X-Slack-Signature": "v0=" + "0" * 64},
    ],
    ids=["missing", "forged", "replayed", "tampered"],
)
def test_forged_and_replayed_requests_are_rejected_and_not_processed(assistant, fake_slack, make_headers):
    user, channel = f"U{uuid.uuid4().hex[:8].upper()}", f"D{uuid.uuid4().hex[:8].upper()}"
    raw = json.dumps(event_body("hello", user, channel)).encode()
    status, _ = assistant.request("POST", WEBHOOK, raw=raw, headers=make_headers(raw))
    assert status == 401
    # a barrier, not a wait: a genuine message on the same conversation, once answered, shows
    # whether the rejected one was processed anyway (it would be a user turn before it)
    assert post_event(assistant, event_body("hi there", user, channel))[0] == 200
    tracker = wait_for_turn(assistant, f"{user}_{channel}")
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == ["hi there"]


MALFORMED_USER, MALFORMED_CHANNEL = "UMALFORM01", "DMALFORM01"
_SHAPED = {"type": "event_callback", "event_id": "EvMalformed", "authorizations": [{"user_id": BOT_USER}]}


def _event(**event):
    """A signed event of the right envelope whose message is malformed; each with its own event id,
    so the retry de-duplication cannot be what ignores it."""
    return json.dumps({**_SHAPED, "event_id": f"Ev{uuid.uuid4().hex[:10]}", "event": {"type": "message", "user": MALFORMED_USER, "channel": MALFORMED_CHANNEL,
                                            "channel_type": "im", "ts": "1700000000.000200", **event}}).encode()


@pytest.mark.parametrize(
    "raw, content_type",
    [
        (b"{not json", "application/json"),
        (json.dumps([_SHAPED]).encode(), "application/json"),
        (json.dumps({**_SHAPED, "event": "not an object"}).encode(), "application/json"),
        (_event(text=42), "application/json"),
        (_event(text=["hello"]), "application/json"),
        (_event(text="hello", user=None), "application/json"),
        (b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
        (b"payload=" + urllib.parse.quote_plus(json.dumps({"type": "block_actions", "user": "not an object",
                                                           "actions": "none"})).encode(),
         "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00binary", "application/json"),
    ],
    ids=["broken-json", "json-list", "event-not-object", "text-not-string", "text-a-list", "no-user",
         "broken-button-payload", "button-payload-wrong-shape", "binary"],
)
def test_malformed_but_correctly_signed_requests_get_a_calm_4xx_or_are_ignored(assistant, fake_slack, raw, content_type):
    """A request that passes the signature check can still be malformed (a bug in a proxy, a hand-made
    request): never a 5xx, nothing posted back, and nothing reaches the dialogue. A well-formed
    message sent right after is answered, so the server is still there and the check is not vacuous."""
    posts_before = len(fake_slack.posts)
    request = urllib.request.Request(assistant.base_url + WEBHOOK, data=raw, method="POST",
                                     headers=signed_headers(raw, content_type=content_type))
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status < 500, status
    user, channel = f"U{uuid.uuid4().hex[:8].upper()}", f"D{uuid.uuid4().hex[:8].upper()}"
    post_event(assistant, event_body("hello", user, channel))
    wait_for_posts(fake_slack, channel, 1)
    assert [p for p in fake_slack.posts[posts_before:] if p.get("channel") != channel] == []
    assert fake_slack.messages_to(MALFORMED_CHANNEL) == []
    for sender in (f"{MALFORMED_USER}_{MALFORMED_CHANNEL}", "None_" + MALFORMED_CHANNEL):
        status, tracker = assistant.request("GET", f"/conversations/{sender}/tracker?token={API_TOKEN}")
        assert [e for e in tracker.get("events") or [] if e["event"] == "user"] == [], sender


def test_crisis_inside_the_form_on_slack_gets_the_contacts_first(assistant, fake_slack):
    user, channel = f"U{uuid.uuid4().hex[:8].upper()}", f"D{uuid.uuid4().hex[:8].upper()}"
    post_event(assistant, event_body("my therapist cried in our last session", user, channel))
    asked = posts_of_finished_turns(assistant, fake_slack, f"{user}_{channel}", channel, turns=1)
    assert "how strongly" in all_text(asked).lower()  # the form's first question
    post_event(assistant, event_body("honestly i just want to end my life", user, channel))
    posts = wait_for_posts(fake_slack, channel, len(asked) + 1)
    first = posts[len(asked)]["text"]
    assert first.startswith("Thank you for telling me") and "988" in first, first


@contextlib.contextmanager
def tracker_store_locked(assistant):
    """A real store outage: another process holds SQLite's exclusive lock on the tracker database,
    so every read and write of the Rasa server fails ("database is locked") until it is released."""
    connection = sqlite3.connect(assistant.workdir / "tracker.db", isolation_level=None, timeout=30)
    connection.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


def test_a_turn_the_store_cannot_keep_gets_contacts_first_and_slacks_retry_is_handled(assistant, fake_slack):
    user, channel = f"U{uuid.uuid4().hex[:8].upper()}", f"D{uuid.uuid4().hex[:8].upper()}"
    text = "i cant do this anymore i want to kill myself"
    body = event_body(text, user, channel)
    with tracker_store_locked(assistant):
        assert post_event(assistant, body)[0] == 200
        posts = wait_for_posts(fake_slack, channel, 2, seconds=60)
    assert "988" in posts[0]["text"] and posts[0]["text"].startswith("Thank you for telling me"), posts[0]
    assert "temporarily unavailable" in posts[1]["text"]
    assert [e for e in assistant.tracker(f"{user}_{channel}")["events"] if e["event"] == "user"] == []
    # the event id was forgotten with the failed turn: Slack's retry is handled, not dropped as seen
    status, _ = post_event(assistant, body, extra_headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"})
    assert status == 200
    wait_for_posts(fake_slack, channel, 3)
    user_turns = [e for e in assistant.tracker(f"{user}_{channel}")["events"] if e["event"] == "user"]
    assert [e["text"] for e in user_turns] == [text]
    log = (assistant.workdir / "rasa.log").read_text()
    assert "database is locked" in log or "OperationalError" in log  # the outage was real
    assert text not in log and "kill myself" not in log  # neither the error nor SQL parameters carry the text
