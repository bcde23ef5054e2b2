"""Start the real action server and Rasa server (REST + tracker API) once for the integration tests.

Each run gets free loopback ports, its own SQLite tracker file and endpoints file, so tests never
touch a developer's tracker.db or a running `make run`.
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.integration.fake_slack import FakeSlackApi

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: int = 240) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(1)
    raise RuntimeError(f"{url} did not come up:\n{log.read_text()[-3000:]}")


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
    model = os.environ.get("MODEL") or sorted(ROOT.glob("models/model-*.tar.gz"), key=os.path.getmtime)[-1]
    workdir = tmp_path_factory.mktemp("servers")
    rasa_port, actions_port = free_port(), free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        f'tracker_store:\n  type: stores.privacy_sql.PrivacySQLTrackerStore\n  dialect: "sqlite"\n'
        f'  db: "{workdir / "tracker.db"}"\n  retention_days: 30\n'
    )
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
           "TF_CPP_MIN_LOG_LEVEL": "2", "SANIC_HOST": "127.0.0.1",
           "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
           "SLACK_API_URL": fake_slack.url}
    bin_dir = Path(sys.executable).parent
    actions_log, rasa_log = workdir / "actions.log", workdir / "rasa.log"
    actions = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
        cwd=ROOT, env=env, stdout=actions_log.open("w"), stderr=subprocess.STDOUT,
    )
    rasa = subprocess.Popen(
        [str(bin_dir / "rasa"), "run", "--model", str(model), "--endpoints", str(endpoints),
         "--credentials", str(ROOT / "credentials.yml"), "--interface", "127.0.0.1",
         "--port", str(rasa_port), "--enable-api", "--auth-token", API_TOKEN],
        cwd=ROOT, env=env, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions, actions_log)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, rasa_log)
        yield Assistant(f"http://127.0.0.1:{rasa_port}", workdir, rasa_port)
    finally:
        for process in (rasa, actions):
            process.terminate()
        for process in (rasa, actions):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        server_errors = [line for line in rasa_log.read_text().splitlines() if " ERROR " in line]
        print(f"\nRasa log: {rasa_log} ({len(server_errors)} ERROR lines)")


@pytest.fixture
def sender():
    return f"test-{uuid.uuid4().hex[:12]}"
