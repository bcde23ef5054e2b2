"""The crisis screen's pattern layer: curated phrasings (data/safety/crisis_patterns.yml and the
other-language file beside it), matched on the normalised views of a message.

Cost is linear in the length of the text: every pattern is scanned once per view with bounded
repetition (`.{0,60}`), and a match's negation and past context are read from a window of at most
MAX_CONTEXT characters around it, cut at the sentence boundary. (The old screen searched the whole
text before every match, so a 100 kB message took over a minute.)
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Pattern, Tuple

import yaml

from safety.normalise import Span, Views, squeeze
from safety.prefilter import MAX_MATCH, Anchors, Finder, anchors, merged, set_reference

DATA = Path(__file__).resolve().parent.parent / "data" / "safety"
PATTERNS_FILE = Path(os.environ.get("CRISIS_PATTERNS_FILE", DATA / "crisis_patterns.yml"))
LANGUAGES_FILE = DATA / "crisis_patterns_languages.yml"

FULL_TIERS: Tuple[str, ...] = ("imminent", "suicidal", "selfharm", "danger", "misconduct")
GENTLE_TIERS: Tuple[str, ...] = ("distress", "mention")
TIERS: Tuple[str, ...] = FULL_TIERS + GENTLE_TIERS  # most urgent first
PLAN = "imminent_plans"
PREFILTER_FROM = 1000  # characters: below this, running every pattern is cheaper than looking for anchors
MAX_CONTEXT = 80
_SENTENCE_END = re.compile(r"[.!?;\n]")
# In the letters-only view, only words that cannot be anything else.
_JOINED_WORDS = ("suicide", "suicidal", "killmyself", "killingmyself", "unalive", "endmylife", "selfharm",
                 "wanttodie", "wannadie")
_JOINED = re.compile("(" + "|".join(_JOINED_WORDS) + ")")
# the same words written plainly, which the patterns have already read in context
_PLAIN = re.compile(r"\b(" + "|".join(_JOINED_WORDS) + r")\b")
# the same words with doubled letters ("suiciidal", "killl myself"): each letter after the first may
# repeat (as fast as a plain search; squeezing an 80 kB copy of the text first took 5 ms)
_JOINED_DOUBLED = re.compile("(" + "|".join(sorted({w[0] + "".join(ch + "+" for ch in squeeze(w)[1:])
                                                    for w in _JOINED_WORDS})) + ")")
NEAR_CHANGES_ONLY = True  # the leetspeak view is read only around what it changed (tests turn it off)


@dataclass(frozen=True)
class Hit:
    """One pattern match: its tier after context, the pattern, the matched text and its sentence."""

    tier: str
    pattern: str
    text: str
    sentence: Tuple[int, int]
    negated: bool = False
    language: str = "en"
    span: Tuple[int, int] = (0, 0)
    view: str = "text"
    firm: bool = False  # a plan or an attempt just made: someone else's story around it changes nothing


@dataclass(frozen=True)
class _Compiled:
    tiers: Tuple[Tuple[str, str, Tuple[Pattern[str], ...]], ...]  # (language, tier, patterns)
    anchors: Dict[str, Anchors]  # pattern -> what every match contains (safety/prefilter.py)
    negation: Pattern[str]
    past: Pattern[str]
    past_frame: Pattern[str]
    past_after: Pattern[str]
    accident: Pattern[str]
    accident_override: Pattern[str]
    english_only: Dict[str, str]
    english_only_note: Dict[str, str]
    asks_about_telling: Pattern[str]
    denials: Pattern[str]
    semantic_needs: Pattern[str]
    gentle_needs: Pattern[str]
    assistant_request: Pattern[str]
    request_errand_words: Pattern[str]
    harmless_compounds: Pattern[str]
    chat_closing: Tuple[Pattern[str], ...]  # each phrase, after any non-word characters


@functools.lru_cache(maxsize=None)
def compiled() -> _Compiled:
    english = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    tiers = [("en", tier, tuple(re.compile(p) for p in english["tiers"].get(tier) or ())) for tier in TIERS]
    # plans said in words ("i m going to kill myself"): imminent, but a denial of the plan itself
    # ("i m not going to kill myself lol") is not a plan
    tiers.insert(1, ("en", PLAN, tuple(re.compile(p) for p in english["tiers"].get(PLAN) or ())))
    english_only: Dict[str, str] = {}
    english_only_note: Dict[str, str] = {}
    if LANGUAGES_FILE.exists():
        other = yaml.safe_load(LANGUAGES_FILE.read_text(encoding="utf-8"))
        english_only = dict(other.get("english_only_line") or {})
        english_only_note = dict(other.get("english_only_note") or {})
        for language, entries in (other.get("languages") or {}).items():
            for tier in TIERS:
                found = tuple(re.compile(e["pattern"]) for e in entries if e["tier"] == tier)
                if found:
                    tiers.append((language, tier, found))
    negation = re.compile(english["negation"] + english["negation_fillers"])
    set_reference(_ordinary_text())
    found = {r.pattern: anchors(r.pattern) for _, _, regexes in tiers for r in regexes}
    return _Compiled(tuple(tiers), found, negation, re.compile(english["past_markers"]),
                     re.compile(english["past_frame"]), re.compile(english["past_after"]),
                     re.compile(english["accident_context"]), re.compile(english["accident_override"]), english_only,
                     english_only_note, re.compile(english["asks_about_telling"]), re.compile(english["denials"]),
                     re.compile(english["semantic_needs"]), re.compile(english["gentle_needs"]),
                     re.compile(english["assistant_request"]), re.compile(english["request_errand_words"]),
                     re.compile(english["harmless_compounds"]),
                     tuple(re.compile(r"\W*(?:%s)\b" % phrase) for phrase in english["chat_closing_phrases"]))


def _ordinary_text() -> str:
    """The NLU training examples, normalised: the everyday text that anchors should be rare in."""
    from safety.normalise import normalise
    from safety.training_text import example_lines, nlu_blocks

    lines = [normalise(line) for block in nlu_blocks() for line in example_lines(block)]
    return " " + " \n ".join(lines) + " "


def _sentence_of(text: str, start: int, end: int) -> Tuple[int, int]:
    """The bounds of the sentence around [start, end), looking at most MAX_CONTEXT characters out."""
    left = max(0, start - MAX_CONTEXT)
    before = [m.end() for m in _SENTENCE_END.finditer(text, left, start)]
    right = min(len(text), end + MAX_CONTEXT)
    after = _SENTENCE_END.search(text, end, right)
    return (before[-1] if before else left, after.start() if after else right)


_SPACE = re.compile(r"\s")


def _near(view: str, changed: Tuple[Span, ...]) -> List[Span]:
    """The stretches of `view` within MAX_MATCH characters of a change, each ending at a space or a
    line's end (a window's end reads as the end of the text, so it must not cut a word)."""
    spans = []
    for start, end in changed:
        stop = min(len(view), end + MAX_MATCH)
        space = _SPACE.search(view, stop)
        spans.append((max(0, start - MAX_MATCH), space.start() if space else len(view)))
    return merged(spans)


def _overlap(spans: List[Span], within: List[Span]) -> List[Span]:
    """The parts of `spans` inside `within` (both sorted and merged)."""
    out, i, j = [], 0, 0
    while i < len(spans) and j < len(within):
        start, end = max(spans[i][0], within[j][0]), min(spans[i][1], within[j][1])
        if start < end:
            out.append((start, end))
        if spans[i][1] < within[j][1]:
            i += 1
        else:
            j += 1
    return out


def _matches(regex: Pattern[str], finder: Finder, requirement: Anchors,
             within: Optional[List[Span]] = None) -> List["re.Match[str]"]:
    """All matches of `regex`, searched only near its anchors' occurrences (safety/prefilter.py), and
    only `within` these stretches when given."""
    view = finder.text
    if requirement is None or len(view) < PREFILTER_FROM:
        if within is None:
            return list(regex.finditer(view))
        spans = within
    else:
        spans = finder.windows(requirement)
        if within is not None:
            spans = _overlap(spans, within)
    found, seen = [], set()
    for start, end in spans:
        for match in regex.finditer(view, start, end):
            if match.span() not in seen:
                seen.add(match.span())
                found.append(match)
    return found


def _hits_in(view: str, patterns: _Compiled, view_name: str = "text", within: Optional[List[Span]] = None) -> List[Hit]:
    hits: List[Hit] = []
    finder = Finder(view)
    for language, tier, regexes in patterns.tiers:
        for regex in regexes:
            for match in _matches(regex, finder, patterns.anchors.get(regex.pattern), within):
                start, end = match.span()
                sentence = _sentence_of(view, start, end)
                before = view[sentence[0]:start]
                negated = tier != "imminent" and bool(patterns.negation.search(before))
                final_tier = "imminent" if tier == PLAN else tier
                if tier in ("suicidal", "selfharm") and patterns.past.search(view, sentence[0], sentence[1]):
                    final_tier = "mention"  # "i tried to kill myself when i was 16"
                elif tier != PLAN and _told_as_past(view, before, end, sentence, patterns):
                    final_tier = "mention"  # "i was talking about the night i overdosed"
                elif (tier == "selfharm" or (tier == "imminent" and "bleed" in match.group(0))) and \
                        _an_accident(view, sentence, patterns):
                    final_tier = "distress"  # "burned my hand on the oven tray"
                hits.append(Hit(final_tier, regex.pattern, match.group(0), sentence, negated, language,
                                (start, end), view_name, firm=tier == PLAN))
    return hits


def _told_as_past(view: str, before: str, end: int, sentence: Tuple[int, int], patterns: _Compiled) -> bool:
    """A past event told as a story, read right next to the match: "about the night i overdosed",
    "i overdosed three years ago". Never for a plan ("tonight"), which the caller excludes."""
    return bool(patterns.past_frame.search(before[-MAX_CONTEXT:])) or \
        bool(patterns.past_after.match(view, end, sentence[1]))


def _an_accident(view: str, sentence: Tuple[int, int], patterns: _Compiled) -> bool:
    """An everyday injury told with its cause ("the cat scratched my arm"), not one said to be meant."""
    return bool(patterns.accident.search(view, *sentence)) and not patterns.accident_override.search(view, *sentence)


def _inside_mention(hit: Hit, mentions: List[Hit]) -> bool:
    """A match whose crisis words are someone else's story: it starts or ends inside a mention ("my
    brother's suicide"; "today ... my brother's overdose")."""
    return hit.tier in ("imminent", "suicidal", "selfharm") and not hit.firm and any(
        m.view == hit.view and (m.span[0] <= hit.span[0] < m.span[1] or m.span[0] < hit.span[1] <= m.span[1])
        for m in mentions
    )


