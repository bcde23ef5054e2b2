"""The crisis reply never depends on the action server; other turns are answered honestly and fast.

The integration tests' real Rasa server and action server (conftest.py): the action server is
stopped, then replaced by a "hung" one (a socket that accepts connections and never answers) on the
same port, and at the end started again for the tests that follow.
"""
import json
import socket
import threading
import time
import urllib.request

import pytest

from safety.messages import messages

UNAVAILABLE = " ".join(messages()["actions_unavailable"]["text"].split())


def post(port, sender, text):
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"}, method="POST")
    start = time.monotonic()
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.status, [m.get("text", "") for m in json.loads(answer.read())], time.monotonic() - start


def readiness(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/webhooks/health/ready", timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class HungServer:
    """Accepts connections on a port and never answers."""

    def __init__(self, port):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(64)
        self.held = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self):
        self.sock.close()
        for connection in self.held:
            connection.close()


@pytest.fixture(scope="module")
def servers(assistant):
    running = assistant.servers
    # a conversation inside the form, started while the action server is up
    status, replies, _ = post(running.rasa_port, "in-form", "my counsellor cried in our session")
    assert status == 200 and any("How strongly" in r for r in replies), replies
    running.stop_actions()
    yield running
    running.start_actions()
    deadline = time.monotonic() + 30
    while readiness(running.rasa_port)[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert readiness(running.rasa_port)[0] == 200


def assert_full_crisis_reply(replies, seconds):
    text = "\n".join(replies)
    assert seconds < 2.0, seconds
    assert replies[0].startswith("Thank you for telling me") and "988" in replies[0] and "116 123" in replies[0]
    assert "The contacts above" in text and text.index("988") < text.index("The contacts above")
    assert UNAVAILABLE not in text


def test_with_the_action_server_stopped(servers):
    port = servers.rasa_port
    status, replies, seconds = post(port, "stopped-crisis", "i want to kill myself")
    assert status == 200
    assert_full_crisis_reply(replies, seconds)
    status, replies, seconds = post(port, "in-form", "honestly i just want to end my life")
    assert_full_crisis_reply(replies, seconds)
    status, replies, seconds = post(port, "stopped-other", "is it normal that she cried?")
    assert status == 200 and seconds < 10 and replies == [UNAVAILABLE], replies
    code, state = readiness(port)
    assert code == 503 and state["action_server"].startswith("unreachable"), state


def test_with_the_action_server_hung(servers):
    hung = HungServer(servers.actions_port)
    try:
        time.sleep(1.2)  # the short circuit of the stopped test has closed: calls really wait now
        port = servers.rasa_port
        status, replies, seconds = post(port, "hung-crisis", "i want to kill myself")
        assert status == 200
        assert_full_crisis_reply(replies, seconds)
        status, replies, seconds = post(port, "hung-other", "what does the research say about this")
        assert status == 200 and seconds < 10 and replies == [UNAVAILABLE], (replies, seconds)
        assert "The contacts above" not in "\n".join(replies)
        code, state = readiness(port)
        assert code == 503 and state["action_server"].startswith("unreachable"), state
    finally:
        hung.close()
