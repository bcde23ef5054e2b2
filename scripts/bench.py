"""`make bench`: latency and throughput of the REST channel, measured on this machine.

Sends REST messages from 1 and from 20 concurrent simulated users to four setups, one after the
other, in two mixes (MIXES: questions only, and a real conversation through the situation form), and
prints p50/p95 latency, requests per second, action-server calls per turn and the memory (RSS) of
each Rasa server:
  starter   a stock `rasa init` bot on the same Rasa, for comparison on the same machine: trained
            once into .bench/starter, served alone with its in-memory tracker store
  sqlite    the embedded default: one Rasa server + action server, SQLite tracker store (`make run`)
  replicas  two Rasa replicas on PostgreSQL + Redis behind HAProxy (`make deploy-local`)
  workers   one Rasa server with SANIC_WORKERS=2 on PostgreSQL + Redis behind HAProxy
  --url     any Rasa server already running, measured with the same load
It first prints the crisis screen's cost, and the situation extractor's and scope gate's, per message
for 100 B to 100 kB messages.
Usage: python scripts/bench.py [--requests N] [--setups starter,sqlite,replicas,workers] [--url URL --pid PID]
"""
import argparse
import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Dict, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.local_deployment import running_deployment  # noqa: E402
from scripts.local_servers import (  # noqa: E402
    ROOT, SERVER_ENV, cpu_seconds, free_port, rss_mb, running_assistant, wait_until_up)

# Two mixes, each one conversation per user, sent to every setup in the same run:
#   questions     questions only: the cheapest path (no form, one custom action per turn)
#   conversation  the real path: a description starts the situation form (validated on the action
#                 server), it is interrupted by a question, finished, and followed by how to raise it
MIXES = {
    "questions": [
        "hi",
        "is it normal for a therapist to cry?",
        "was it professional of her?",
        "what does the research say",
        "another perspective please",
        "thanks, bye",
    ],
    "conversation": [
        "my therapist started crying when i told her about my dad and i didnt know what to do",
        "she just teared up a bit",
        "is that even professional??",
        "it was the first time",
        "it was about my story i think",
        "honestly i felt kind of guilty after",
        "how do i bring it up with her next week",
    ],
}


def send(base_url: str, sender: str, message: str) -> float:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(f"{base_url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
    except urllib.error.HTTPError as error:
        return -float(error.code)  # counted as a failed request, not as a latency
    return time.perf_counter() - start


def run_load(base_url: str, users: int, requests_per_user: int, label: str, messages=MIXES["questions"]) -> dict:
    def user(index: int) -> list:
        # a new conversation every len(messages) turns, as real conversations are short
        return [send(base_url, f"bench-{label}-{users}-{index}-{i // len(messages)}", messages[i % len(messages)])
                for i in range(requests_per_user)]

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=users) as pool:
        results = [lat for result in pool.map(user, range(users)) for lat in result]
    elapsed = time.perf_counter() - start
    latencies = sorted(lat for lat in results if lat >= 0)
    return {
        "users": users, "requests": len(latencies), "failed": len(results) - len(latencies),
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "rps": len(latencies) / elapsed,
    }


BENCH_API_TOKEN = os.urandom(12).hex()  # the tracker API of the measured SQLite server, for counting calls


def action_server_calls_per_turn(base_url: str, messages) -> Optional[float]:
    """Calls from the Rasa server to the action server per user turn, read from one conversation's
    tracker: each custom action run is one call, and each run of the form with a user message is one
    call to its validation action. None when the tracker is not readable (the stock bot has no
    custom actions; a deployment without the API token)."""
    sender = f"bench-count-{time.time_ns()}"
    for message in messages:
        send(base_url, sender, message)
    try:
        with urllib.request.urlopen(f"{base_url}/conversations/{sender}/tracker?token={BENCH_API_TOKEN}",
                                    timeout=30) as response:
            events = json.load(response)["events"]
    except (urllib.error.URLError, ValueError, KeyError):
        return None
    custom = set(_domain_actions())
    calls = sum(1 for e in events if e.get("event") == "action" and e.get("name") in custom)
    calls += sum(1 for e in events if e.get("event") == "action" and e.get("name") == "situation_form")
    return calls / len(messages)


def _domain_actions() -> list:
    import yaml

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return [a for a in domain.get("actions", []) if not a.startswith("utter_")]


