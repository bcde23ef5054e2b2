"""CPU per message inside the Rasa server, with rasa_speedups and with Rasa's own code paths.

This machine's speed changes by up to 40 % within minutes, so wall-clock figures of separate runs do
not compare. Here both variants run in one process, in alternating rounds of the same 6-turn
conversations as `make bench` (real action server, SQLite tracker store in a temporary directory),
and the CPU time (`time.process_time`, one TensorFlow thread) of each message is added up.
Usage: python scripts/bench_cpu.py [--rounds N]
"""
import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.update(TF_INTRA_OP_PARALLELISM_THREADS="1", TF_INTER_OP_PARALLELISM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="2",
                  SQLALCHEMY_SILENCE_UBER_WARNING="1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import rasa_patches  # noqa: E402
import rasa_speedups  # noqa: E402
from scripts.bench import MESSAGES  # noqa: E402
from scripts.local_servers import latest_model, running_assistant  # noqa: E402


async def cpu_per_message(agent, label: str, conversations: int) -> list:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    costs = []
    for conversation in range(conversations):
        for text in MESSAGES:
            start = time.process_time()
            await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender_id=f"{label}-{conversation}"))
            costs.append(time.process_time() - start)
    return costs


async def main(rounds: int, endpoints: Path) -> None:
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.log_utils import configure_structlog

    logging.basicConfig(level=logging.WARNING)
    configure_structlog(logging.WARNING)
    rasa_patches.apply()
    agent = await load_agent(model_path=str(latest_model()), endpoints=AvailableEndpoints.read_endpoints(str(endpoints)))
    await cpu_per_message(agent, "warmup", 2)
    fast, stock = [], []
    for index in range(rounds):
        fast += await cpu_per_message(agent, f"fast-{index}", 3)
        with rasa_speedups.disabled(agent.processor.graph_runner):
            stock += await cpu_per_message(agent, f"stock-{index}", 3)
    for label, costs in (("Rasa's own code paths", stock), ("with rasa_speedups", fast)):
        print(f"  {label:22} median {1000 * statistics.median(costs):5.1f} ms CPU per message "
              f"(mean {1000 * statistics.mean(costs):.1f}, {len(costs)} messages)")
    print(f"  saved: {100 * (1 - statistics.median(fast) / statistics.median(stock)):.0f} % of the median")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp)):
        # the in-process agent talks to the action server started here and uses the same endpoints file
        # (its SQLite tracker store included; the store's own savings count on both sides)
        print(f"CPU per message in the Rasa server, this machine ({os.cpu_count()} cores), {args.rounds} rounds:")
        asyncio.run(main(args.rounds, Path(tmp) / "endpoints.yml"))
