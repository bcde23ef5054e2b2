"""One crisis screen for the whole assistant: normalise, patterns, semantic layer, decision.

A message about suicide, self-harm or danger must always be met, and a sad person must not be
alarmed. So each layer has its job:
1. `safety.normalise` undoes disguises and typing habits (leetspeak, spaced letters, look-alike
   letters, invisible characters) in one linear pass;
2. `safety.patterns` catches the phrasings we know, with their tier, and reads negation and past
   context only where they touch the match ("i m not ok i took 30 pills" stays imminent);
3. `safety.semantic` scores the sentences no pattern caught against the project's crisis corpus:
   a confident score gets the full reply, an uncertain one the gentle note with contacts. It judges
   only messages that speak of the writer or name death, harm or a means (`semantic_needs` in the
   pattern file): an impersonal errand ("what year did the berlin wall fall") is near crisis
   phrasings by its words alone;
4. the decision: the most urgent tier, with which layer fired and why. The intent classifier alone
   may only raise the gentle check-in (`classifier_says_crisis`).

`screen()` is cached per text, so the NLU component, the channels' "unavailable" answers and the
action server's fallbacks share one result per message instead of screening it again.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from safety.normalise import normalise, views
from safety.patterns import (
    FULL_TIERS, GENTLE_TIERS, TIERS, Hit, accident_told, assistant_request, chat_closing, find, gentle_applies,
    is_denial, request_needs_gentle, semantic_applies, without_harmless_compounds,
)

__all__ = ["Screening", "screen", "normalise", "TIERS", "FULL_TIERS", "GENTLE_TIERS", "guess_language"]

SEMANTIC_MAX_CHARS = 20_000  # beyond this only the patterns read the text (bounded cost)

# A few function words per language: enough to tell that a message is not English.
_FUNCTION_WORDS = {
    "es": {"que", "de", "no", "la", "el", "es", "y", "en", "lo", "un", "por", "me", "una", "con", "para", "mi",
           "pero", "muy", "estoy", "tengo", "quiero", "porque", "como", "mas", "yo", "hola", "gracias"},
    "fr": {"je", "de", "est", "pas", "le", "la", "et", "les", "un", "une", "que", "en", "je", "mon", "ma",
           "suis", "ai", "pour", "avec", "ne", "tres", "bonjour", "merci", "vous", "tu", "mais"},
    "de": {"ich", "und", "nicht", "die", "der", "das", "ist", "zu", "mein", "meine", "mit", "es", "ein",
           "eine", "auf", "bin", "habe", "sehr", "aber", "wie", "hallo", "danke", "mich", "mir", "sie"},
    "pt": {"que", "nao", "de", "eu", "um", "uma", "com", "para", "meu", "minha", "estou", "tenho", "muito",
           "mas", "voce", "ola", "obrigado", "obrigada", "quero", "porque", "isso", "tudo", "em"},
    "it": {"che", "non", "di", "il", "la", "sono", "ho", "un", "una", "per", "mio", "mia", "con", "ma",
           "molto", "ciao", "grazie", "voglio", "perche", "anche", "io", "mi", "e", "lo"},
}
_ENGLISH_WORDS = {"i", "the", "and", "to", "a", "my", "is", "it", "of", "in", "you", "that", "me", "was",
                  "she", "he", "her", "him", "what", "do", "not", "this", "so", "but", "with", "for",
                  "have", "im", "am", "are", "just", "like", "about", "how", "therapist", "cried", "hi",
                  "hello", "yes", "no", "ok", "thanks", "why", "can", "be", "on", "feel", "want"}
_WORDS = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Screening:
    """The decision for one message: the tier (None when nothing applies) and why."""

    tier: Optional[str]
    layer: Optional[str] = None  # "pattern", "semantic" or "classifier"
    reason: str = ""  # the pattern that matched, or the nearest crisis example
    language: str = "en"
    denied: bool = False  # a crisis phrase was negated ("i m not suicidal"): not a crisis by itself
    matches: Tuple[str, ...] = field(default=())
    score: float = 0.0  # the semantic layer's score, when it ran

    @property
    def is_crisis(self) -> bool:
        """Crisis contacts are shown (the full reply or the gentle note)."""
        return self.tier is not None

    @property
    def full_reply(self) -> bool:
        return self.tier in FULL_TIERS


LANGUAGE_SAMPLE = 2000  # characters: plenty to tell a language, and cheap for a 1 MB paste


def guess_language(text: str) -> str:
    """"en", or the language of es/fr/de/pt/it whose function words clearly dominate; "other" for a
    message in another script (no Latin letters at all)."""
    return _language_of(normalise(text[:LANGUAGE_SAMPLE]))


def _language_of(folded: str) -> str:
    """guess_language on text the screen has already folded (safety.normalise)."""
    words = _WORDS.findall(folded)
    if not words:
        return "other" if re.search(r"[^\W\d_]", folded) else "en"
    english = sum(w in _ENGLISH_WORDS for w in words)
    best, best_count = "en", english
    for language, vocabulary in _FUNCTION_WORDS.items():
        count = sum(w in vocabulary for w in words)
        if count > best_count and count >= 2:
            best, best_count = language, count
    return best


def _most_urgent(hits: Sequence[Hit]) -> Hit:
    return min(hits, key=lambda h: TIERS.index(h.tier))


@functools.lru_cache(maxsize=256)
def screen(text: str, classifier_says_crisis: bool = False) -> Screening:
    """Screen one message (raw user text) and decide what the reply needs."""
    seen = views(text or "")
    if not seen.text:
        return Screening(tier=None)
    hits = find(seen)
    live = [h for h in hits if not h.negated]
    denied = (bool(hits) and not live) or (not live and is_denial(seen.text[:LANGUAGE_SAMPLE]))
    language = next((h.language for h in live if h.language != "en"), None) or \
        _language_of(seen.text[:LANGUAGE_SAMPLE])
    matches = tuple(h.text for h in live)
    if live and _most_urgent(live).tier in FULL_TIERS:
        best = _most_urgent(live)
        return Screening(best.tier, "pattern", best.pattern, language, False, matches)

    semantic = None
    if language == "en" and (len(seen.text) <= SEMANTIC_MAX_CHARS or not live) and \
            (semantic_applies(seen.text[:SEMANTIC_MAX_CHARS]) or semantic_applies(seen.unleet[:SEMANTIC_MAX_CHARS])):
        semantic = _semantic(seen.text[:SEMANTIC_MAX_CHARS], hits)
    if semantic is not None and semantic.band == "full" and semantic.tier in ("selfharm", "imminent") and \
            not live and accident_told(seen.text[:SEMANTIC_MAX_CHARS]):
        # "got a splinter in my thumb from the garden fence": near self-harm phrasings by its body
        # words; the gentle note keeps the contacts one tap away
        return Screening("distress", "semantic", semantic.nearest, language, denied, (), semantic.score)
    if semantic is not None and semantic.band == "full":
        return Screening(semantic.tier or "suicidal", "semantic", semantic.nearest, language, denied,
                         matches, semantic.score)
    if live:
        best = _most_urgent(live)
        return Screening(best.tier, "pattern", best.pattern, language, False, matches)
    if semantic is not None and semantic.band == "gentle" and not _an_errand(seen) and \
            not chat_closing(seen.text[:SEMANTIC_MAX_CHARS]):
        return Screening("distress", "semantic", semantic.nearest, language, denied, (), semantic.score)
    if classifier_says_crisis and not denied and not chat_closing(seen.text[:SEMANTIC_MAX_CHARS]):
        return Screening("distress", "classifier", "intent classifier", language)
    return Screening(None, language=language, denied=denied,
                     score=semantic.score if semantic is not None else 0.0)


ERRAND_MAX_WORDS = 12
SHORT_MAX_WORDS = 15  # one sentence this short with no word of feeling, strain or harm is a request


def _an_errand(seen) -> bool:
    """A one-sentence request the semantic layer's gentle note, which it raises by a message's shape
    alone, is not for: up to SHORT_MAX_WORDS words with no word of feeling, strain, harm or a means
    at all ("if i drive 300 km at 90 km/h how long does it take", "freeze my debit card i think i
    left it at the pub"), or up to ERRAND_MAX_WORDS words asked of an assistant whose only such
    words are the errand's own ("wake me up at 7 tomorrow"). Requests are known by their opening
    (`assistant_request`)."""
    sample = seen.text[:SEMANTIC_MAX_CHARS]
    if re.search(r"[.!?;\n]\s*\w", sample) or len(sample.split()) > SHORT_MAX_WORDS:
        return False  # a longer post, or more than one sentence, is told, not asked for
    if not gentle_applies(sample) and not gentle_applies(seen.unleet[:SEMANTIC_MAX_CHARS]):
        # "i'm thinking about quitting my therapist over this": not a word of strain or harm (a
        # therapist's misconduct is the patterns' to read, not a gentle note's)
        return True
    # "wake me up at 7 tomorrow": asked of an assistant, not told of a life
    return len(sample.split()) <= ERRAND_MAX_WORDS and assistant_request(sample) and not request_needs_gentle(sample)


def _semantic(text: str, hits: Sequence[Hit]):
    """The semantic layer on what the patterns did not already explain.

    Sentences holding a negated phrase ("im not suicidal lmao chill") or someone else's story ("my
    brother's suicide") are left out: the words would score high, and the patterns already read
    them more precisely.
    """
    from safety.semantic import semantic_layer

    layer = semantic_layer()
    text = without_harmless_compounds(text)
    explained: List[Tuple[int, int]] = [h.sentence for h in hits if h.negated or h.tier == "mention"]
    if explained:
        keep, last = [], 0
        for start, end in sorted(explained):
            keep.append(text[last:start])
            last = max(last, end)
        keep.append(text[last:])
        text = " ".join(part for part in keep if part.strip())
        if not text.strip():
            return None
    return layer.score(layer.pieces(text))
