"""Own words: no text the assistant shows shares a run of 8 or more words with a seed article outside
quotation marks (content audit, section 2). Quoted, attributed phrases stay allowed; titles, names,
credentials and places are data, not prose; `evidence` excerpts are copied from the seeds on purpose
(checked in test_evidence.py) and never shown."""
import os
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
# the project's read-only source articles sit beside the repository (../shared/seeds/)
SEEDS = Path(os.environ.get("SEEDS_DIR") or ROOT.parent / "shared" / "seeds")
RUN = 8
NOT_PROSE = {"title", "publication", "name", "credentials", "place", "seed", "id", "role", "article", "person",
             "evidence"}


def words(text: str) -> list:
    text = text.lower().replace("\u2019", "'").replace(" 's", "'s").replace("-", " ")
    return re.findall(r"[a-z0-9']+", text)


def prose(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in NOT_PROSE:
                yield from prose(value)
    elif isinstance(node, list):
        for value in node:
            yield from prose(value)


def shown_texts():
    for path in sorted((ROOT / "data" / "knowledge").glob("*.yml")) + [ROOT / "data" / "dialogue" / "messages.yml"]:
        for text in prose(yaml.safe_load(path.read_text(encoding="utf-8"))):
            yield path.name, text
    for name, variants in yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"].items():
        for variant in variants:
            yield f"domain.yml:{name}", variant.get("text") or ""


def seed_runs() -> dict:
    assert SEEDS.is_dir() and list(SEEDS.glob("*.txt")), f"the seed articles are not at {SEEDS} (set SEEDS_DIR)"
    runs = {}
    for seed in SEEDS.glob("*.txt"):
        seed_words = words(seed.read_text(encoding="utf-8"))
        for i in range(len(seed_words) - RUN + 1):
            runs.setdefault(tuple(seed_words[i:i + RUN]), seed.name)
    return runs


def copied_runs(texts, runs) -> list:
    """(where, the copied words, seed) for every unquoted run of RUN words a text shares with a seed."""
    copied = []
    for where, text in texts:
        unquoted = words(re.sub(r'"[^"]*"|\u201c[^\u201d]*\u201d', " ", text))
        for i in range(len(unquoted) - RUN + 1):
            run = tuple(unquoted[i:i + RUN])
            if run in runs:
                copied.append((where, " ".join(run), runs[run]))
    return copied


def test_no_unquoted_run_of_eight_words_from_a_seed():
    runs = seed_runs()
    assert len(runs) > 3000
    assert not copied_runs(shown_texts(), runs)


def test_a_copied_sentence_is_caught_and_a_quoted_one_is_allowed():
    runs = seed_runs()
    copied = "A therapist may react when a client has experienced a profound loss, such as the death of a child or a beloved pet."
    assert copied_runs([("x", copied)], runs)
    quoted = 'She writes of "a profound loss, such as the death of a child or a beloved pet".'
    assert not copied_runs([("x", quoted)], runs)
