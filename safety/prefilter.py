"""Literal anchors for regular expressions, so long messages are scanned at C speed.

Python's regex engine tries a pattern at every position of the text: with some 400 crisis patterns a
100 kB paste took about a second. Most patterns cannot match without one of a few literal strings
("wake up", "suicid", "burden"), and `str.find` looks for those in microseconds. `anchors()` reads a
pattern's parse tree and returns what every match must contain (or None when it cannot tell: that
pattern is then run on the whole text). A pattern usually has several mandatory parts ("tonight ...
kill myself" needs a time word and a method), and which one filters best depends on the text: a
long story says "today" in every paragraph and "kill myself" nowhere. So the requirement keeps every
mandatory part, and `Finder` picks, per text, the part with the fewest occurrences there (no
occurrence at all: the pattern cannot match, and is not run). `Finder.windows()` returns the
stretches of text around the chosen literals, where the pattern itself is then run. This is how RE2
and Hyperscan prefilter; tests/unit/test_crisis_prefilter.py checks that the prefiltered screen finds
exactly what the plain one finds on every corpus sentence.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple, Union

try:  # Python 3.11 moved it
    import re._parser as sre_parse  # type: ignore[import]
    from re._constants import BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN  # type: ignore
except ImportError:  # Python 3.10
    import sre_parse  # type: ignore[no-redef]
    from sre_constants import BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN  # type: ignore

MIN_ANCHOR = 3  # shorter literals ("i ", "my") occur everywhere and filter nothing
MAX_MATCH = 400  # no crisis pattern matches more characters than this (bounded repeats only)
MAX_PARTS = 3  # a sequence keeps its most selective mandatory parts: enough choice, little to weigh


@dataclass(frozen=True, eq=False)
class OneOf:
    """Every match contains one of these literals."""

    literals: FrozenSet[str]


@dataclass(frozen=True, eq=False)
class Either:
    """An alternation: every match meets the requirement of one of its branches."""

    branches: Tuple["Requirement", ...]


@dataclass(frozen=True, eq=False)
class Each:
    """A sequence: every match meets all of these, so looking for any one of them is enough."""

    parts: Tuple["Requirement", ...]


Requirement = Union[OneOf, Either, Each]
Anchors = Optional[Requirement]


# Words too common to filter anything: a literal made of them alone is tried last.
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


def _static_cost(requirement: Requirement) -> Tuple[int, int]:
    """How little a requirement is likely to filter, on ordinary text: the order `Finder` tries the
    parts of a sequence in (weak literals last, then the most frequent)."""
    if isinstance(requirement, OneOf):
        weak = sum(1 for s in requirement.literals if _strength(s) <= 1)
        return (weak, sum(_frequency(s) for s in requirement.literals) + len(requirement.literals))
    costs = [_static_cost(r) for r in (requirement.branches if isinstance(requirement, Either) else requirement.parts)]
    if isinstance(requirement, Either):
        return (sum(c[0] for c in costs), sum(c[1] for c in costs))
    return min(costs)


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


def _literals(found: FrozenSet[str]) -> Optional[OneOf]:
    return OneOf(found) if found and all(len(s) >= MIN_ANCHOR for s in found) else None


def _either(branches: List[Requirement]) -> Requirement:
    """An alternation's requirement; one set of literals when every branch is one."""
    if all(isinstance(b, OneOf) for b in branches):
        return OneOf(frozenset().union(*(b.literals for b in branches)))  # type: ignore[union-attr]
    return Either(tuple(branches))


