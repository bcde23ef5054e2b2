"""Start the real action server and Rasa server (REST + tracker API + Slack) once for the integration tests."""
import json
import os
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from scripts.local_servers import ROOT, free_port, running_assistant  # noqa: F401 (free_port for tests)
from tests.integration.fake_slack import FakeSlackApi


class Assistant:
    """A tiny client for the REST channel and the tracker API."""

    def __init__(self, base_url: str, workdir: Path, port: int):
        self.base_url = base_url
        self.port = port
        self.workdir = workdir  # holds tracker.db, rasa.log and actions.log

    def request(self, method: str, path: str, body=None, headers=None, raw: bytes = None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(
            self.base_url + path, data=data, method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def send(self, sender: str, message: str):
        status, replies = self.request("POST", "/webhooks/rest/webhook", {"sender": sender, "message": message})
        assert status == 200, (status, replies)
        return replies

    def tracker(self, sender: str):
        status, tracker = self.request("GET", f"/conversations/{sender}/tracker?token={API_TOKEN}")
        assert status == 200
        return tracker


SLACK_SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
API_TOKEN = "test-api-token-4f9a"


@pytest.fixture(scope="session")
def fake_slack():
    api = FakeSlackApi()
    yield api
    api.close()


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, fake_slack):
    workdir = tmp_path_factory.mktemp("servers")
    env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET, "SLACK_API_URL": fake_slack.url,
           "ACTION_SERVER_CIRCUIT_SECONDS": "1"}  # test_action_server_down stops and restarts the action server
    model = Path(os.environ["MODEL"]) if os.environ.get("MODEL") else None
    with running_assistant(workdir, model, env, ["--enable-api", "--auth-token", API_TOKEN]) as servers:
        assistant = Assistant(f"http://127.0.0.1:{servers.rasa_port}", workdir, servers.rasa_port)
        assistant.jwt_secret = servers.env["SOCKETIO_JWT_SECRET"]
        assistant.servers = servers
        yield assistant
    errors = [line for line in (workdir / "rasa.log").read_text().splitlines() if " ERROR " in line]
    print(f"\nRasa log: {workdir / 'rasa.log'} ({len(errors)} ERROR lines)")


@pytest.fixture
def sender():
    return f"test-{uuid.uuid4().hex[:12]}"
