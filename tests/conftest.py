"""Shared test helpers: build rasa_sdk trackers from small dicts and run actions on them."""
import asyncio
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rasa_sdk import Tracker  # noqa: E402
from rasa_sdk.executor import CollectingDispatcher  # noqa: E402

SLOTS_DEFAULT = {
    "crying_intensity": None,
    "crying_frequency": None,
    "crying_focus": None,
    "client_feeling": None,
    "perspectives_shared": [],
    "current_topics": [],
    "shown_privacy": False,
    "form_retries": 0,
    "requested_slot": None,
    "locale": None,
    "crisis_disclosed": None,
    "speaker": None,
}


def make_tracker(
    text: str = "",
    intent: Optional[str] = None,
    slots: Optional[Dict[str, Any]] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    intent_ranking: Optional[List[Dict[str, Any]]] = None,
    latest_action_name: str = "action_listen",
) -> Tracker:
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": entities or [],
        "intent_ranking": intent_ranking or [],
    }
    return Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": {**SLOTS_DEFAULT, **(slots or {})},
            "latest_message": latest_message,
            "events": events or [],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": latest_action_name,
            "latest_action": {"action_name": latest_action_name},
        }
    )


def run_action(action, tracker: Tracker, domain: Optional[Dict[str, Any]] = None):
    """Run an action; return (events, messages)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain or {}))
    return events, dispatcher.messages


def slot_events(events) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(messages) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


# --- skipped tests are counted, and under CI=true they fail the run ----------------------------------
# A suite skipped for a missing system package (nginx, chromium, PostgreSQL...) would otherwise turn
# green silently. `make test` installs them; in CI a skip means the check did not run.
def _skipped(config) -> list:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return list(reporter.stats.get("skipped", [])) if reporter else []


def pytest_sessionfinish(session, exitstatus):
    skipped = _skipped(session.config)
    suite = "-".join(Path(a).name for a in session.config.args) or "tests"
    results = ROOT / "results"
    results.mkdir(exist_ok=True)
    reasons = sorted({str(r.longrepr[-1]) if isinstance(r.longrepr, tuple) else str(r.longrepr) for r in skipped})
    (results / f"skipped.{suite}.txt").write_text(
        f"{suite}: {len(skipped)} skipped" + "".join(f"\n  {reason}" for reason in reasons) + "\n")
    if os.environ.get("CI", "").lower() == "true" and skipped and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = _skipped(config)
    terminalreporter.write_line(f"Skipped tests: {len(skipped)}")
    if os.environ.get("CI", "").lower() == "true" and skipped:
        terminalreporter.write_line("CI=true: a skipped test is a failure here (make test installs what they need).")
