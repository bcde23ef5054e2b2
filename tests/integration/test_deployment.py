"""The production-like deployment (scripts/local_deployment.py): two Rasa replicas on PostgreSQL and
Redis behind HAProxy, under load and under failure.

1. 50 simulated users hold 6-turn conversations at the same time, alternating between the replicas;
   one replica is killed (SIGKILL) in the middle and restarted. Afterwards PostgreSQL holds, for every
   conversation, every user turn exactly once, in order, each followed by a bot reply.
2. Redis, then PostgreSQL, is stopped during the run: the replicas report unready, users get a calm
   "temporarily unavailable" answer (never `200 []`), and once the stores are back nothing that was
   acknowledged is missing.
3. A replica whose PostgreSQL or Redis is unreachable stops at start-up with a clear error.

Clients do what the README asks of them: send a `message_id`, and retry a turn that got no answer
(connection cut, 502/503) with the same id, on the other replica.
"""
import concurrent.futures
import datetime
import http.client
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from scripts.local_deployment import LocalDeployment, find_binary, running_deployment
from tests.integration.conftest import ROOT, free_port

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not all(find_binary(b) for b in ("postgres", "redis-server", "haproxy")),
        reason="PostgreSQL, Redis or HAProxy is not installed (make test installs them)",
    ),
]

USERS = 50
CONVERSATION = [
    "hi",
    "my therapist cried in our last session",
    "is that normal for a therapist?",
    "what does the research say",
    "how could I bring it up with her",
    "thanks, bye",
]
UNAVAILABLE = "temporarily unavailable"


def post(base_url: str, sender: str, text: str, message_id: str, timeout: float = 90) -> Tuple[int, list]:
    body = json.dumps({"sender": sender, "message": text, "message_id": message_id}).encode()
    request = urllib.request.Request(f"{base_url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"[]")


class Client:
    """Sends each turn to a chosen replica; on no answer, retries the same message id elsewhere."""

    def __init__(self, urls: List[str]):
        self.urls = urls
        self.retries = 0
        self.answered_by: Dict[int, int] = defaultdict(int)
        self.lock = threading.Lock()

    def turn(self, sender: str, text: str, message_id: str, first_choice: int, deadline_s: float = 180) -> list:
        deadline = time.time() + deadline_s
        attempt = 0
        while time.time() < deadline:
            index = (first_choice + attempt) % len(self.urls)
            try:
                status, replies = post(self.urls[index], sender, text, message_id)
                if status == 200:
                    assert replies, f"200 with no reply for {sender}"
                    with self.lock:
                        self.answered_by[index] += 1
                    return replies
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException, socket.timeout):
                pass  # connection refused or cut: the turn may or may not be stored; retry with the same id
            attempt += 1
            with self.lock:
                self.retries += 1
            time.sleep(min(0.5 * attempt, 3))
        raise AssertionError(f"{sender}: no answer for {message_id} within {deadline_s} s")


def stored_turns(deployment: LocalDeployment, prefix: str) -> Dict[str, List[Tuple[str, dict]]]:
    rows = deployment.sql(
        f"SELECT sender_id, type_name, data FROM events WHERE sender_id LIKE '{prefix}%' ORDER BY id"
    )
    conversations: Dict[str, List[Tuple[str, dict]]] = defaultdict(list)
    for sender, type_name, data in rows:
        conversations[sender].append((type_name, json.loads(data)))
    return conversations


def assert_exactly_once_in_order(events: List[Tuple[str, dict]], expected: List[Tuple[str, str]], sender: str):
    """`expected` is the acknowledged (message_id, text) list; each must be stored once, in order, answered."""
    user_positions = [i for i, (kind, _) in enumerate(events) if kind == "user"]
    stored = [(events[i][1].get("message_id"), events[i][1].get("text")) for i in user_positions]
    assert stored == expected, f"{sender}: stored user turns {stored} != acknowledged {expected}"
    for n, position in enumerate(user_positions):
        end = user_positions[n + 1] if n + 1 < len(user_positions) else len(events)
        assert any(kind == "bot" for kind, _ in events[position + 1:end]), f"{sender}: turn {n} has no bot reply"


@pytest.fixture(scope="module")
def deployment():
    workdir = Path(f"/var/tmp/tearsguide-test-deploy-{free_port()}")
    try:
        with running_deployment(workdir) as running:
            yield running
    finally:
        for log in sorted(workdir.glob("*.log")):
            errors = [line for line in log.read_text(errors="replace").splitlines() if " ERROR " in line]
            print(f"\n{log.name}: {len(errors)} ERROR lines", *[line[:300] for line in errors[:6]], sep="\n  ")
        shutil.rmtree(workdir, ignore_errors=True)


def test_no_secret_on_a_command_line_and_the_secrets_file_is_private(deployment):
    """`ps` shows every local user each process's command line: the API token and the passwords
    must not be on one, and secrets.json is private from the moment it exists."""
    secret_values = [v for v in deployment.secrets.values() if v]
    for name, process in deployment.processes.items():
        command_line = Path(f"/proc/{process.pid}/cmdline").read_bytes().decode(errors="replace")
        assert not [v for v in secret_values if v in command_line], f"a secret on {name}'s command line"
    assert (deployment.workdir / "secrets.json").stat().st_mode & 0o777 == 0o600
    assert not list(deployment.pg_dir.parent.glob("tearsguide-pw-*")), "the password file outlived initdb"