def find(views: Views) -> List[Hit]:
    """Every match in the text and leetspeak views, plus the letters-only safety words."""
    patterns = compiled()
    hits = _hits_in(views.text, patterns)
    if views.unleet != views.text:
        # away from its changes the leetspeak view reads as the text does: only its changed stretches
        # are new ("su1c1de" in a long story), so a 100 kB paste with one digit is not read twice
        within = _near(views.unleet, views.changed) if NEAR_CHANGES_ONLY and views.changed else None
        seen = {(h.pattern, h.text) for h in hits}
        hits += [h for h in _hits_in(views.unleet, patterns, "unleet", within) if (h.pattern, h.text) not in seen]
    mentions = [h for h in hits if h.tier == "mention"]
    resolved = []
    for hit in hits:
        if hit.tier != "mention" and _inside_mention(hit, mentions):
            hit = Hit("mention", hit.pattern, hit.text, hit.sentence, hit.negated, hit.language, hit.span, hit.view)
        resolved.append(hit)
    if not resolved and not _PLAIN.search(views.unleet):  # a word the patterns read and let pass ("suicide doors")
        spaced = _JOINED.search(views.joined) or _JOINED_DOUBLED.search(views.joined)
        if spaced:
            resolved.append(Hit("suicidal", _JOINED.pattern, spaced.group(0), (0, 0)))
    return resolved


