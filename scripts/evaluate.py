"""`make evaluate`: NLU figures on the held-out split, understanding of unseen messages, and the crisis
screen's recall and false positives. `--gate` runs only the intent-accuracy gate that `make test` uses.

1. Uses (or trains, if data/config changed) the model trained on data/ only, then runs
   `rasa test nlu` on tests/nlu/test_split.yml, which is never used for training, and prints
   intent and entity F1 from the JSON reports Rasa writes (plus the weakest intents).
2. Screens the crisis corpora (tests/safety/corpus/: train, held-out, other languages, and the first
   corpus) with safety/crisis.py and prints recall, the full reply's false alarms by tier and which
   layer caught each message (scripts/crisis_report.py).
3. Parses the evaluation sets in tests/nlu/eval/ with the trained model (scripts/understanding_report.py):
   per slot precision and recall of the situation values, out-of-scope precision and recall, the
   share of sad-but-not-therapist messages kept out of the flow, and answers to one form question.
Exits non-zero if held-out intent accuracy is below 0.95, held-out crisis recall is below 1.0 or the
full reply fires on more than 2 % of the held-out sad-but-safe sentences (the same gates as
tests/unit/test_crisis_gates.py).
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "results" / "nlu"


INTENT_ACCURACY_GATE = 0.95


def nlu_figures() -> float:
    model = subprocess.run(
        ["scripts/train_if_needed.sh"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip().splitlines()[-1]
    subprocess.run(
        [str(ROOT / ".venv/bin/rasa"), "test", "nlu", "--model", model,
         "--nlu", "tests/nlu/test_split.yml", "--out", str(OUT)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    intents = json.loads((OUT / "intent_report.json").read_text())
    entities = json.loads((OUT / "SituationExtractor_report.json").read_text())
    print(f"NLU on held-out split (model {model}):")
    print(f"  intent   F1 (weighted) {intents['weighted avg']['f1-score']:.3f}   "
          f"accuracy {intents['accuracy']:.3f}   n={intents['weighted avg']['support']}")
    print(f"  entities F1 (weighted) {entities['weighted avg']['f1-score']:.3f}   "
          f"n={entities['weighted avg']['support']}")
    per_intent = {k: v for k, v in intents.items() if isinstance(v, dict) and "support" in v and " avg" not in k}
    weakest = sorted(per_intent.items(), key=lambda kv: kv[1]["f1-score"])[:5]
    print("  weakest intents: " + ", ".join(f"{k} {v['f1-score']:.2f}" for k, v in weakest))
    return intents["accuracy"]


def crisis_figures() -> bool:
    """Recall, false alarms by tier and the layer that caught each message, on every corpus part."""
    from scripts.crisis_report import report

    figures = {name: report(name, verbose=True) for name in ("train", "heldout", "multilingual")}
    report("first", verbose=True, path=ROOT / "tests/safety/crisis_corpus.yml")
    held = figures["heldout"]
    return held["recall"] == 1.0 and held["full_false_alarm_rate"] <= 0.02


if __name__ == "__main__":
    accuracy = nlu_figures()
    if accuracy < INTENT_ACCURACY_GATE:
        print(f"FAILED: held-out intent accuracy {accuracy:.3f} is below {INTENT_ACCURACY_GATE}")
    if "--gate" in sys.argv:
        sys.exit(0 if accuracy >= INTENT_ACCURACY_GATE else 1)
    from scripts.understanding_report import main as understanding

    understanding([])
    crisis_ok = crisis_figures()
    sys.exit(0 if crisis_ok and accuracy >= INTENT_ACCURACY_GATE else 1)
