"""The NLU training examples as plain sentences, for the crisis screen's own use of them.

The semantic layer learns from them what ordinary and sad messages look like, and the pattern
prefilter measures how common a literal is in them; both read them here, in one way.
"""
import re
from pathlib import Path
from typing import Any, Dict, List

import yaml

NLU_DIR = Path(__file__).resolve().parent.parent / "data" / "nlu"
_ANNOTATION = re.compile(r"\[([^\]]+)\]\{[^}]*\}|\[([^\]]+)\]\([^)]*\)")


def nlu_blocks() -> List[Dict[str, Any]]:
    """Every intent block of data/nlu/*.yml, in file order."""
    return [block for path in sorted(NLU_DIR.glob("*.yml"))
            for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []
            if "intent" in block]


def example_lines(block: Dict[str, Any]) -> List[str]:
    """The block's examples with entity annotations reduced to their text."""
    lines = []
    for line in (block.get("examples") or "").splitlines():
        line = line.strip()[2:] if line.strip().startswith("- ") else ""
        line = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2), line)
        if line:
            lines.append(line)
    return lines