def _of_sequence(items: Sequence) -> Anchors:
    """Every mandatory part of a sequence that requires a literal."""
    parts: List[Requirement] = []
    run = ""

    def add(requirement: Anchors) -> None:
        if isinstance(requirement, Each):
            parts.extend(requirement.parts)  # a group inside a sequence: its parts are the sequence's
        elif requirement is not None:
            parts.append(requirement)

    for index, (op, arg) in enumerate(items):
        if op is LITERAL:
            if index == 0 or items[index - 1][0] is not LITERAL:
                add(_literals(_prefixes(items[index:])))
            run += chr(arg)
            continue
        if len(run) >= MIN_ANCHOR:
            add(OneOf(frozenset([run])))
        run = ""
        if op is SUBPATTERN:
            add(_of_sequence(arg[-1]))
        elif op is BRANCH:
            branches = [_of_sequence(branch) for branch in arg[1]]
            if branches and all(b is not None for b in branches):
                add(_either(branches))  # type: ignore[arg-type]
        elif op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1:
            add(_of_sequence(arg[2]))
        elif op is IN and len(arg) == 1 and arg[0][0] is LITERAL:
            run = chr(arg[0][1])  # a one-character class starts a new run
    if len(run) >= MIN_ANCHOR:
        add(OneOf(frozenset([run])))
    if not parts:
        return None
    unique = {p.literals if isinstance(p, OneOf) else id(p): p for p in parts}.values()
    kept = sorted(unique, key=_static_cost)[:MAX_PARTS]
    return kept[0] if len(kept) == 1 else Each(tuple(kept))


def anchors(pattern: str) -> Anchors:
    """What every match of `pattern` contains, or None."""
    return _of_sequence(list(sre_parse.parse(pattern)))


def windows(text: str, literals: Iterable[str]) -> List[Tuple[int, int]]:
    """Merged stretches of `text` within MAX_MATCH characters of an occurrence of a literal."""
    spans = []
    for literal in literals:
        start = text.find(literal)
        while start != -1:
            spans.append((max(0, start - MAX_MATCH), min(len(text), start + len(literal) + MAX_MATCH)))
            start = text.find(literal, start + 1)
    return merged(spans)


def merged(spans: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    out: List[Tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


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
        self._counts: Dict[str, int] = {}
        self._costs: Dict[int, int] = {}
        self._spans: Dict[int, List[Tuple[int, int]]] = {}

    def _count(self, literal: str) -> int:
        if literal not in self._counts:
            possible = all(check in self._vocabulary for check in _checks(literal))
            self._counts[literal] = self.text.count(literal) if possible else 0
        return self._counts[literal]

    def _cost(self, requirement: Requirement) -> int:
        """How many anchor occurrences the requirement has in this text (0: no match possible)."""
        key = id(requirement)
        if key not in self._costs:
            if isinstance(requirement, OneOf):
                cost = sum(self._count(literal) for literal in requirement.literals)
            elif isinstance(requirement, Either):
                cost = sum(self._cost(branch) for branch in requirement.branches)
            else:  # the parts come most selective first: stop at one that cannot occur
                cost = self._cost(requirement.parts[0])
                for part in requirement.parts[1:]:
                    if not cost:
                        break
                    cost = min(cost, self._cost(part))
            self._costs[key] = cost
        return self._costs[key]

    def _windows_of(self, requirement: Requirement) -> List[Tuple[int, int]]:
        key = id(requirement)
        if key not in self._spans:
            if self._cost(requirement) == 0:
                found: List[Tuple[int, int]] = []
            elif isinstance(requirement, OneOf):
                found = windows(self.text, [lit for lit in requirement.literals if self._count(lit)])
            elif isinstance(requirement, Either):
                found = merged([span for branch in requirement.branches for span in self._windows_of(branch)])
            else:
                found = self._windows_of(min(requirement.parts, key=self._cost))
            self._spans[key] = found
        return self._spans[key]

    def windows(self, requirement: Requirement) -> List[Tuple[int, int]]:
        """Where a match of the pattern with this requirement can be: the stretches around the
        occurrences of its rarest mandatory part in this text (the whole text when they would cover
        it anyway)."""
        if self._cost(requirement) * 2 * MAX_MATCH >= len(self.text):
            return [(0, len(self.text))] if self._cost(requirement) else []
        return self._windows_of(requirement)
