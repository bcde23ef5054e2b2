"""A death or loss the client tells of, and whom it was: so the first reply says it is sorry before
it asks anything ("my therapist cried when i told her about my sister who died" was met with "Seeing
your therapist cry can stir up a lot" and a questionnaire, and no word about the sister).

Only the client's own people count ("my sister", "our dad"): "she cried about her mum dying" is the
therapist's loss, and the perspectives speak to that. Word lists are data (data/lexicon/loss.yml).
The situation extractor (components/situation_extractor.py) emits what this finds as the
`client_loss` entity, whose value the domain's thanks response names.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Optional, Tuple

import yaml

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "loss.yml"


@functools.lru_cache(maxsize=None)
def _patterns():
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    people = "|".join(sorted((re.escape(p) for p in data["people"]), key=len, reverse=True))
    before = "|".join(data["before_person"])
    person = rf"(?:my|our) (?:(?:{before}) ){{0,2}}(?P<who>{people})(?:s)?"
    named = [re.compile(p) for p in (
        rf"\b{person}\b (?:(?:who|that|when (?:he|she|they)|after (?:he|she|they)) )?{data['death_after']}\b",
        rf"\b{person} {data['death_nouns']}\b",
        rf"\b{data['loss_verbs']} {person}\b(?! for (?:a|an|the|two|2|ten) (?:day|days|night|hour|hours|minute|minutes|while|bit|week))",
        rf"\b(?:death|loss|passing|funeral|suicide) of {person}\b",
    )]
    return named, re.compile(data["pregnancy_loss"])


def _fold(text: str) -> str:
    text = (text or "").lower().replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def client_loss(text: str) -> Optional[str]:
    """Whom the client lost ("sister", "dad", "baby"), or None when the message tells of no loss of
    the client's own."""
    found = find_loss(text)
    return found[0] if found else None


def find_loss(text: str) -> Optional[Tuple[str, int, int]]:
    """Whom the client lost, and where the message names them (the span of the person's word, or
    of the words of a pregnancy lost), or None."""
    folded = _fold(text)
    named, pregnancy = _patterns()
    found = [m for m in (regex.search(folded) for regex in named) if m]
    if found:
        who = min(found, key=lambda m: m.start()).group("who")
        return who, *_span(text, re.escape(who).replace(r"\ ", r"\W+"))
    lost = pregnancy.search(folded)
    if lost:
        return "baby", *_span(text, r"\W+".join(re.escape(w) for w in lost.group(0).split()))
    return None


def _span(text: str, words: str) -> Tuple[int, int]:
    """Where `words` (folded) first occur in the raw text, as a whole word; the whole text if not
    found (a disguised spelling)."""
    match = re.search(rf"(?<![a-z]){words}(?![a-z])", (text or "").lower()) or \
        re.search(rf"(?<![a-z]){words}", (text or "").lower())
    return (match.start(), match.end()) if match else (0, len(text or ""))