def test_fifty_users_survive_a_replica_kill(deployment):
    client = Client([deployment.replica_url(i) for i in range(2)])
    phase_two_done = threading.Semaphore(0)
    restarted = threading.Event()

    def restart_killed_replica():  # phase three waits until the killed replica is back
        assert restarted.wait(timeout=600)
        deployment.wait_ready(1)

    barrier_after_phase_one = threading.Barrier(USERS)
    barrier_after_phase_two = threading.Barrier(USERS, action=restart_killed_replica)

    def user(index: int) -> List[Tuple[str, str]]:
        sender = f"load-{index:02d}"
        acknowledged = []
        for k, text in enumerate(CONVERSATION):
            if k == 2:
                barrier_after_phase_one.wait()
            if k == 4:
                barrier_after_phase_two.wait()
            message_id = f"{sender}-turn-{k}"
            client.turn(sender, text, message_id, first_choice=(index + k) % 2)
            acknowledged.append((message_id, text))
            if k in (2, 3):
                phase_two_done.release()
        return acknowledged

    with concurrent.futures.ThreadPoolExecutor(max_workers=USERS) as pool:
        futures = [pool.submit(user, i) for i in range(USERS)]
        for _ in range(USERS // 2):  # a quarter of the way into phase two, with requests in flight
            phase_two_done.acquire()
        answered_before_kill = dict(client.answered_by)
        deployment.kill_replica(1)
        deployment.start_replica(1, wait=False)  # it loads while the users carry on with replica 0
        restarted.set()
        results = [f.result(timeout=900) for f in futures]

    conversations = stored_turns(deployment, "load-")
    assert len(conversations) == USERS
    for index, acknowledged in enumerate(results):
        sender = f"load-{index:02d}"
        assert_exactly_once_in_order(conversations[sender], acknowledged, sender)
    assert client.retries > 0, "the kill should have cut or refused some requests"
    assert answered_before_kill.get(1, 0) > 0
    assert client.answered_by[1] > answered_before_kill[1], "the restarted replica should serve users again"


def wait_for_status(deployment: LocalDeployment, wanted: str, seconds: int = 60) -> List[Optional[dict]]:
    deadline = time.time() + seconds
    while time.time() < deadline:
        states = [deployment.readiness(i) for i in range(2)]
        if all((s or {}).get("status") == wanted for s in states):
            return states
        time.sleep(0.5)
    raise AssertionError(f"replicas not {wanted}: {states}")


def test_store_outages_are_reported_and_lose_nothing(deployment):
    client = Client([deployment.lb_url])
    acknowledged: Dict[str, List[Tuple[str, str]]] = defaultdict(list)
    senders = [f"outage-{i}" for i in range(6)]

    def talk(step: int, text: str) -> None:
        for sender in senders:
            message_id = f"{sender}-{step}"
            client.turn(sender, text, message_id, first_choice=0, deadline_s=120)
            acknowledged[sender].append((message_id, text))

    def refused_while_down(step: int, text: str, store: str) -> None:
        states = wait_for_status(deployment, "unready")
        assert all(s["status"] == "unready" and s[store].startswith("unreachable") for s in states), states
        for url in (deployment.lb_url, deployment.replica_url(0)):  # the balancer and a replica directly
            status, replies = post(url, senders[0], text, f"{senders[0]}-{step}")
            assert status == 503, (url, status, replies)
            assert replies and UNAVAILABLE in replies[-1]["text"], replies
        # someone in crisis during the outage still gets crisis contacts
        status, replies = post(deployment.replica_url(1), "outage-crisis", "I want to kill myself", "c-1")
        assert status == 503 and "Suicide & Crisis Lifeline" in " ".join(r["text"] for r in replies)

    talk(0, "hi")
    deployment.stop_redis()
    refused_while_down(1, "is it normal for a therapist to cry?", "lock_store")
    deployment.start_redis()
    wait_for_status(deployment, "ready")
    talk(1, "is it normal for a therapist to cry?")  # the refused message, sent again with its id

    deployment.stop_postgres()
    refused_while_down(2, "what does the research say", "tracker_store")
    deployment.start_postgres()
    wait_for_status(deployment, "ready")
    talk(2, "what does the research say")
    talk(3, "thanks")

    conversations = stored_turns(deployment, "outage-")
    assert "outage-crisis" not in conversations  # refused turns are not half-stored
    for sender in senders:
        assert_exactly_once_in_order(conversations[sender], acknowledged[sender], sender)


@pytest.mark.parametrize("unreachable, message", [("DB_PORT", "Tracker store unreachable"),
                                                   ("REDIS_PORT", "Lock store unreachable")])
def test_a_replica_with_an_unreachable_store_stops_at_start_up(deployment, unreachable, message, tmp_path):
    env = {**deployment.env(), unreachable: str(free_port())}
    log = tmp_path / "rasa.log"
    started = time.time()
    process = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "run", "--model", str(deployment.model),
         "--endpoints", "deploy/endpoints.production.yml", "--credentials", "credentials.yml",
         "--interface", "127.0.0.1", "--port", str(free_port())],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, timeout=180,
    )
    assert process.returncode != 0
    text = log.read_text()
    assert message in text
    # the check fails within its connect timeout (5 s for the database, 3 for Redis), not after
    # Rasa's own retries: the seconds between "Checking that the ... store answers" and the error
    stamps = {}
    for line in text.splitlines():
        found = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", line)
        if found and "store answers" in line:
            stamps.setdefault("check", datetime.datetime.fromisoformat(found.group(1)))
        if found and message in line:
            stamps.setdefault("error", datetime.datetime.fromisoformat(found.group(1)))
    assert set(stamps) == {"check", "error"}, text[-2000:]
    assert (stamps["error"] - stamps["check"]).total_seconds() <= 7, stamps
    assert time.time() - started < 120  # model loading included
