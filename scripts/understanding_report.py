"""What the trained NLU understands of messages it never saw: scope, routing and situation values.

Loads the model once (no servers) and parses the evaluation sets in tests/nlu/eval/:
- first messages about a therapist crying (`first_messages.yml`, `situation_dev.yml`): how many reach
  the therapist flow, and per slot the precision and recall of the situation values (a value counts
  as filled only when it is canonical; a raw word in a slot counts as wrong);
- short answers to one form question (`situation_dev.yml`, `answers`): the value the form would take;
- off-topic sets (`off_topic.yml`, `scope_dev.yml`): everyday queries answered as out of scope (or a
  "did you mean"), other people's tears and sadness kept out of the therapist flow, false crisis replies.

    .venv/bin/python scripts/understanding_report.py [--model M] [--verbose] [sets...]
"""
import argparse
import asyncio
import collections
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = ROOT / "tests" / "nlu" / "eval"

SLOTS = ("crying_intensity", "crying_frequency", "crying_focus", "client_feeling")
VALUES = {"crying_intensity": {"tearful", "sobbing"}, "crying_frequency": {"once", "repeated"},
          "crying_focus": {"client_story", "therapist_own_life"},
          "client_feeling": {"uncomfortable", "responsible", "cared_for", "confused"}}
# intents that take a message into the therapist flow (the situation form or guidance)
FLOW_INTENTS = {
    "describe_therapist_crying", "share_loss", "feel_uncomfortable", "feel_annoyed", "feel_responsible",
    "feel_cared_for", "feel_confused", "ask_is_it_normal", "ask_is_it_professional", "ask_why_therapists_cry",
    "ask_research", "ask_effect_on_therapy", "ask_how_to_raise_it", "ask_should_i_leave", "ask_more_perspectives",
    "report_boundary_concern", "identify_as_therapist", "ask_tell_therapist_about_thoughts",
}
OUT_OF_SCOPE_ANSWERS = {"out_of_scope", "nlu_fallback"}
FEELING_INTENTS = {"feel_uncomfortable": "uncomfortable", "feel_annoyed": "uncomfortable",
                   "feel_responsible": "responsible",
                   "feel_cared_for": "cared_for", "feel_confused": "confused"}


def latest_model() -> str:
    out = subprocess.run(["scripts/train_if_needed.sh"], cwd=ROOT, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


class Parser:
    def __init__(self, model: str):
        import logging

        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)  # unconfigured, structlog prints every parse (and its text)
        self.agent = Agent.load(str(ROOT / model))
        self.loop = asyncio.new_event_loop()

    def parse(self, text: str) -> dict:
        return self.loop.run_until_complete(self.agent.parse_message(text))


def values_from_parse(parse: dict, requested: Optional[str] = None) -> Dict[str, str]:
    """The slot values this parse fills, the way the domain's mappings take them."""
    found: Dict[str, str] = {}
    for entity in parse.get("entities") or []:
        slot, role = entity.get("entity"), entity.get("role")
        if slot not in VALUES:
            continue
        if role == "answer" and slot != requested:
            continue
        found.setdefault(slot, entity.get("value"))
    intent = (parse.get("intent") or {}).get("name")
    if intent in FEELING_INTENTS and "client_feeling" not in found:
        found["client_feeling"] = FEELING_INTENTS[intent]
    return found


def load(name: str) -> dict:
    path = EVAL / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def extraction(parser: Parser, messages: List[dict], verbose: bool, label: str) -> dict:
    counts = {slot: collections.Counter() for slot in SLOTS}
    reached = 0
    for item in messages:
        parse = parser.parse(item["text"])
        intent = (parse.get("intent") or {}).get("name")
        reached += intent in FLOW_INTENTS or intent == "crisis"
        got = values_from_parse(parse)
        want = item.get("values") or {}
        for slot in SLOTS:
            g, w = got.get(slot), want.get(slot)
            if g is not None and g == w:
                counts[slot]["tp"] += 1
            elif g is not None:
                counts[slot]["fp"] += 1
                if w is not None:
                    counts[slot]["fn"] += 1
                if verbose:
                    print(f"    WRONG {slot}={g!r} (want {w}): {item['text'][:110]}")
            elif w is not None:
                counts[slot]["fn"] += 1
                if verbose:
                    print(f"    MISSED {slot}={w}: {item['text'][:110]}")
        if verbose and intent not in FLOW_INTENTS:
            print(f"    NOT IN FLOW ({intent}): {item['text'][:110]}")
    print(f"  {label}: {len(messages)} messages, {reached / max(len(messages), 1):.1%} reach the flow")
    total = collections.Counter()
    for slot in SLOTS:
        c = counts[slot]
        total.update(c)
        print(f"    {slot:17s} precision {c['tp'] / max(c['tp'] + c['fp'], 1):.3f}  "
              f"recall {c['tp'] / max(c['tp'] + c['fn'], 1):.3f}  wrong {c['fp']}")
    print(f"    all values        filled {total['tp']}/{total['tp'] + total['fn']} "
          f"({total['tp'] / max(total['tp'] + total['fn'], 1):.1%}), wrong {total['fp']}")
    return {"wrong": total["fp"], "filled": total["tp"], "stated": total["tp"] + total["fn"]}


