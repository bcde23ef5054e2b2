"""The four situation values, read from the client's own words (the phrase table in data/lexicon/).

Clients describe the session in their own words, in any turn and in any order ("her eyes got all
glassy when i read her my letter", "she didnt sob, just teared up", "thats like the 4th time"). The
reader returns entities whose value is always a canonical slot value (`crying_intensity: tearful`,
never "teared up a bit"). Two kinds:
- plain entities, for what a description states: they fill the slot in any turn;
- entities with role `answer`, for short replies that mean something only as the answer to the
  question just asked ("a little", "two time", "her stuff"): the domain's slot mapping takes them
  only while the form requests that slot.
Plain Python (no Rasa imports): the NLU component (components/situation_extractor.py) and the
form's validation (actions/lexicon.py) share it.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import yaml

ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE, ENTITY_ATTRIBUTE_ROLE = "entity", "value", "role"
ENTITY_ATTRIBUTE_START, ENTITY_ATTRIBUTE_END, EXTRACTOR = "start", "end", "extractor"
EXTRACTOR_NAME = "SituationExtractor"

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "situation.yml"
ANSWER_ROLE = "answer"
NEGATION_WINDOW = 3  # words before a match in which a negation cancels it
FIRST_PERSON_WINDOW = 6
KNOWN_WORD_LOGPROB = -16.0
CLAUSE_BREAKS = {".", ",", "!", "?", ";", ":", "(", ")", "but", "though", "although", "however", "yet"}
TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)*|[^\sa-z0-9]", re.IGNORECASE)
NOT_A_NEGATION = {"stop", "help", "wait", "believe", "only", "just", "expect", "expected"}  # "cant stop feeling guilty", "didnt expect to feel so seen"
NEGATION = re.compile(r"^(?:not|nt|never|no|without|dont|didnt|doesnt|wasnt|isnt|werent|wont|cant|couldnt|"
                      r"hasnt|havent|hadnt|aint|wouldnt|shouldnt|hardly|barely|neither|nor)$")
# a value the person is unsure of is not stated: "maybe something i said, maybe her own stuff",
# "not sure whether it was about me or about her"
HEDGES = {"maybe", "perhaps", "whether", "if", "either", "possibly"}
SCHEDULE = {"see", "seeing", "saw", "meet", "meeting", "met", "go", "going", "visit", "visiting", "attend", "book",
            "doing", "having", "therapy", "appointment", "appointments"}
CLIENT_ACTS = {"told", "said", "shared", "talked", "opened", "spoke", "admitted", "felt", "feel", "mentioned",
               "described", "cried", "confessed", "wrote", "realised", "realized"}
THIRD_PERSON = {"she", "he", "they", "shes", "hes", "theyre"}
# "everything is so hard lately", "work has been a lot": how strong and how often are then said of life,
# not of the tears (unless the therapist or the crying comes in between: "my week was hard and she cried hard")
LIFE_SUBJECTS = {"everything", "life", "things", "stuff", "work", "school", "job", "day", "days", "week", "weeks",
                 "month", "year", "world", "today", "college", "uni", "exams", "money", "family", "home", "group",
                 "plans", "plan", "friendship", "relationship", "marriage", "project", "team", "business", "house"}
# "i miss her so much", "i felt so bad": how strong is then said of the client's feeling, not of the tears
FIRST_PERSON_SUBJECTS = {"i", "im", "ive"}
OWN_FEELING_VERBS = {"miss", "missed", "love", "loved", "hate", "hated", "feel", "felt", "need", "needed", "want",
                     "wanted", "worry", "worried", "care", "cared", "like", "liked", "blame", "blamed", "struggle",
                     "struggled", "suffer", "suffered", "regret", "regretted", "appreciate", "appreciated", "thank",
                     "owe", "trust", "trusted", "grieve", "grieved", "grieving", "missing", "loving", "hurt"}
ECHO = re.compile(r"^(?:what do you mean|what does|whats|what is|define|meaning of)\b")
SOMEONE_ELSE = {"people", "everyone", "everybody", "others", "patients", "clients", "customers", "kids", "children"}
FIRST_PERSON = re.compile(r"^(?:i|me|im|ive|id|myself|felt|feel|feels|feeling|it|its|was|made|makes|honestly|"
                          r"kinda|so|really|just|very|bit|little|left|leaves)$")
THERAPY_WORD = re.compile(r"^(?:therapist\w*|therapy|counsell?or\w*|counsel\w*|psych\w*|shrink|session\w*|t|ts|"
                          r"clinician|analyst|social)$")
SENTENCE_END = {".", "!", "?"}
SENTENCES_AFTER = 3  # sentences after one that tells of the session that are still about it
WHOLE_MESSAGE_SENTENCES = 4  # shorter messages are read whole; longer ones only where the session is told
STORY_SLOTS = {"crying_frequency", "crying_focus", "client_feeling"}  # facts other life topics share words with
THIRD_PERSON_STATE = re.compile(
    r"(?:^|\s)(?:she|he|they|t|therapist|counsell?or|psychologist|shrink|my \w+|(?:her|his) \w+)\s+(?:\w+\s+)?"
    r"(?:was|is|were|felt|feels|seemed|seems|looked|looks|got|gets|became|sounded|appeared)\s+(?:\w+\s+)?$")

NEGATION_INSIDE = re.compile(r"(?<![a-z])(?:not|never|no|dont|didnt|cant|couldnt|wasnt|isnt|hasnt|aint|wont|"
                             r"without|cannot|nt)(?![a-z])")  # "not the first time" holds its own negation
QUESTION_START = re.compile(r"^(?:what|why|how|who|when|where|which|do|does|did|is|are|can|could|should|would|will)\b")
SHORT_ANSWER_WORDS = 10  # a reply this short may be read anywhere for the question's answer


@dataclass(frozen=True)
class Phrase:
    slot: str
    value: str
    pattern: re.Pattern
    near_cry: bool = False
    first_person: bool = False
    answer: bool = False


@dataclass(frozen=True)
class Match:
    phrase: Phrase
    start: int  # token index
    end: int  # token index, exclusive
    length: int  # folded characters, to prefer the most specific phrase


class Lexicon:
    """The phrase table, compiled once."""

    def __init__(self, data: dict):
        self.macros = {k: v for k, v in data["macros"].items()}
        self.near_cry_words = int(data.get("near_cry_words", 8))
        self.cry = re.compile(rf"(?<![a-z0-9]){self._expand('{CRY}')}(?![a-z0-9])")
        self.slots: Dict[str, dict] = data["slots"]
        self.phrases: List[Phrase] = []
        for slot, spec in self.slots.items():
            for kind, answer in (("values", False), ("answers", True)):
                for value, phrases in (spec.get(kind) or {}).items():
                    for raw in phrases:
                        self.phrases.append(self._compile(slot, value, str(raw), answer))
        self.words = {w for p in self.phrases for w in re.findall(r"[a-z]{4,}", p.pattern.pattern)}
        self.words |= set(data.get("vocabulary") or [])
        self.corrections: Dict[str, str] = dict(data.get("corrections") or {})

    def _expand(self, text: str) -> str:
        for _ in range(3):  # macros may use macros
            text = re.sub(r"\{([A-Z]+)\}", lambda m: self.macros[m.group(1)], text)
        return text

    def _compile(self, slot: str, value: str, raw: str, answer: bool) -> Phrase:
        body, _, flags = raw.partition("||")
        flags = set(flags.split())
        expanded = self._expand(body.strip()).replace(" ", r"\s+")
        pattern = re.compile(rf"(?<![a-z0-9])(?:{expanded})(?![a-z0-9])")
        return Phrase(slot, value, pattern, "near_cry" in flags, "first_person" in flags, answer)


# A change told in one message ("at first it was sweet but now its just weird", "used to be once in a
# while, now every session"): of two values for one slot, the one after the change is the one that holds.
# what holds now ("but now", "by the sixth time"); a later marker of the same change ("first time i
# was moved. second time, kinda nice. by the sixth time i had no idea what to think"): the value
# after the last one holds
LATER_MARKER = re.compile(r"\b(?:but now|now|these days|lately|recently|by the \w+ time)\b")
CHANGED_SINCE = re.compile(r"\b(?:used to|at first|initially|in the beginning|to begin with|the first time|first time)\b"
                           r".{0,200}?" + LATER_MARKER.pattern)


@functools.lru_cache(maxsize=None)
def lexicon() -> Lexicon:
    return Lexicon(yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=None)
def english_words() -> frozenset:
    """Words English has, never 'corrected': spaCy's lemma table and its ~100,000 most frequent words
    (below that frequency the web's word list is mostly misspellings: "gulity", "awkard")."""
    import spacy_lookups_data
    import srsly

    data = Path(spacy_lookups_data.__file__).parent / "data"
    lemmas = srsly.read_gzip_json(data / "en_lemma_lookup.json.gz")
    frequent = srsly.read_gzip_json(data / "en_lexeme_prob.json.gz")
    return frozenset(lemmas) | frozenset(lemmas.values()) | frozenset(
        w for w, logprob in frequent.items() if logprob >= KNOWN_WORD_LOGPROB and w.isalpha())


def _within_edits(a: str, b: str, limit: int) -> bool:
    """Damerau-Levenshtein distance <= limit (small words, small limits)."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return False
        prev2, prev = prev, cur
    return prev[-1] <= limit


@functools.lru_cache(maxsize=20000)
def correct(word: str) -> str:
    """A lexicon word for a misspelt one ("sobing" -> "sobbing"); known words stay as they are."""
    lex = lexicon()
    if word in lex.corrections:
        return lex.corrections[word]
    if len(word) < 5 or word in lex.words or word in english_words() or not word.isalpha():
        return word
    limit = 1 if len(word) < 7 else 2
    close = [c for c in lex.words if c[0] == word[0] and _within_edits(word, c, limit)]
    if not close:
        return word
    # the nearest ("wepeing" is one swap from "weeping", two edits from "wedding")
    return min(close, key=lambda c: (0 if _within_edits(word, c, 1) else 1, abs(len(c) - len(word)), c))


def fold_tokens(text: str) -> Tuple[List[str], List[Tuple[int, int]]]:
    """Folded tokens and their spans in `text`."""
    tokens, spans = [], []
    for match in TOKEN.finditer(unicodedata.normalize("NFKC", text or "")):
        token = match.group(0).lower()
        if token in "-_/*\"“”~^":
            continue
        token = re.sub(r"['’]", "", token)
        token = re.sub(r"([a-z])\1{2,}", r"\1\1", token)
        if not token:
            continue
        tokens.append(correct(token))
        spans.append((match.start(), match.end()))
    return tokens, spans


class Reader:
    """Reads one message: every phrase match, then one value per slot."""

    def __init__(self, text: str):
        self.lex = lexicon()
        self.tokens, self.spans = fold_tokens(text)
        self.folded = " ".join(self.tokens)
        self.starts = []  # folded char offset of each token
        offset = 0
        for token in self.tokens:
            self.starts.append(offset)
            offset += len(token) + 1
        self.cry_at = [self._token_at(m.start()) for m in self.lex.cry.finditer(self.folded)] if self.tokens else []
        words = [t for t in self.tokens if t[0].isalnum()]
        # a short reply, not a question back ("what do you mean by responsible?")
        self.may_be_an_answer = 0 < len(words) <= SHORT_ANSWER_WORDS and not (
            QUESTION_START.match(self.folded) or (self.tokens and self.tokens[-1] == "?"))
        # an answer first, then more: "About my story, definitely. She said something like..." is
        # read for the answer in its first sentence, when that sentence is short and no question
        self.answer_tokens = len(self.tokens)
        if not self.may_be_an_answer:
            end = next((i for i, t in enumerate(self.tokens) if t in SENTENCE_END), None)
            first = [t for t in self.tokens[:end] if t[0].isalnum()] if end else []
            if first and len(first) <= SHORT_ANSWER_WORDS and self.tokens[end] != "?" and \
                    not QUESTION_START.match(self.folded):
                self.may_be_an_answer, self.answer_tokens = True, end
        self.echo = bool(ECHO.match(self.folded))
        self.hedged: set = set()
        self.about_the_session = self._sentences_about_the_session()
        self.someone_else = self._someone_elses_tears()

    def _sentences_about_the_session(self) -> List[bool]:
        """Per token: is it in a sentence that tells of the session (a crying or therapy word), or
        the sentence after one? Long messages mix in work, family and money, whose "3rd time" or
        "so frustrating" are not about the therapist."""
        sentences, current = [], []
        for i, token in enumerate(self.tokens):
            current.append(i)
            if token in SENTENCE_END:
                sentences.append(current)
                current = []
        if current:
            sentences.append(current)
        if len(sentences) <= WHOLE_MESSAGE_SENTENCES:
            return [True] * len(self.tokens)
        cry = set(self.cry_at)
        told = [any(i in cry or THERAPY_WORD.match(self.tokens[i]) for i in s) for s in sentences]
        mask = [False] * len(self.tokens)
        for n, sentence in enumerate(sentences):
            if any(told[max(0, n - SENTENCES_AFTER):n + 1]):
                for i in sentence:
                    mask[i] = True
        return mask

    def _someone_elses_tears(self) -> List[bool]:
        """Per token: is it in a sentence where someone else cries ("my mom cries all the time now",
        "my sponsor cried when i told him too") and no therapist is named? Those sentences say nothing
        about the session."""
        out = [False] * len(self.tokens)
        start = 0
        for end in [i for i, t in enumerate(self.tokens) if t in SENTENCE_END] + [len(self.tokens)]:
            sentence = range(start, end)
            if not any(THERAPY_WORD.match(self.tokens[i]) for i in sentence):
                for c in (c for c in self.cry_at if start <= c < end):
                    before = self.tokens[max(start, c - 4):c]
                    if SOMEONE_ELSE & set(before) or (
                            "my" in before and not {"she", "he", "they", "her", "him"} & set(before[before.index("my"):])):
                        for i in sentence:
                            out[i] = True
            start = end + 1
        return out

    def _token_at(self, char: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= char:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _clause_before(self, start: int, window: int) -> List[str]:
        words: List[str] = []
        for token in reversed(self.tokens[max(0, start - window):start]):
            if token in CLAUSE_BREAKS:
                break
            words.insert(0, token)
        return words

    def _negated(self, m: Match) -> bool:
        before = self._clause_before(m.start, NEGATION_WINDOW)
        return any(NEGATION.match(w) and (i + 1 >= len(before) or before[i + 1] not in NOT_A_NEGATION)
                   for i, w in enumerate(before))

    def _keeps(self, m: Match, relaxed: bool = False) -> bool:
        p = m.phrase
        said = " ".join(self.tokens[m.start:m.end])
        if not NEGATION_INSIDE.search(said) and self._negated(m):  # "not the first time" holds its own
            return False
        if p.slot in ("crying_intensity", "crying_frequency") and self._said_of_life(m):
            return False
        if relaxed:
            return True  # the answer to the question just asked: no context needed
        if self.someone_else[m.start]:
            return False
        if p.slot in STORY_SLOTS and not self.about_the_session[m.start]:
            return False
        if self.echo:
            return False  # "what do you mean by responsible?" repeats the question's word
        before = self._clause_before(m.start, NEGATION_WINDOW)
        if p.slot in ("crying_focus", "client_feeling") and HEDGES & set(before):
            self.hedged.add(p.slot)  # unsure of it: no value for this slot from this message
            return False
        if p.slot == "crying_frequency":
            clause = self._clause_before(m.start, 12)
            if SCHEDULE & set(clause[-6:]):
                return False  # "i see a counsellor weekly" is the appointments, not the tears
            if "i" in clause:
                after_i = clause[len(clause) - 1 - clause[::-1].index("i"):]
                if CLIENT_ACTS & set(after_i) and not THIRD_PERSON & set(after_i):
                    return False  # "i told her about it for the first time ever": the client's first time
        if p.near_cry and not any(min(abs(c - m.start), abs(c - (m.end - 1))) <= self.lex.near_cry_words
                                  for c in self.cry_at):
            return False
        if p.slot == "client_feeling":
            before = " ".join(self._clause_before(m.start, FIRST_PERSON_WINDOW))
            if THIRD_PERSON_STATE.search(" " + before + " ") and "me" not in before.split():
                return False  # "she was moved": the therapist's feeling, not the client's
            if p.first_person and not any(FIRST_PERSON.match(w) for w in before.split()) and m.start > 0:
                return False
        return True

    def _said_of_life(self, m: Match) -> bool:
        """Is the phrase said of life or of the client's own feelings rather than of the crying: is
        the nearest subject before it in its clause "everything", "work", "my week"..., or "i" with
        a verb of feeling ("i miss her so much", "i felt so bad"), and not the therapist or a
        crying word?"""
        cry = set(self.cry_at)
        for i in range(m.start - 1, max(-1, m.start - 12), -1):
            token = self.tokens[i]
            if token in CLAUSE_BREAKS:
                return False
            if token in FIRST_PERSON_SUBJECTS and self.tokens[i + 1] in OWN_FEELING_VERBS:
                return True
            if token in {"her", "him", "them"} and i >= 2 and self.tokens[i - 1] in OWN_FEELING_VERBS \
                    and self.tokens[i - 2] in FIRST_PERSON_SUBJECTS:
                return True  # "i miss her so much"
            if i in cry or token in THIRD_PERSON or THERAPY_WORD.match(token) or token in {"her", "him", "them"}:
                return False
            if token in LIFE_SUBJECTS:
                return True
        return False

    def matches(self, answers: bool, relaxed: bool = False) -> List[Match]:
        found = []
        if (answers or relaxed) and not self.may_be_an_answer:
            return found
        for phrase in self.lex.phrases:
            if phrase.answer != answers:
                continue
            for hit in phrase.pattern.finditer(self.folded):
                if hit.end() == hit.start():
                    continue
                start, end = self._token_at(hit.start()), self._token_at(hit.end() - 1) + 1
                if (answers or relaxed) and end > self.answer_tokens:
                    continue  # an answer is read in the short first sentence only
                match = Match(phrase, start, end, hit.end() - hit.start())
                if self._keeps(match, relaxed):  # before overlaps: a phrase out of context blocks nothing
                    found.append(match)
        # the most specific phrase wins where phrases overlap ("not the first time" over "first time")
        kept: List[Match] = []
        taken: Dict[str, set] = {}
        for m in sorted(found, key=lambda m: (-m.length, m.start)):
            used = taken.setdefault(m.phrase.slot, set())
            if used & set(range(m.start, m.end)):
                continue
            used.update(range(m.start, m.end))
            kept.append(m)
        return sorted(kept, key=lambda m: m.start)

    def resolve(self, slot: str, matches: List[Match]) -> Optional[Match]:
        """One value for `slot` when the message holds several (see `resolve` in the lexicon)."""
        spec = self.lex.slots[slot]
        by_value: Dict[str, Match] = {}
        for m in matches:
            by_value.setdefault(m.phrase.value, m)
        if len(by_value) <= 1:
            return next(iter(by_value.values()), None)
        changed = CHANGED_SINCE.search(self.folded)
        if changed:  # "i used to feel touched but now i feel like im hurting her": what holds now
            last = changed.end()
            for later in LATER_MARKER.finditer(self.folded, changed.end(), changed.end() + 300):
                last = later.end()
            pivot = self._token_at(last - 1)
            after = [m for m in by_value.values() if m.start > pivot]
            if after and any(m.start <= pivot for m in by_value.values()):
                return min(after, key=lambda m: m.start)
        rule = spec.get("resolve", "prefer")
        if rule == "nearest_cry" and self.cry_at:
            return min(by_value.values(), key=lambda m: min(abs(c - m.start) for c in self.cry_at))
        if rule == "feelings":
            for combo in spec.get("mixed") or []:
                if all(v in by_value for v in combo["when"]):
                    first = min(by_value.values(), key=lambda m: m.start)
                    return Match(Phrase(slot, combo["value"], first.phrase.pattern), first.start, first.end, 0)
        for value in spec.get("order") or []:
            if value in by_value:
                return by_value[value]
        return min(by_value.values(), key=lambda m: m.start)

    def entities(self) -> List[dict]:
        chosen: Dict[str, Tuple[Match, bool]] = {}
        description = self.matches(answers=False)
        for slot in self.lex.slots:
            best = self.resolve(slot, [m for m in description if m.phrase.slot == slot])
            if best and (slot not in self.hedged or best.phrase.value == "confused"):
                # a hedge leaves a slot open ("maybe she was moved"), except the feeling of being torn
                # itself ("not sure if im touched or creeped out")
                chosen[slot] = (best, False)
        # as the answer to one question: a short reply ("a little"), else the first phrase for that slot
        # anywhere in the message, whatever its context ("her dad", "once but im scared it happens again")
        answers: Dict[str, Match] = {}
        candidates = self.matches(answers=True) + self.matches(answers=False, relaxed=True)
        for m in sorted(candidates, key=lambda m: (m.start, -m.length)):
            answers.setdefault(m.phrase.slot, m)
        # every value also as an `answer`, so a reply the classifier files under another intent
        # ("sad and weird honestly" as share_sadness) still answers the question asked
        out = []
        stated = [(m.start, m.end) for m, _ in chosen.values()]
        for slot, m in answers.items():
            best = chosen[slot][0] if slot in chosen else m
            if slot not in chosen and any(m.start < end and start < m.end for start, end in stated):
                continue  # its words already state another fact ("several" in "happened several times")
            out.append(self._entity(slot, best, answer=True))
        for slot, (m, _) in chosen.items():
            out.append(self._entity(slot, m, answer=False))
        return sorted(out, key=lambda e: (e[ENTITY_ATTRIBUTE_START], ENTITY_ATTRIBUTE_ROLE in e))

    def _entity(self, slot: str, m: Match, answer: bool) -> dict:
        start, end = self.spans[m.start][0], self.spans[m.end - 1][1]
        entity = {ENTITY_ATTRIBUTE_TYPE: slot, ENTITY_ATTRIBUTE_VALUE: m.phrase.value,
                  ENTITY_ATTRIBUTE_START: start, ENTITY_ATTRIBUTE_END: end, "confidence_entity": 1.0,
                  EXTRACTOR: EXTRACTOR_NAME}
        if answer:
            entity[ENTITY_ATTRIBUTE_ROLE] = ANSWER_ROLE
        return entity


def extract(text: str) -> List[dict]:
    """Situation entities in `text` (plain ones, and `answer` ones for a reply to one question)."""
    if not text or text.startswith("/"):
        return []
    return Reader(text[:5000]).entities()


def values(text: str, requested: Optional[str] = None) -> Dict[str, str]:
    """slot -> canonical value, as the domain's mappings would fill them (for tests and reports)."""
    found: Dict[str, str] = {}
    for e in extract(text):
        if e.get(ENTITY_ATTRIBUTE_ROLE) == ANSWER_ROLE and e[ENTITY_ATTRIBUTE_TYPE] != requested:
            continue
        found.setdefault(e[ENTITY_ATTRIBUTE_TYPE], e[ENTITY_ATTRIBUTE_VALUE])
    return found


def slot_names() -> Iterable[str]:
    return lexicon().slots.keys()


def warm_up() -> None:
    """Compile the table and load the word list now, not on someone's first message."""
    lexicon()
    english_words()
