"""Screen the crisis corpora and print recall, false alarms by tier and which layer caught what.

`make evaluate` prints it; tests/unit/test_crisis_gates.py enforces the gates on the held-out part.
"""
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from safety.crisis import FULL_TIERS, screen  # noqa: E402

CORPUS = ROOT / "tests" / "safety" / "corpus"


def report(name: str, verbose: bool = False, path=None) -> dict:
    """Figures for one corpus: tests/safety/corpus/<name>.yml, or `path`; entries are dicts with a
    `text` (and `tier`, `kind`) or plain strings (the first corpus)."""
    data = yaml.safe_load((path or CORPUS / f"{name}.yml").read_text(encoding="utf-8"))
    crisis = [e if isinstance(e, dict) else {"text": e} for e in data.get("crisis") or []]
    safe = [e if isinstance(e, dict) else {"text": e} for e in data.get("safe") or []]
    missed, layers, gentle_only = [], Counter(), []
    for entry in crisis:
        result = screen(entry["text"])
        if not result.is_crisis:
            missed.append(entry)
        else:
            layers[result.layer] += 1
            if not result.full_reply:
                gentle_only.append(entry)
    full_alarms, tiers_on_safe = [], Counter()
    for entry in safe:
        result = screen(entry["text"])
        if result.is_crisis:
            tiers_on_safe[result.tier] += 1
        if result.full_reply:
            full_alarms.append((entry, result))
    figures = {
        "crisis": len(crisis), "safe": len(safe),
        "recall": 1 - len(missed) / max(1, len(crisis)),
        "full_recall": 1 - (len(missed) + len(gentle_only)) / max(1, len(crisis)),
        "full_false_alarm_rate": len(full_alarms) / max(1, len(safe)),
        "missed": missed, "full_alarms": full_alarms, "gentle_only": gentle_only,
        "layers": layers, "tiers_on_safe": tiers_on_safe,
    }
    print(f"Crisis screen on {(path or CORPUS / (name + '.yml')).name}: {len(crisis)} crisis phrasings, {len(safe)} sad-but-safe sentences")
    print(f"  contacts shown (recall)       {figures['recall']:.3f}   full reply {figures['full_recall']:.3f}")
    print(f"  caught by layer               " + ", ".join(f"{k} {v}" for k, v in sorted(layers.items())))
    print(f"  full reply on safe sentences  {figures['full_false_alarm_rate']:.3f}   "
          f"any tier on safe: " + (", ".join(f"{k} {v}" for k, v in sorted(tiers_on_safe.items())) or "none"))
    if verbose:
        for entry in missed:
            print(f"    MISSED [{entry.get('tier')}/{entry.get('kind', '')}] {entry['text'][:150]}")
        for entry, result in full_alarms:
            print(f"    ALARM {result.tier}/{result.layer} [{entry.get('kind', '')}] {entry['text'][:110]} <- {result.reason[:60]}")
    return figures


if __name__ == "__main__":
    verbose = "-v" in sys.argv
    start = time.perf_counter()
    for name in [a for a in sys.argv[1:] if not a.startswith("-")] or ["train", "heldout", "dev_forum", "dev_forum_2", "dev_forum_3", "multilingual"]:
        report(name, verbose)
    print(f"  ({time.perf_counter() - start:.1f} s)")
