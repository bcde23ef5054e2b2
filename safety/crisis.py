"""Deterministic crisis screening of raw user text.

The intent classifier is good at paraphrases but can be unsure exactly when it matters most. This
module is the safety net: a curated list of patterns (data/safety/crisis_patterns.yml) that catches
clear crisis language every time, so a message about suicide, self-harm or danger always reaches
action_crisis_support. It over-includes on purpose: a mention of suicide that is not about the writer
still gets resources, just gently.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Pattern, Sequence, Tuple

import yaml

from safety.text import clean_text

PATTERNS_FILE = Path(
    os.environ.get(
        "CRISIS_PATTERNS_FILE",
        Path(__file__).resolve().parent.parent / "data" / "safety" / "crisis_patterns.yml",
    )
)

# Most urgent first; the first tier with a (non-negated) match wins.
TIERS: Tuple[str, ...] = ("imminent", "suicidal", "danger", "misconduct", "distress", "mention")


@dataclass(frozen=True)
class Screening:
    """Result of screening one message: the tier (None when nothing matched) and what matched."""

    tier: Optional[str]
    matches: Tuple[str, ...] = ()

    @property
    def is_crisis(self) -> bool:
        return self.tier is not None


@dataclass(frozen=True)
class _Patterns:
    tiers: Tuple[Tuple[str, Tuple[Pattern[str], ...]], ...]
    negation_before: Pattern[str]


@functools.lru_cache(maxsize=None)
def _patterns() -> _Patterns:
    with open(PATTERNS_FILE, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    tiers = tuple(
        (tier, tuple(re.compile(p, re.IGNORECASE) for p in data["tiers"].get(tier, [])))
        for tier in TIERS
    )
    return _Patterns(tiers=tiers, negation_before=re.compile(data["negation_before"], re.IGNORECASE))


def normalise(text: str) -> str:
    """Cleaned, lower-cased text with apostrophes turned into spaces.

    "Don't", "don’t" and "dont" must all look alike to the patterns, and control characters or
    zero-width spaces must not split or hide a word.
    """
    return re.sub(r"\s+", " ", re.sub(r"['’‘`´]", " ", clean_text(text).lower())).strip()


def screen(text: str) -> Screening:
    """Screen one message and return the most urgent tier that applies."""
    clean = normalise(text)
    if not clean:
        return Screening(tier=None)
    patterns = _patterns()
    matches = [
        (tier, match) for tier, regexes in patterns.tiers for regex in regexes for match in regex.finditer(clean)
    ]
    mention_spans = [m.span() for tier, m in matches if tier == "mention"]
    found: List[Tuple[str, str]] = []
    for tier, match in matches:
        about_someone_else = any(start <= match.start() and match.end() <= end for start, end in mention_spans)
        negated = bool(patterns.negation_before.search(clean[: match.start()]))
        found.append(("mention" if about_someone_else or negated else tier, match.group(0)))
    if not found:
        return Screening(tier=None)
    best = min(found, key=lambda item: TIERS.index(item[0]))[0]
    return Screening(tier=best, matches=tuple(m for _, m in found))


def is_crisis(text: str) -> bool:
    return screen(text).is_crisis


def tiers() -> Sequence[str]:
    return TIERS