def measure(base_url: str, requests: int, title: str, memory: Callable[[], str],
            processes: Optional[Dict[str, int]] = None) -> None:
    """For each mix: latency and throughput at 1 and 20 users and (with `processes`, name -> pid)
    the CPU each process and its children used per request at 20 users; then memory."""
    print(title)
    for mix, messages in MIXES.items():
        run_load(base_url, 2, len(messages), f"warmup-{mix}", messages)
        calls = action_server_calls_per_turn(base_url, messages) if processes and "action server" in processes else None
        print(f"  {mix} mix" + (f" ({calls:.1f} action-server calls per turn)" if calls is not None else ""))
        for users in (1, 20):
            before = cpu_seconds({**(processes or {}), "load generator": os.getpid()})
            result = run_load(base_url, users, max(1, requests // users), f"load-{mix}", messages)
            after = cpu_seconds({**(processes or {}), "load generator": os.getpid()})
            failed = f"  ({result['failed']} FAILED)" if result["failed"] else ""
            print(f"    {result['users']:>2} concurrent users: {result['requests']} requests{failed}  "
                  f"p50 {result['p50_ms']:.0f} ms  p95 {result['p95_ms']:.0f} ms  {result['rps']:.1f} req/s",
                  flush=True)
        if processes:
            print("    CPU per request at 20 users: " + ", ".join(
                f"{name} {1000 * (after[name] - before[name]) / max(1, result['requests']):.1f} ms"
                for name in after))
    print(f"  memory (RSS): {memory()}", flush=True)


def measure_starter_bot(requests: int) -> None:
    """Rasa's own starter bot (`rasa init`), trained once, served the way `rasa run` serves it."""
    rasa = str(Path(sys.executable).parent / "rasa")
    project, env = ROOT / ".bench" / "starter", {**os.environ, **SERVER_ENV}
    if not list(project.glob("models/*.tar.gz")):
        project.mkdir(parents=True, exist_ok=True)
        subprocess.run([rasa, "init", "--no-prompt", "--init-dir", str(project)], cwd=project, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port, log = free_port(), project / "bench-server.log"
    server = subprocess.Popen([rasa, "run", "--interface", "127.0.0.1", "--port", str(port)], cwd=project, env=env,
                              stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", server, log)
        measure(f"http://127.0.0.1:{port}", requests, "starter: stock `rasa init` bot, one Rasa server, in-memory tracker store",
                lambda: f"Rasa server {rss_mb(server.pid):.0f} MB", {"Rasa server": server.pid})
    finally:
        server.terminate()
        server.wait(timeout=30)


def cost_by_size(title: str, run: Callable[[str], object], rounds: int = 9) -> None:
    """CPU per message of `run`, in this process, for messages of 100 B to 100 kB (median of
    `rounds`; each round's text is new, so no cache answers it)."""
    sentence = "my therapist cried again today and honestly i did not know what to say to her. "
    print(f"{title}, CPU per message in one process (median of {rounds}):")
    for size in (100, 1_000, 10_000, 100_000):
        text = (sentence * (size // len(sentence) + 1))[:size]
        times = []
        for round_ in range(rounds):
            start = time.perf_counter()
            run(text + str(round_))
            times.append(time.perf_counter() - start)
        print(f"  {size:>7} characters: {statistics.median(times) * 1000:6.1f} ms")


def measure_crisis_screen() -> None:
    """The crisis screen (safety/crisis.py: normalise, patterns, semantic layer); the Rasa server
    runs it once per message."""
    from safety.crisis import screen
    from safety.semantic import semantic_layer

    semantic_layer()
    screen("warm up")
    cost_by_size("Crisis screen", lambda text: screen(text))


def measure_understanding() -> None:
    """The situation extractor and the scope gate (understanding/); the Rasa server runs each once
    per message."""
    from understanding import scope, situation

    situation.warm_up()
    cost_by_size("Situation extractor + scope gate", lambda text: (situation.extract(text), scope.read(text)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=360, help="requests per load level (20 users: 18 each)")
    parser.add_argument("--setups", default="starter,sqlite,replicas,workers")
    parser.add_argument("--url", help="measure only this running Rasa server (REST channel enabled)")
    parser.add_argument("--pid", type=int, help="process id of the server at --url, for its memory")
    parser.add_argument("--no-screen", action="store_true", help="skip the crisis screen's cost")
    args = parser.parse_args()
    if not args.no_screen:
        measure_crisis_screen()
        measure_understanding()
    setups = [] if args.url else args.setups.split(",")
    print(f"REST channel on this machine ({os.cpu_count()} cores), {args.requests} requests per load level.")
    if args.url:
        measure(args.url.rstrip("/"), args.requests, f"server at {args.url}",
                lambda: f"{rss_mb(args.pid):.0f} MB" if args.pid else "not measured (no --pid)")
    if "starter" in setups:
        measure_starter_bot(args.requests)
    if "sqlite" in setups:
        with tempfile.TemporaryDirectory() as tmp, \
                running_assistant(Path(tmp), rasa_args=["--enable-api", "--auth-token", BENCH_API_TOKEN]) as servers:
            measure(f"http://127.0.0.1:{servers.rasa_port}", args.requests,
                    "sqlite: one Rasa server + action server, SQLite tracker store",
                    lambda: f"Rasa server {rss_mb(servers.rasa.pid):.0f} MB",
                    {"Rasa server": servers.rasa.pid, "action server": servers.actions.pid})
    for setup, replicas, workers in (("replicas", 2, 1), ("workers", 1, 2)):
        if setup not in setups:
            continue
        with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp, \
                running_deployment(Path(tmp), replicas=replicas, sanic_workers=workers) as deployment:
            measure(deployment.lb_url, args.requests,
                    f"{setup}: {replicas} Rasa server(s) x {workers} Sanic worker(s), PostgreSQL + Redis, HAProxy",
                    lambda: ", ".join(f"replica {i} {rss_mb(deployment.processes[f'rasa-{i}'].pid):.0f} MB"
                                      for i in range(replicas)),
                    {name: process.pid for name, process in deployment.processes.items()})


if __name__ == "__main__":
    main()