def english_only_line(language: str) -> Optional[str]:
    return compiled().english_only.get(language)


def english_only_note(language: str) -> Optional[str]:
    return compiled().english_only_note.get(language)


def asks_about_telling(folded_text: str) -> bool:
    """"should i tell her about these thoughts?": a disclosure asking whether to tell the therapist
    (on text folded by safety.normalise)."""
    return bool(compiled().asks_about_telling.search(folded_text))


def semantic_applies(folded_text: str) -> bool:
    """Does the message speak of the writer, or name death, harm or a means? Only then may the
    semantic layer raise crisis contacts (an impersonal errand sits near crisis phrasings by its words
    alone: "what year did the berlin wall fall")."""
    return bool(compiled().semantic_needs.search(folded_text))


def gentle_applies(folded_text: str) -> bool:
    """May the semantic layer alone raise the gentle note? Only on a word of feeling, strain, harm or
    an ending: an errand ("freeze my debit card") sits near distress phrasings by its shape alone."""
    return bool(compiled().gentle_needs.search(folded_text))


def assistant_request(folded_text: str) -> bool:
    """"wake me up at 7 tomorrow", "turn the heating off": a request to an assistant, by its opening."""
    return bool(compiled().assistant_request.search(folded_text))


CLOSING_MAX_CHARS = 300  # a closing is a line; a longer message is always screened in full
_ONLY_NON_WORDS = re.compile(r"\W*$")


def chat_closing(folded_text: str) -> bool:
    """"thats all for tonight, goodnight": only the phrases that close a chat, nothing told.

    Read phrase by phrase over the places a phrase can end, each place visited once (linear in the
    text): one regex repeating the alternation of phrases backtracked exponentially on "night night
    ... night forever", because the phrases overlap."""
    if len(folded_text) > CLOSING_MAX_CHARS:
        return False
    phrases = compiled().chat_closing
    pending, reached = [0], {0}
    while pending:
        start = pending.pop()
        for phrase in phrases:
            found = phrase.match(folded_text, start)
            if found and found.end() not in reached:
                if _ONLY_NON_WORDS.match(folded_text, found.end()):
                    return True
                reached.add(found.end())
                pending.append(found.end())
    return False


def without_harmless_compounds(folded_text: str) -> str:
    """"what cars have suicide doors" -> "what cars have thing": what the semantic layer reads."""
    return compiled().harmless_compounds.sub(" thing ", folded_text)


def request_needs_gentle(folded_text: str) -> bool:
    """Does a request to an assistant carry a word of feeling, strain or harm besides the errand's own
    words? ("wake me up at 7 tomorrow" does not; "wake me up, i cant do this anymore" does.)"""
    patterns = compiled()
    return gentle_applies(patterns.request_errand_words.sub(" ", folded_text))


def accident_told(folded_text: str) -> bool:
    """An everyday injury told with its cause, and not said to be meant ("got a splinter from the
    garden fence", "shaving cut on my chin"): self-harm words near it are not self-harm."""
    patterns = compiled()
    return bool(patterns.accident.search(folded_text)) and not patterns.accident_override.search(folded_text)


def is_denial(folded_text: str) -> bool:
    return bool(compiled().denials.search(folded_text))
