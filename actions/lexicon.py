"""The words clients use for each situation value, read from data/nlu/synonyms.yml.

The same synonym lists that train EntitySynonymMapper also (1) normalise an entity value the mapper
did not know ("teared up a bit" -> tearful) and (2) find an answer in free text when the entity
extractor found none. One list, so NLU and form validation never disagree.
"""
import functools
import re
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

SYNONYMS_FILE = Path(__file__).resolve().parent.parent / "data" / "nlu" / "synonyms.yml"

SLOT_VALUES: Dict[str, Tuple[str, ...]] = {
    "crying_intensity": ("tearful", "sobbing"),
    "crying_frequency": ("once", "repeated"),
    "crying_focus": ("client_story", "therapist_own_life"),
    "client_feeling": ("uncomfortable", "responsible", "cared_for", "confused"),
}


@functools.lru_cache(maxsize=None)
def _phrases() -> Dict[str, List[Tuple[str, str]]]:
    """slot -> [(phrase, canonical value)], longest phrase first so the most specific wins."""
    with open(SYNONYMS_FILE, encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)["nlu"]
    by_value = {
        entry["synonym"]: [line[2:].strip().lower() for line in entry["examples"].splitlines() if line.strip()]
        for entry in entries
        if "synonym" in entry
    }
    table: Dict[str, List[Tuple[str, str]]] = {}
    for slot, values in SLOT_VALUES.items():
        pairs = [(phrase, value) for value in values for phrase in by_value.get(value, []) + [value]]
        table[slot] = sorted(pairs, key=lambda pair: -len(pair[0]))
    return table


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip()


def normalise(slot: str, value: object) -> Optional[str]:
    """Canonical value for an extracted entity or button value, or None if it cannot be mapped."""
    if not isinstance(value, str):
        return None
    as_value = _clean(value).replace(" ", "_")
    if as_value in SLOT_VALUES.get(slot, ()) or as_value == "unknown":
        return as_value
    return find_in_text(slot, value)


# Phrases that answer a direct question well ("just once", "moved") but mean something else in a
# free description ("she was moved", "once upon a time"): find_in_text(..., unambiguous=True) skips them.
AMBIGUOUS = {
    "again", "often", "today", "yesterday", "once", "tears", "sob", "lost it", "a lot", "each time",
    "every time", "last week", "last session", "first time", "the first time", "my situation",
    "about me", "my experience", "my pain", "off", "lost", "moved", "seen", "heard", "touched",
    "special", "thrown", "mixed", "weird", "upset", "angry", "loved", "torn", "surprised", "shocked",
    "relieved", "supported", "valued", "grateful", "hold back", "guilt", "lost control", "twice",
    "a burden", "my dad", "my mum", "my mom", "my father", "my mother", "my son", "my daughter",
    "my brother", "my sister", "my husband", "my wife", "my partner", "my dog", "my cat", "my baby",
    "her dad", "her mum", "her mom", "her mother", "her father", "his dad", "his father", "his mother",
    "her son", "her daughter", "her kids", "her dog", "his dog", "her husband", "his wife", "her past",
    "his past", "the story i told", "what i said", "mixed feelings",
}


def find_in_text(slot: str, text: str, unambiguous: bool = False) -> Optional[str]:
    """The value of `slot` that the longest known phrase in `text` points to, if any."""
    clean = _clean(text or "")
    for phrase, canonical in _phrases().get(slot, []):
        if unambiguous and (phrase in AMBIGUOUS or phrase == canonical):
            continue
        if re.search(rf"\b{re.escape(phrase)}\b", clean):
            return canonical
    return None
