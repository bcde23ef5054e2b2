"""Start the real action server and Rasa server on free loopback ports, for tests and benchmarks.

Each use gets its own SQLite tracker file and endpoints file in `workdir`, so nothing touches a
developer's tracker.db or a running `make run`.
"""
import contextlib
import dataclasses
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List, Optional

ROOT = Path(__file__).resolve().parent.parent


@dataclasses.dataclass
class Servers:
    rasa_port: int
    actions_port: int
    rasa: subprocess.Popen
    workdir: Path
    env: Dict[str, str]
    actions: subprocess.Popen

    def stop_actions(self) -> None:
        """Stop the action server (the Rasa server keeps running), as an outage would."""
        self.actions.terminate()
        self.actions.wait(timeout=20)

    def start_actions(self) -> None:
        """Start the action server again on its port, and wait until it answers."""
        self.actions = start_action_server(self.actions_port, self.env, self.workdir / "actions.log")
        wait_until_up(f"http://127.0.0.1:{self.actions_port}/health", self.actions, self.workdir / "actions.log")


# Every server we start: no telemetry, quiet libraries, loopback only.
SERVER_ENV = {"RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
              "TF_CPP_MIN_LOG_LEVEL": "2", "SANIC_HOST": "127.0.0.1"}


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (Sanic workers), in MB."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    total_kb = 0
    for process in [pid, *map(int, children)]:
        with contextlib.suppress(FileNotFoundError):
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
    return total_kb / 1024


def cpu_seconds(pids: Dict[str, int]) -> Dict[str, float]:
    """CPU time (user + system) used so far by each named process and all its descendants, e.g.
    PostgreSQL's backends; reaped children count through their parent's cutime/cstime."""
    parents: Dict[int, int] = {}
    used: Dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid = int(stat.parent.name)
            parents[pid] = int(fields[1])
            used[pid] = sum(map(int, fields[11:15])) / os.sysconf("SC_CLK_TCK")

    def root_of(pid: int) -> Optional[int]:
        while pid > 1:
            if pid in roots:
                return pid
            pid = parents.get(pid, 0)
        return None

    roots = set(pids.values())
    totals: Dict[int, float] = dict.fromkeys(roots, 0.0)
    for pid, seconds in used.items():
        root = root_of(pid)
        if root is not None:
            totals[root] += seconds
    return {name: totals[pid] for name, pid in pids.items()}


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


def start_action_server(port: int, env: Dict[str, str], log: Path, args: Optional[List[str]] = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port), *(args or [])],
        cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT,
    )


def latest_model() -> Path:
    return sorted(ROOT.glob("models/model-*.tar.gz"), key=os.path.getmtime)[-1]


@contextlib.contextmanager
def running_assistant(
    workdir: Path, model: Optional[Path] = None, env: Optional[Dict[str, str]] = None,
    rasa_args: Optional[List[str]] = None, actions_args: Optional[List[str]] = None,
) -> Iterator[Servers]:
    rasa_port, actions_port = free_port(), free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        f'tracker_store:\n  type: stores.privacy_sql.PrivacySQLTrackerStore\n  dialect: "sqlite"\n'
        f'  db: "{workdir / "tracker.db"}"\n  retention_days: 30\n'
    )
    full_env = {**os.environ, **SERVER_ENV,
                "SLACK_BOT_TOKEN": "xoxb-not-configured", "SLACK_SIGNING_SECRET": os.urandom(16).hex(),
                "SLACK_API_URL": "https://slack.com/api/", "SOCKETIO_JWT_SECRET": os.urandom(16).hex(),
                **(env or {})}
    actions_log, rasa_log = workdir / "actions.log", workdir / "rasa.log"
    actions_log.write_text("")
    actions = start_action_server(actions_port, full_env, actions_log, actions_args)
    rasa = subprocess.Popen(
        [str(Path(sys.executable).parent / "rasa"), "run", "--model", str(model or latest_model()),
         "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml"),
         "--interface", "127.0.0.1", "--port", str(rasa_port), *(rasa_args or [])],
        cwd=ROOT, env=full_env, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
    )
    servers = Servers(rasa_port, actions_port, rasa, workdir, full_env, actions)
    try:
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions, actions_log)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, rasa_log)
        yield servers
    finally:
        processes = (rasa, servers.actions)  # the action server may have been restarted
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=5)  # Sanic otherwise waits out open keep-alive connections
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
