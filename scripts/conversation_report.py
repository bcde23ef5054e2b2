"""Whole conversations, measured on the real servers: is anything asked twice?

Runs every conversation of the draft files (a name and the user's messages, as for
scripts/record_test_story.py) through the Rasa server and the action server, reads each tracker,
and prints per file:
- form questions asked again for a value already given (the goal is 0): the form set
  `requested_slot` to a slot that already held a value;
- questions repeated after a miss: the same question asked on two turns in a row, when nothing else
  answered the message and no other value was taken from it;
- turns that got the "did you mean" or the fallback, and turns that got crisis contacts.

    .venv/bin/python scripts/conversation_report.py tests/e2e/conversations.yml tests/e2e/conversations_dev.yml
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, List

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.local_servers import running_assistant  # noqa: E402
from scripts.record_test_story import TOKEN, _post, _tracker  # noqa: E402

SITUATION_SLOTS = ("crying_intensity", "crying_frequency", "crying_focus", "client_feeling")
NOT_UNDERSTOOD = {"action_clarify_intent", "action_default_fallback"}
CRISIS = {"utter_crisis_support", "action_crisis_support"}


def measure(events: List[Dict[str, Any]], examples: Dict[str, List[str]]) -> Counter:
    """The counts for one conversation's events; `examples` collects the user texts behind them."""
    counts: Counter = Counter()
    values: Dict[str, Any] = {}
    last_asked, asked_this_turn, answered_otherwise, text = None, None, False, ""
    filled_before: Dict[str, Any] = {}
    for event in events:
        kind, name = event.get("event"), event.get("name")
        if kind == "user":
            counts["turns"] += 1
            last_asked, asked_this_turn, answered_otherwise = asked_this_turn or last_asked, None, False
            filled_before = dict(values)
            text = event.get("text") or ""
        elif kind == "slot" and name in SITUATION_SLOTS:
            values[name] = event.get("value")
        elif kind == "slot" and name == "requested_slot" and event.get("value"):
            slot = event["value"]
            if values.get(slot) is not None:
                counts["asked again for a value already given"] += 1
                examples["asked again for a value already given"].append(text)
            elif slot == last_asked and asked_this_turn is None and not answered_otherwise and \
                    values == filled_before:  # nothing was taken from the message: a real miss
                counts["question repeated after a miss"] += 1  # the form alone answered: it asked again
                examples["question repeated after a miss"].append(text)
            asked_this_turn = slot
        elif kind == "action" and name in NOT_UNDERSTOOD:
            counts["turns not understood (did you mean / fallback)"] += 1
            examples["turns not understood (did you mean / fallback)"].append(text)
        elif kind == "action" and name in CRISIS:
            counts["turns with crisis contacts"] += 1
            examples["turns with crisis contacts"].append(text)
        if kind == "action" and name not in ("situation_form", "action_extract_slots", "action_listen"):
            answered_otherwise = True  # a question answered, then the form resumed: not a miss
    counts["situation values filled"] += sum(1 for v in values.values() if v not in (None, "unknown"))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("drafts", type=Path, nargs="+")
    parser.add_argument("--examples", type=int, default=0, help="print up to N user texts behind each count")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir, \
            running_assistant(Path(workdir), rasa_args=["--enable-api", "--auth-token", TOKEN]) as servers:
        for path in args.drafts:
            totals: Counter = Counter()
            examples: Dict[str, List[str]] = defaultdict(list)
            conversations = yaml.safe_load(path.read_text(encoding="utf-8"))
            for draft in conversations:
                sender = f"report-{uuid.uuid4().hex[:8]}"
                for text in draft["turns"]:
                    _post(servers.rasa_port, "/webhooks/rest/webhook", {"sender": sender, "message": text})
                totals += measure(_tracker(servers.rasa_port, sender)["events"], examples)
            print(f"{path} ({len(conversations)} conversations, {totals['turns']} user turns):")
            for key in ("asked again for a value already given", "question repeated after a miss",
                        "turns not understood (did you mean / fallback)", "turns with crisis contacts",
                        "situation values filled"):
                print(f"  {key:48} {totals[key]}")
                if args.examples:
                    for text in examples.get(key, [])[:args.examples]:
                        print(f"      {text[:110]}")


if __name__ == "__main__":
    main()
