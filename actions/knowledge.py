"""Loads the knowledge base (data/knowledge/*.yml) and picks what fits a situation.

Everything the bot says about therapists' tears is data, not code; this module is the one place that
reads it. Matching is deterministic scoring over topics and slot values, so the same situation always
gets the same perspectives (and tests can table them).
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

import yaml

KNOWLEDGE_DIR = Path(
    os.environ.get("KNOWLEDGE_DIR", Path(__file__).resolve().parent.parent / "data" / "knowledge")
)

SITUATION_SLOTS = ("crying_intensity", "crying_frequency", "crying_focus", "client_feeling")

# Weights: a wanted topic counts most (earlier topics more), a matching slot value helps, and a slot
# value the entry explicitly does not fit counts against it.
TOPIC_WEIGHT = 4
SLOT_MATCH_WEIGHT = 2
SLOT_MISMATCH_PENALTY = 3


@dataclass(frozen=True)
class Entry:
    """One perspective or suggestion, with its attribution resolved."""

    id: str
    text: str
    person: str
    topics: Sequence[str] = ()
    applies_when: Mapping[str, Sequence[str]] = field(default_factory=dict)
    part: Optional[str] = None
    # takes the client's own reaction seriously (their feeling is legitimate, theirs to voice):
    # every answer of perspectives carries at least one such entry (match_perspectives)
    honours_reaction: bool = False


def _load(name: str) -> Dict[str, Any]:
    with open(KNOWLEDGE_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@functools.lru_cache(maxsize=None)
def sources() -> Dict[str, Any]:
    return _load("sources.yml")


@functools.lru_cache(maxsize=None)
def topics() -> Dict[str, Any]:
    return _load("topics.yml")


@functools.lru_cache(maxsize=None)
def research() -> Dict[str, Any]:
    return _load("research.yml")


def _entries(raw: Iterable[Mapping[str, Any]]) -> List[Entry]:
    return [
        Entry(
            id=item["id"],
            text=" ".join(str(item["text"]).split()),
            person=item["person"],
            topics=tuple(item.get("topics") or ()),
            applies_when={k: tuple(v) for k, v in (item.get("applies_when") or {}).items()},
            part=item.get("part"),
            honours_reaction=bool(item.get("honours_reaction")),
        )
        for item in raw
    ]


@functools.lru_cache(maxsize=None)
def perspectives() -> List[Entry]:
    return _entries(_load("perspectives.yml")["perspectives"])


@functools.lru_cache(maxsize=None)
def _suggestions_file() -> Dict[str, Any]:
    return _load("suggestions.yml")


@functools.lru_cache(maxsize=None)
def suggestions() -> List[Entry]:
    return _entries(_suggestions_file()["suggestions"])


def perspective_by_id(entry_id: str) -> Entry:
    return next(p for p in perspectives() if p.id == entry_id)


def attribution(person_key: str) -> str:
    """'Name (credentials, place), in "Article", publication' for a person key of sources.yml."""
    data = sources()
    person = data["people"][person_key]
    article = data["sources"][person["article"]]
    details = ", ".join(x for x in (person.get("credentials"), person.get("place")) if x)
    return f'{person["name"]} ({details}), in "{article["title"]}", {article["publication"]}'


ASSISTANT = "assistant"  # a suggestion no source gives: the assistant's own, never under a person's name


def short_attribution(person_key: str) -> str:
    """'Name, credentials' (or the person's short label), shown under a quote in chat; the full
    reference is one tap away ("Where is this from?")."""
    person = sources()["people"][person_key]
    return person.get("label") or f'{person["name"]}, {person["credentials"]}'


def slot_fit(entry: Entry, situation: Mapping[str, Optional[str]]) -> int:
    """How well an entry's applies_when fits what we know; unknown slots are neutral."""
    score = 0
    for slot, values in entry.applies_when.items():
        known = situation.get(slot)
        if known in (None, "unknown"):
            continue
        score += SLOT_MATCH_WEIGHT if known in values else -SLOT_MISMATCH_PENALTY
    return score


def topic_fit(entry: Entry, wanted: Sequence[str]) -> int:
    """Earlier wanted topics weigh more: the first wanted topic is the question itself."""
    return sum(
        TOPIC_WEIGHT * (len(wanted) - rank) for rank, topic in enumerate(wanted) if topic in entry.topics
    )


def match_perspectives(
    wanted_topics: Sequence[str],
    situation: Mapping[str, Optional[str]],
    exclude: Iterable[str] = (),
    limit: int = 2,
    required_topic: Optional[str] = None,
) -> List[Entry]:
    """The best unshared perspectives for the wanted topics, best first.

    Only entries sharing at least one wanted topic qualify, so an answer always speaks to the question;
    with `required_topic` (a therapist asking: "therapist_side") only entries that have it.
    Ties keep the file's order, which makes the result deterministic; within the limit, different
    people are preferred so one answer brings different voices. A client's first answer carries at
    least one view that takes their own reaction seriously (`honours_reaction`), so no answer is only
    a verdict on the therapist.
    """
    excluded = set(exclude)
    scored = []
    for index, entry in enumerate(perspectives()):
        if entry.id in excluded or (required_topic and required_topic not in entry.topics):
            continue
        topical = topic_fit(entry, wanted_topics)
        if wanted_topics and topical == 0:
            continue
        scored.append((-(topical + slot_fit(entry, situation)), index, entry))
    scored.sort(key=lambda item: (item[0], item[1]))
    ranked = [entry for _, _, entry in scored]
    # Prefer different voices in one answer: best entry per person first, then the rest in order.
    distinct, people = [], set()
    for entry in ranked:
        if entry.person not in people:
            distinct.append(entry)
            people.add(entry.person)
    chosen = distinct[:limit]
    chosen += [entry for entry in ranked if entry not in chosen][: limit - len(chosen)]
    chosen = sorted(chosen, key=ranked.index)
    # a first answer (two views) to a client; "another perspective" adds one view to an answer that
    # had it, and a therapist asking hears the therapist's side
    if limit >= 2 and not required_topic and chosen and not any(entry.honours_reaction for entry in chosen):
        chosen[-1] = _one_that_honours_the_reaction(ranked, chosen) or chosen[-1]
    return chosen


def _one_that_honours_the_reaction(ranked: List[Entry], chosen: List[Entry]) -> Optional[Entry]:
    """Balance: an answer is never only views on the therapist. The best-ranked entry on the question's
    topics that takes the client's own reaction seriously replaces the last one chosen; None when each
    such entry was shared already (tests/unit/test_balance.py keeps every topic list supplied with one)."""
    return next((e for e in ranked if e.honours_reaction and e not in chosen), None)


def topics_for_intent(intent: Optional[str]) -> List[str]:
    return list(topics()["intent_topics"].get(intent or "", []))


def topics_for_situation(situation: Mapping[str, Optional[str]]) -> List[str]:
    for rule in topics()["situation_topics"]:
        if all(situation.get(slot) == value for slot, value in rule["when"].items()):
            return list(rule["topics"])
    return []


def pick_suggestions(situation: Mapping[str, Optional[str]]) -> List[Entry]:
    """The best-fitting suggestion for each part (when, how, ask, ...), in the file's part order."""
    chosen = []
    for part in _suggestions_file()["parts"]:
        candidates = [s for s in suggestions() if s.part == part]
        # A fitting specific entry beats a general one, a general one beats a specific entry we know
        # nothing about, and one that contradicts the situation is never chosen.
        best = max(
            (c for c in candidates if slot_fit(c, situation) >= 0),
            key=lambda c: (slot_fit(c, situation), not c.applies_when, -candidates.index(c)),
        )
        chosen.append(best)
    return chosen