def answers(parser: Parser, items: List[dict], verbose: bool) -> dict:
    right = wrong = missed = 0
    for item in items:
        got = values_from_parse(parser.parse(item["text"]), requested=item["asked"]).get(item["asked"])
        want = item.get("value")
        if got == want:
            right += got is not None
        elif got is None:
            missed += 1
            if verbose:
                print(f"    MISSED {item['asked']}={want}: {item['text']}")
        else:
            wrong += 1
            if verbose:
                print(f"    WRONG {item['asked']}={got!r} (want {want}): {item['text']}")
    stated = sum(1 for i in items if i.get("value") is not None)
    print(f"  answers to a form question: {right}/{stated} taken ({right / max(stated, 1):.1%}), wrong {wrong}")
    return {"wrong": wrong}


def scope(parser: Parser, groups: Dict[str, List[str]], verbose: bool, label: str) -> None:
    for group, texts in groups.items():
        if group == "in_domain":
            inside = [t for t in texts if (parser.parse(t).get("intent") or {}).get("name") in FLOW_INTENTS]
            print(f"  {label} {group}: {len(inside)}/{len(texts)} reach the flow ({len(inside) / len(texts):.1%})")
            if verbose:
                for t in texts:
                    if t not in inside:
                        print(f"    NOT IN FLOW: {t[:110]}")
            continue
        intents = collections.Counter()
        for text in texts:
            name = (parser.parse(text).get("intent") or {}).get("name")
            intents[name] += 1
            wrong = name in FLOW_INTENTS or name == "crisis" or (group == "everyday" and name not in OUT_OF_SCOPE_ANSWERS)
            if verbose and wrong:
                print(f"    {group} -> {name}: {text[:110]}")
        n = len(texts)
        kept = n - sum(intents[i] for i in FLOW_INTENTS) - intents["crisis"]
        line = f"  {label} {group}: {n} messages, kept out of the flow {kept / n:.1%}, crisis reply {intents['crisis']}"
        if group == "everyday":
            line += f", out of scope or did-you-mean {sum(intents[i] for i in OUT_OF_SCOPE_ANSWERS) / n:.1%}"
        print(line + "   " + ", ".join(f"{k} {v}" for k, v in intents.most_common(4)))


def blind_intents(parser: Parser, name: str, verbose: bool) -> Optional[float]:
    """Intent accuracy on a blind set (tests/nlu/eval/intents_blind*.yml, Rasa NLU format): the
    intent the whole pipeline ends on (screen, question reader, scope gate included), as the
    server sees it. A crisis reading of a line written without danger counts as a miss."""
    from rasa.shared.nlu.training_data.loading import load_data

    path = EVAL / name
    if not path.exists():
        return None
    examples = [(m.get("intent"), m.get("text")) for m in load_data(str(path)).intent_examples]
    read = [(intent, (parser.parse(text).get("intent") or {}).get("name"), text) for intent, text in examples]
    wrong = [(intent, got, text) for intent, got, text in read if got != intent]
    misses = collections.Counter(intent for intent, _, _ in wrong)
    accuracy = 1 - len(wrong) / len(examples)
    per_intent = collections.Counter(intent for intent, _ in examples)
    weakest = sorted(per_intent, key=lambda i: misses[i] / per_intent[i], reverse=True)[:5]
    print(f"  {name}: intent accuracy {accuracy:.3f} (n={len(examples)}, {len(per_intent)} intents); "
          "weakest: " + ", ".join(f"{i} {1 - misses[i] / per_intent[i]:.2f}" for i in weakest))
    crisis = [text for intent, got, text in wrong if got == "crisis"]
    if crisis:
        print(f"    read as a crisis: {crisis}")
    if verbose:
        for intent, got, text in wrong:
            print(f"    {intent} -> {got}: {text}")
    return accuracy


def report(parser: Parser, name: str, verbose: bool) -> int:
    """Reports one evaluation set by what it holds; returns the count of situation values filled wrong."""
    data = load(name)
    if "nlu" in data:
        blind_intents(parser, name, verbose)
        return 0
    wrong = 0
    if data.get("messages"):
        wrong += extraction(parser, data["messages"], verbose, name)["wrong"]
    if data.get("answers"):
        answers(parser, data["answers"], verbose)
    # forum_dev.yml's accounts of a therapist crying must reach the flow, like in_domain;
    # annotated accounts (a list of texts with values) are read for their values instead
    lists = {k: v for k, v in data.items() if isinstance(v, list) and k not in ("messages", "answers")}
    annotated = {k: v for k, v in lists.items() if v and isinstance(v[0], dict)}
    scope(parser, {("in_domain" if k == "therapist_cried" else k): v for k, v in lists.items()
                   if k not in annotated}, verbose, name)
    for key, items in annotated.items():
        wrong += extraction(parser, items, verbose, f"{name} {key}")["wrong"]
    return wrong


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("sets", nargs="*", help="file names in tests/nlu/eval/ (default: all of them)")
    args = ap.parse_args(argv)
    model = args.model or latest_model()
    parser = Parser(model)
    print(f"Understanding on unseen messages (model {model}):")
    names = args.sets or [p.name for p in sorted(EVAL.glob("*.yml")) if not p.name.startswith("intents_blind")]
    for name in names:
        report(parser, name, args.verbose)
    if not args.sets:
        print("Intents on blind sets (written without seeing the training data or the model's errors):")
        for path in sorted(EVAL.glob("intents_blind*.yml")):
            blind_intents(parser, path.name, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
