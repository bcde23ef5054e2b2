"""`make bench`: latency and throughput of the REST channel, measured on this machine.

Starts the single-process setup (Rasa server + action server, SQLite tracker store) on loopback and
sends REST messages from 1 and from 20 concurrent simulated users, each user holding its own
conversation. Prints p50/p95 latency, requests per second and the Rasa server's memory (RSS).
The two-replica PostgreSQL/Redis setup is issue 5's next step and will be added here.
Usage: python scripts/bench.py [--requests N]
"""
import argparse
import concurrent.futures
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.local_servers import running_assistant  # noqa: E402

MESSAGES = [
    "hi",
    "is it normal for a therapist to cry?",
    "was it professional of her?",
    "what does the research say",
    "another perspective please",
    "thanks, bye",
]


def send(port: int, sender: str, message: str) -> float:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        response.read()
    return time.perf_counter() - start


def run_load(port: int, users: int, requests_per_user: int, label: str) -> dict:
    def user(index: int) -> list:
        # one conversation per len(MESSAGES) turns, as real conversations are short
        return [send(port, f"bench-{label}-{users}-{index}-{i // len(MESSAGES)}", MESSAGES[i % len(MESSAGES)])
                for i in range(requests_per_user)]

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=users) as pool:
        latencies = [lat for result in pool.map(user, range(users)) for lat in result]
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "users": users, "requests": len(latencies),
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "rps": len(latencies) / elapsed,
    }


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=120, help="requests per load level")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp)) as servers:
        run_load(servers.rasa_port, 2, 6, "warmup")
        print("REST channel, single process (Rasa + action server, SQLite tracker store), this machine:")
        for users in (1, 20):
            result = run_load(servers.rasa_port, users, max(1, args.requests // users), "load")
            print(f"  {result['users']:>2} concurrent users: {result['requests']} requests  "
                  f"p50 {result['p50_ms']:.0f} ms  p95 {result['p95_ms']:.0f} ms  {result['rps']:.1f} req/s")
        print(f"  Rasa server memory (RSS): {rss_mb(servers.rasa.pid):.0f} MB")


if __name__ == "__main__":
    main()
