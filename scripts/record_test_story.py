"""Draft end-to-end test stories from real conversations with the assistant.

Writing an e2e story by hand means writing down, for every user turn, the intent and the exact
entities (with their character spans) the NLU should find, and every action and slot the dialogue
should produce. This runs each conversation of a draft file (a name and the user's messages)
through the real servers (scripts/local_servers.py: Rasa server and action server, trained model),
and writes what happened as a test story with the NLU's entities as inline markup. It is a draft:
read every turn and correct what the assistant got wrong (then fix the assistant, not the story)
before it goes into tests/e2e/, where `make story-tests` checks it with `rasa test core --e2e`.

    .venv/bin/python scripts/record_test_story.py drafts.yml > story.yml

Draft format: a list of {name: ..., turns: [user message, ...]}.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, List

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.local_servers import running_assistant  # noqa: E402

TOKEN = uuid.uuid4().hex
# run by Rasa itself, never predicted by a policy: not part of a story
SKIPPED_ACTIONS = {"action_listen", "action_session_start", "action_extract_slots"}
SKIPPED_SLOTS = {"shown_privacy"}  # set by actions for their own bookkeeping, no dialogue depends on it


def _post(port: int, path: str, body: Dict[str, Any]) -> Any:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def _tracker(port: int, sender: str) -> Dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/conversations/{sender}/tracker?token={TOKEN}",
                                timeout=60) as response:
        return json.loads(response.read())


def marked_up(text: str, entities: List[Dict[str, Any]]) -> str:
    """The text with its entities as Rasa's inline markup: `[span]{"entity": ..., "value": ...}`, or a
    list `[span][{...}, {...}]` for several on one span (a value and the same value as an answer)."""
    by_span: Dict[tuple, List[Dict[str, Any]]] = {}
    for entity in entities:
        if entity.get("end", 0) > entity.get("start", 0):
            value = entity["value"]  # Rasa's test compares values as strings, and markup takes no booleans
            markup = {"entity": entity["entity"], "value": str(value) if isinstance(value, bool) else value}
            if entity.get("role"):
                markup["role"] = entity["role"]
            found = by_span.setdefault((entity["start"], entity["end"]), [])
            if markup not in found:
                found.append(markup)
    out, last = [], 0
    for (start, end), found in sorted(by_span.items()):
        if start < last:
            continue  # spans that overlap cannot be marked up; the check will show the difference
        annotation = json.dumps(found[0]) if len(found) == 1 else json.dumps(found)
        out += [text[last:start], f"[{text[start:end]}]{annotation}"]
        last = end
    return "".join(out + [text[last:]])


def story_steps(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    steps: List[Dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            parse = event.get("parse_data") or {}
            steps.append({"user": marked_up(event.get("text") or "", parse.get("entities") or []),
                          "intent": (parse.get("intent") or {}).get("name")})
        elif kind == "action" and event.get("name") not in SKIPPED_ACTIONS:
            steps.append({"action": event["name"]})
        elif kind == "slot" and event.get("name") not in SKIPPED_SLOTS:
            steps.append({"slot_was_set": [{event["name"]: event.get("value")}]})
        elif kind == "active_loop":
            steps.append({"active_loop": event.get("name")})
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("drafts", type=Path)
    args = parser.parse_args()
    drafts = yaml.safe_load(args.drafts.read_text(encoding="utf-8"))
    stories = []
    with tempfile.TemporaryDirectory() as workdir, \
            running_assistant(Path(workdir), rasa_args=["--enable-api", "--auth-token", TOKEN]) as servers:
        for draft in drafts:
            sender = f"record-{uuid.uuid4().hex[:8]}"
            for text in draft["turns"]:
                _post(servers.rasa_port, "/webhooks/rest/webhook", {"sender": sender, "message": text})
            stories.append({"story": draft["name"], "steps": story_steps(_tracker(servers.rasa_port, sender)["events"])})
    yaml.safe_dump({"version": "3.1", "stories": stories}, sys.stdout, sort_keys=False, allow_unicode=True, width=120)


if __name__ == "__main__":
    main()
