"""The texts of data/dialogue/messages.yml, read once per process.

Shared by the action server (actions/common.py) and the Rasa server's channels, which answer with
the "temporarily unavailable" text when a turn fails; it lives here so that channels/ never imports
the action server's package.
"""
import functools
from pathlib import Path
from typing import Any, Dict

import yaml

MESSAGES_FILE = Path(__file__).resolve().parent.parent / "data" / "dialogue" / "messages.yml"


@functools.lru_cache(maxsize=None)
def messages() -> Dict[str, Dict[str, Any]]:
    with open(MESSAGES_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["messages"]
