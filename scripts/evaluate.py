"""`make evaluate`: NLU figures on the held-out split, and the crisis screen's recall and false positives.

1. Uses (or trains, if data/config changed) the model trained on data/ only, then runs
   `rasa test nlu` on tests/nlu/test_split.yml, which is never used for training, and prints
   intent and entity F1 from the JSON reports Rasa writes (plus the weakest intents).
2. Screens tests/safety/crisis_corpus.yml with safety/crisis.py and prints recall on the crisis
   phrasings (must be 1.0) and the false-positive rate on the safe sentences.
Exits non-zero if crisis recall is below 1.0.
"""
import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from safety.crisis import screen  # noqa: E402

OUT = ROOT / "results" / "nlu"


def nlu_figures() -> None:
    model = subprocess.run(
        ["scripts/train_if_needed.sh"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip().splitlines()[-1]
    subprocess.run(
        [str(ROOT / ".venv/bin/rasa"), "test", "nlu", "--model", model,
         "--nlu", "tests/nlu/test_split.yml", "--out", str(OUT)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    intents = json.loads((OUT / "intent_report.json").read_text())
    entities = json.loads((OUT / "DIETClassifier_report.json").read_text())
    print(f"NLU on held-out split (model {model}):")
    print(f"  intent   F1 (weighted) {intents['weighted avg']['f1-score']:.3f}   "
          f"accuracy {intents['accuracy']:.3f}   n={intents['weighted avg']['support']}")
    print(f"  entities F1 (weighted) {entities['weighted avg']['f1-score']:.3f}   "
          f"n={entities['weighted avg']['support']}")
    per_intent = {k: v for k, v in intents.items() if isinstance(v, dict) and "support" in v and " avg" not in k}
    weakest = sorted(per_intent.items(), key=lambda kv: kv[1]["f1-score"])[:5]
    print("  weakest intents: " + ", ".join(f"{k} {v['f1-score']:.2f}" for k, v in weakest))


def crisis_figures() -> bool:
    corpus = yaml.safe_load((ROOT / "tests/safety/crisis_corpus.yml").read_text(encoding="utf-8"))
    missed = [t for t in corpus["crisis"] if not screen(t).is_crisis]
    flagged = [t for t in corpus["safe"] if screen(t).is_crisis]
    recall = 1 - len(missed) / len(corpus["crisis"])
    fpr = len(flagged) / len(corpus["safe"])
    print("Crisis safety net (tests/safety/crisis_corpus.yml):")
    print(f"  recall {recall:.3f} on {len(corpus['crisis'])} crisis phrasings"
          + (f"   MISSED: {missed}" if missed else ""))
    print(f"  false-positive rate {fpr:.3f} on {len(corpus['safe'])} safe sentences"
          + (f"   flagged: {flagged}" if flagged else ""))
    return recall == 1.0


if __name__ == "__main__":
    nlu_figures()
    sys.exit(0 if crisis_figures() else 1)
