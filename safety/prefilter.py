"""Literal anchors for regular expressions, so long messages are scanned at C speed.

Python's regex engine tries a pattern at every position of the text: with some 300 crisis patterns a
100 kB paste took about a second. Most patterns cannot match without one of a few literal strings
("wake up", "suicid", "burden"), and `str.find` looks for those in microseconds. `anchors()` reads a
pattern's parse tree and returns a set of literals of which every match must contain one (or None
when it cannot tell: that pattern is then run on the whole text). `windows()` returns the stretches
of text around the anchors' occurrences, where the pattern itself is then run. This is how RE2 and
Hyperscan prefilter; tests/unit/test_crisis_safety_net.py checks that the prefiltered screen finds
exactly what the plain one finds on every corpus sentence.
"""
from __future__ import annotations

import functools
from typing import FrozenSet, Iterable, List, Optional, Sequence, Tuple

try:  # Python 3.11 moved it
    import re._parser as sre_parse  # type: ignore[import]
    from re._constants import BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN  # type: ignore
except ImportError:  # Python 3.10
    import sre_parse  # type: ignore[no-redef]
    from sre_constants import BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN  # type: ignore

MIN_ANCHOR = 3  # shorter literals ("i ", "my") occur everywhere and filter nothing
MAX_MATCH = 400  # no crisis pattern matches more characters than this (bounded repeats only)

Anchors = Optional[FrozenSet[str]]


# Words too common to filter anything: an anchor made of them alone counts as the weakest.
_COMMON = {"to", "about", "the", "and", "you", "that", "with", "for", "have", "not", "was", "but", "are",
           "this", "all", "just", "like", "what", "her", "him", "she", "his", "they", "them", "my", "me",
           "an", "a", "i", "it", "is", "of", "in", "on", "at", "be", "so", "or", "if", "do", "no", "up"}


def _strength(literal: str) -> int:
    words = literal.split()
    if not words or all(w in _COMMON for w in words):
        return 1
    return len(literal.strip())


_REFERENCE = {"text": ""}  # ordinary text: how often a literal occurs there says how little it filters


def set_reference(text: str) -> None:
    _REFERENCE["text"] = text
    _frequency.cache_clear()


@functools.lru_cache(maxsize=None)
def _frequency(literal: str) -> int:
    return _REFERENCE["text"].count(literal)


def _cost(found: FrozenSet[str]) -> Tuple[int, int]:
    """Lower is better: weak literals disqualify a set; then how often the set occurs in ordinary text."""
    weak = sum(1 for s in found if len(s) < MIN_ANCHOR or _strength(s) <= 1)
    return (weak, sum(_frequency(s) for s in found) + len(found))


def _better(a: Anchors, b: Anchors) -> Anchors:
    if a is None:
        return b
    if b is None:
        return a
    return a if _cost(a) <= _cost(b) else b


def _prefixes(items: Sequence, depth: int = 3) -> FrozenSet[str]:
    """The literal text every alternative of `items` starts with. sre_parse factors common prefixes
    out of alternations ("overdosed|od d" becomes "o" + ("verdosed" | "d d")): this puts them back."""
    run = ""
    for index, (op, arg) in enumerate(items):
        if op is LITERAL:
            run += chr(arg)
            continue
        if depth and op is BRANCH:
            rest = list(items[index + 1:])
            return frozenset(run + p for branch in arg[1] for p in _prefixes(list(branch) + rest, depth - 1))
        if depth and op is SUBPATTERN:
            return frozenset(run + p for p in _prefixes(list(arg[-1]) + list(items[index + 1:]), depth - 1))
        break
    return frozenset([run])


def _strong(found: FrozenSet[str]) -> Anchors:
    return found if found and all(len(s) >= MIN_ANCHOR and _strength(s) > 1 for s in found) else None


def _of_sequence(items: Sequence) -> Anchors:
    """The most selective anchor set among the mandatory parts of a sequence."""
    best: Anchors = None
    run = ""
    for index, (op, _) in enumerate(items):
        if op is LITERAL and (index == 0 or items[index - 1][0] is not LITERAL):
            best = _better(best, _strong(_prefixes(items[index:])))

    def close(run: str, best: Anchors) -> Anchors:
        return _better(best, frozenset([run])) if len(run) >= MIN_ANCHOR else best

    for op, arg in items:
        if op is LITERAL:
            run += chr(arg)
            continue
        best, run = close(run, best), ""
        if op is SUBPATTERN:
            best = _better(best, _of_sequence(arg[-1]))
        elif op is BRANCH:
            branches = [_of_sequence(branch) for branch in arg[1]]
            if branches and all(b is not None for b in branches):
                best = _better(best, frozenset().union(*branches))
        elif op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1:
            best = _better(best, _of_sequence(arg[2]))
        elif op is IN and len(arg) == 1 and arg[0][0] is LITERAL:
            run = chr(arg[0][1])  # a one-character class starts a new run
    return close(run, best)


def anchors(pattern: str) -> Anchors:
    """Literals of which every match of `pattern` contains at least one, or None."""
    found = _of_sequence(list(sre_parse.parse(pattern)))
    return _strong(found) if found else None


def windows(text: str, literals: Iterable[str]) -> List[Tuple[int, int]]:
    """Merged stretches of `text` within MAX_MATCH characters of an occurrence of a literal."""
    spans = []
    for literal in literals:
        start = text.find(literal)
        while start != -1:
            spans.append((max(0, start - MAX_MATCH), min(len(text), start + len(literal) + MAX_MATCH)))
            start = text.find(literal, start + 1)
    spans.sort()
    merged: List[Tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@functools.lru_cache(maxsize=None)
def _checks(literal: str) -> Tuple[str, ...]:
    """What the vocabulary must hold for `literal` to occur: its first word as a word's end, its
    middle words whole, its last word as a word's start."""
    words = literal.split(" ")
    if len(words) == 1:
        return (literal,)
    checks = [words[0] + " "] + [" " + w + " " for w in words[1:-1]] + [" " + words[-1]]
    return tuple(c for c in checks if c.strip())


class Finder:
    """Anchor look-ups on one text, each done once, the impossible ones ruled out on the text's
    vocabulary (its distinct words, usually far shorter than a long paste) before the text itself."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._vocabulary = " " + " ".join(set(text.split())) + " "
        self._windows: dict = {}

    def _possible(self, literal: str) -> bool:
        return all(check in self._vocabulary for check in _checks(literal))

    def windows(self, literals: Iterable[str]) -> List[Tuple[int, int]]:
        key = literals if isinstance(literals, frozenset) else frozenset(literals)
        if key not in self._windows:
            present = [literal for literal in key if self._possible(literal)]
            self._windows[key] = windows(self.text, present) if present else []
        return self._windows[key]
