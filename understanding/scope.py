"""Is this message about the client's own therapist? The check behind the scope gate.

The intent classifier learns that crying, sadness and family words go with the therapist flow, so
"my boss cried in a meeting", "i wish i had more friends" or "add my wife to my checking account"
were taken in as if someone had described their therapist crying. This reads the message for a
therapist (or a therapy session) and for who is crying, and says what the message is instead:
- `someone_else`: another person's tears (a boss, a partner, a film, the client's own) with no therapist;
- `sadness`: sadness, loneliness or grief with no therapist in it;
- `errand`: an everyday request (weather, banking, travel, cooking, devices...) with nothing of a
  therapist, crying, feelings or sadness in it;
- `unrelated`: nothing of a therapist, a session, crying or feelings at all;
- `therapist`: a therapist (or a session with a crying word) is named;
- `unclear`: none of these (a pronoun, "should i leave??"): left to the classifier and the dialogue,
  since mid-conversation "she cried again" is about the therapist already named.
Word lists are data (data/lexicon/scope.yml); plain Python, shared by the NLU component and reports.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional, Tuple
from pathlib import Path

import yaml

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "scope.yml"


@dataclass(frozen=True)
class Scope:
    kind: str  # therapist | someone_else | sadness | errand | unrelated | unclear
    reason: str = ""


class ScopeLexicon:
    def __init__(self, data: dict):
        def words(key: str) -> str:
            return "|".join(str(w) for w in data[key])

        self.therapist = re.compile(rf"(?<![a-z])(?:{words('therapist')})(?![a-z])")
        self.not_a_therapist = re.compile(rf"(?<![a-z])(?:{words('not_a_therapist')})(?![a-z])")
        self.session = re.compile(rf"(?<![a-z])(?:{words('session')})(?![a-z])")
        self.cry = re.compile(rf"(?<![a-z])(?:{words('cry')})(?![a-z])")
        self.third_person = re.compile(rf"(?<![a-z])(?:{words('third_person')})(?![a-z])")
        others = words("other_people")
        # at the start of a message the crier needs no article ("newborn crying nonstop", "why do babies
        # cry"), but not the everyone-words: "why would someone trained for this cry" asks about therapists
        generic = {str(w) for w in data.get("generic_people", [])}
        specific = "|".join(str(w) for w in data["other_people"] if str(w) not in generic)
        person_crier = (
            rf"(?:(?<![a-z])(?:my|our|the|a|an|his|her|their|this|that|some|every|all|your|another|why do|do)\s+"
            rf"(?:\w+\s+){{0,2}}?(?:{others})|^(?:\w+\s+){{0,2}}?(?:{specific}))"
            # up to five words between the person and the tears (whose tears they are is read by
            # `_tears_are_the_persons`)
            rf"s?\s+(?:\w+\s+){{0,5}}?(?:{words('cry')})(?![a-z])")
        self.person_crier = re.compile(person_crier)
        self.generic_people = frozenset(str(w) for w in data.get("generic_people", []))
        self.annoyance = re.compile(rf"(?<![a-z])(?:{words('annoyance')})(?![a-z])")
        self.media_tears = re.compile(rf"(?<![a-z])(?:{words('media_tears')})(?![a-z])")
        # the therapist as a person, not "therapy" or "counselling"
        self.therapist_person = re.compile(rf"(?<![a-z])(?:{words('therapist_person')})(?![a-z])")
        self.my_people = re.compile(rf"(?<![a-z])my\s+(?:\w+\s+)?(?:{others})s?(?![a-z])")  # the client's own
        self.own_tears = re.compile(rf"(?<![a-z])(?:i|im|ive|me|myself)\s+(?:\w+\s+){{0,3}}?(?:{words('cry')})(?![a-z])")
        self.sadness = re.compile(rf"(?<![a-z])(?:{words('sadness')})(?![a-z])")
        self.feeling = re.compile(rf"(?<![a-z])(?:{words('feeling')})(?![a-z])")
        self.errand = re.compile(rf"(?<![a-z])(?:{words('errand')})(?![a-z])")
        self.not_sadness = re.compile(rf"(?<![a-z])(?:{words('not_sadness')})(?![a-z])")
        self.therapy_admin = re.compile(rf"(?<![a-z])(?:{words('therapy_admin')})(?![a-z])")
        self.therapy_admin_not = re.compile(str(data["therapy_admin_not"]))
        self.chat_words = frozenset(str(w) for w in data["chat_words"])
        self.question_topic_min_words = int(data.get("question_topic_min_words", 6))
        self.question_topics = {
            intent: re.compile(rf"(?<![a-z])(?:{'|'.join(str(w) for w in topics)})(?![a-z])")
            for intent, topics in (data.get("question_topics") or {}).items()}


@functools.lru_cache(maxsize=None)
def lexicon() -> ScopeLexicon:
    return ScopeLexicon(yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8")))


def fold(text: str) -> str:
    """Lower case, apostrophes dropped, misspellings of the lexicon's words corrected ("therpist")."""
    from understanding.situation import fold_tokens

    tokens, _ = fold_tokens(text)
    return " ".join(t for t in tokens if t.isalnum())


REPEATED_LETTERS = re.compile(r"([a-z])\1+")


MARKUP_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,200}>")
CODE_CALL = re.compile(r"^[\W\d_]*[A-Za-z_][\w.]*\s*\([^()]{0,200}\)[\s;]*$")


def is_markup_or_code(text: str) -> bool:
    """Markup or a line of code with nothing said around it ("<script>alert('x')</script>"): no
    question about anything, whatever the classifier guesses from its words. Tags around words
    ("<b>my therapist cried</b>") leave the words to be read."""
    if not MARKUP_TAG.search(text or "") and not CODE_CALL.match((text or "").strip()):
        return False
    rest = MARKUP_TAG.sub(" ", text).strip()
    return not rest or bool(CODE_CALL.match(rest))


def has_no_words(text: str) -> bool:
    """Not one word English or chat has ("blorp blorp", "kjdhfkjsdhf"): letters, but nothing to read.
    One- and two-letter tokens ("k", "ty") count as words, misspellings of the lexicon's words are
    corrected first ("sobing"), and letters repeated for emphasis are folded ("hiii", "thankss")."""
    from understanding.situation import english_words

    known, chat = english_words(), lexicon().chat_words

    def is_word(w: str) -> bool:
        return len(w) <= 2 or any(v in known or v in chat for v in
                                  (w, REPEATED_LETTERS.sub(r"\1", w), REPEATED_LETTERS.sub(r"\1\1", w)))

    words = re.findall(r"[a-z]+", fold(text))
    return bool(words) and not any(is_word(w) for w in words)


# in "my grandmother and she teared up", "my friend said crying is a no-no" the crier is not the person named
NOT_THE_CRIER = {"she", "he", "they", "shes", "hes", "theyre", "and", "but", "when", "while", "then", "so", "because",
                 "cause", "bc", "who", "after", "until", "said", "says", "say", "told", "tells", "thinks", "think",
                 "asked", "asks", "wonders", "if", "whether", "made", "makes", "make", "saw", "see", "watching"}
APPOSITION = re.compile(r"(?:\bwho|\bwhos|\bshes|\bhes|\bis|\bwas|\bherself|\bhimself)\s*$")


MALE = {"dad", "father", "daddy", "brother", "son", "husband", "boyfriend", "bf", "grandpa", "grandfather", "uncle",
        "nephew", "stepdad", "stepfather", "man", "guy", "dude", "boy", "groom", "fiance", "vicar", "priest"}
FEMALE = {"mom", "mum", "mother", "mommy", "mam", "sister", "daughter", "wife", "girlfriend", "gf", "grandma",
          "grandmother", "gran", "granny", "nan", "aunt", "niece", "stepmom", "stepmum", "stepmother", "woman",
          "lady", "girl", "bride", "fiancee"}
# subjects only: in "my mum cried at his funeral" the tears are still the mum's
PRONOUNS = {"he": MALE, "hes": MALE, "she": FEMALE, "shes": FEMALE}
WRITER = {"i", "im", "ive", "id", "we"}


def _gender(word: str):
    """MALE or FEMALE for a gendered person word ("dad", "sisters"), else None."""
    for form in (word, word.rstrip("s")):
        if form in MALE:
            return MALE
        if form in FEMALE:
            return FEMALE
    return None


def _tears_are_the_persons(phrase: str) -> bool:
    """Whose tears a "person ... cried" phrase tells, read from the last subject before the tears: in
    "my nan passed away and i keep crying" the writer's, in "my dad leaving and she just broke down"
    not the dad's (a pronoun that cannot stand for him), in "my coworker's eyes were red, i think
    she was crying" the coworker's."""
    words = phrase.split()
    gender = next((g for g in map(_gender, words) if g is not None), None)
    subject = next((w for w in reversed(words[1:-1]) if w in WRITER or w in PRONOUNS or w in ("they", "theyre")), None)
    if subject in WRITER:
        return False
    return gender is None or subject not in PRONOUNS or PRONOUNS[subject] is gender


def someone_else_cries(folded: str) -> bool:
    """Someone other than the therapist or the writer cries in the message, or a film or song moved
    someone to tears."""
    lex = lexicon()
    if lex.media_tears.search(folded):
        return True
    start = 0
    while (m := lex.person_crier.search(folded, start)) is not None:
        if _tears_are_the_persons(m.group(0)):
            return True
        start = m.start() + 1
    return False


def only_others_cry(folded: str) -> bool:
    """Are all the tears in a message that names a therapist someone else's? Each "my boyfriend
    cries" / "the receptionist started crying" is masked, unless it describes the therapist ("my
    therapist, a mum herself, cried", "my therapist who is a dad cried"); true when such a crier
    was found and no crying word is left over for the therapist. Films and songs that made the client
    cry ("my therapist made me cry") are not masked: the client's own tears in therapy stay in scope."""
    lex = lexicon()
    masked = False
    for m in lex.person_crier.finditer(folded):
        before = folded[max(0, m.start() - 40):m.start()]
        words = set(m.group(0).split())
        if lex.therapist.search(m.group(0)) or lex.therapist.search(" ".join(before.split()[-2:])) or \
                APPOSITION.search(before) or words & NOT_THE_CRIER or words & lex.generic_people:
            continue  # the phrase speaks of the therapist, or its tears may be someone else's
        folded = folded[:m.start()] + " " * (m.end() - m.start()) + folded[m.end():]
        masked = True
    return masked and not lex.cry.search(folded)


@functools.lru_cache(maxsize=4096)
def read(text: str, crying_described: bool = False) -> Scope:
    """What the message is about; `crying_described`: the situation reader found how someone cried."""
    lex = lexicon()
    folded = fold(text[:5000])
    folded = lex.not_a_therapist.sub(" person ", folded)  # a massage therapist is someone else
    if lex.therapist.search(folded):
        if someone_else_cries(folded) and not lex.therapist_person.search(folded):
            # therapy named, no therapist, and someone else in tears: "my mom cried when i told her i
            # started therapy", "in couples therapy my wife cried the whole hour"
            return Scope("someone_else", "someone else's tears, therapy named in passing")
        if only_others_cry(folded):
            # "my therapist says its normal that my boyfriend cries all the time"
            return Scope("someone_else", "a therapist named, someone else in tears")
        return Scope("therapist", "names a therapist")
    errand = bool(lex.errand.search(folded))
    folded = lex.not_sadness.sub(" thing ", folded)  # "my phone died", "sad piano songs"
    cry = crying_described or bool(lex.cry.search(folded))
    if someone_else_cries(folded):
        return Scope("someone_else", "someone else's tears")
    if cry and lex.session.search(folded):
        return Scope("therapist", "crying in a session")
    if cry and lex.third_person.search(folded):
        return Scope("unclear", "she or he cried")
    if lex.sadness.search(folded) or (cry and lex.own_tears.search(folded)):
        return Scope("sadness", "sadness with no therapist")
    if not cry and not lex.third_person.search(folded) and not lex.feeling.search(folded):
        if errand:
            return Scope("errand", "an everyday request")
        return Scope("unrelated", "no therapist, crying or feeling")
    return Scope("unclear")


# Intents that take a message into the therapist flow. A description or a feeling with no therapist
# in it is read for what it is; a question ("should i leave??") keeps its intent unless someone
# else's tears are its subject, since mid-conversation it is about the therapist already named.
DESCRIPTION_INTENTS = {"describe_therapist_crying", "feel_uncomfortable", "feel_annoyed", "feel_responsible",
                       "feel_cared_for", "feel_confused", "skip_question"}
QUESTION_INTENTS = {"ask_is_it_normal", "ask_is_it_professional", "ask_why_therapists_cry", "ask_effect_on_therapy",
                    "ask_how_to_raise_it", "ask_should_i_leave", "ask_more_perspectives", "report_boundary_concern",
                    "identify_as_therapist", "ask_research"}
NOT_UNDERSTOOD = {"out_of_scope", "nlu_fallback", "share_sadness"}
# questions that need one of their own topic words to be about the therapist at all
TOPIC_BOUND_QUESTIONS = {"ask_why_therapists_cry"}
# what the classifier makes of errands by their shape: "can you help me with my cv" is not a question
# about the assistant, "how long do tortoises live" is not sadness
ERRAND_MISREADINGS = {"share_sadness", "ask_capabilities", "nlu_fallback"}
# what was felt, named by a pronoun only: "about it", "it was", "thats" ("it took an hour" names its thing)
ABOUT_IT = re.compile(r"\b(?:about (?:it|that|this)|(?:it|that|this) (?:was|is|felt|feels|made|makes|helped|left|got|has)"
                      r"|its|thats|it s|that s)\b")
FIRST_PERSON = re.compile(r"\b(?:i|im|ive|id|ill|my|myself|me|we|our|us)\b")
PROFESSIONS = r"(?:therapist|counsell?or|psychologist|psychotherapist|psychiatrist|lmft|lcsw|clinician|social worker|analyst)"
SPEAKER_IS_THERAPIST = re.compile(
    rf"\b(?:i am|im|i m|as|being|i work as|i\'m) (?:a|an) (?:\w+ ){{0,2}}?{PROFESSIONS}\b|\b{PROFESSIONS} (?:here|asking)\b"
    r"|\bmy (?:client|clients|patient|patients|supervisor)\b|\bwith (?:a|my) (?:client|patient)\b")
CLIENT_OF_A_THERAPIST = re.compile(rf"\bmy (?:\w+ )?(?:{PROFESSIONS}|t|shrink|psych\w*)\b")
# a minor: a school counsellor, an age under 18, a school year, or parents who may be told
YOUNG_PERSON = re.compile(
    r"\bschool (?:counsell?or|counselor|psychologist|nurse|social worker|therapist)\b"
    r"|\b(?:i m|im|i am) (?:1[0-7]|thirteen|fourteen|fifteen|sixteen|seventeen)\b(?! ?(?:years?|yrs?|months?|weeks?|days?|sessions?|minutes?|mins?|hours?|hrs?|km|miles|kg|lbs|percent|k)\b)"
    r"|\b(?:i m|im|i am) (?:in )?(?:\d+|\w+)(?:th|st|nd|rd)? grade\b|\b(?:in|im in|i m in) year (?:[7-9]|1[0-2])\b"
    r"|\b(?:i m|im|i am) (?:in|at) (?:high school|middle school|secondary school)\b"
    r"|\b(?:tell|telling|told|call|calling|inform) my (?:mom|mum|dad|parents|mom and dad|mum and dad)\b"
    r"|\bmy (?:mom|mum|dad|parents) (?:will|would|might|could) find out\b")


def who_is_talking(text: str) -> str:
    """"therapist" (one who cried with a client), "young_person" (a minor, usually with a school
    counsellor), "client" (of a therapist), or "" when it does not say."""
    found = speaker_phrase(text)
    return found[0] if found else ""


def speaker_phrase(text: str) -> Optional[Tuple[str, int, int]]:
    """who_is_talking, with where the message says it: (speaker, start, end) in `text`."""
    folded = (text or "").lower().replace("’", "'")  # same length: the spans hold for `text`
    therapist = SPEAKER_IS_THERAPIST.search(folded)
    client = CLIENT_OF_A_THERAPIST.search(folded)
    if therapist and not client:
        return "therapist", therapist.start(), therapist.end()
    young = YOUNG_PERSON.search(folded.replace("'", " "))
    if young:
        return "young_person", young.start(), young.end()
    if client and not therapist:
        return "client", client.start(), client.end()
    return None


ANSWER_MAX_WORDS = 12  # longer than this, a message with no therapist in it is not a form answer
TOLD_STORY_MIN_WORDS = 15


def _on_topic(intent: str, folded: str) -> bool:
    """The question names its own topic, or says nothing the therapist flow has not heard of: only a
    question with no topic word whose content words are mostly foreign to the flow's training
    examples ("my gums bleed when i floss, is that normal?") is about something else; "surely this
    doesnt happen to most people?" uses the flow's own words."""
    topics = lexicon().question_topics.get(intent)
    if topics is None or topics.search(folded):
        return True
    content = [w for w in folded.split() if len(w) >= 3 and w.isalpha() and w not in FUNCTION_WORDS]
    foreign = [w for w in content if w not in flow_vocabulary()]
    return len(foreign) < 2 or len(foreign) < 0.4 * len(content)


FUNCTION_WORDS = frozenset(
    "the and but for you your are was were has have had not dont doesnt didnt cant wont isnt arent "
    "this that these those what when where which who why how with from into about just like really "
    "very some any all can could would should will shall does did its our out there their they them "
    "then than too also only even still ever much many more most such being been here now get got".split())


@functools.lru_cache(maxsize=None)
def flow_vocabulary() -> frozenset:
    """Every word of the NLU training examples of intents that are not about something else (the
    out-of-scope, sadness and other-topics examples left out), folded as messages are."""
    from safety.training_text import example_lines, nlu_blocks

    words = set()
    for block in nlu_blocks():
        if block["intent"] in ("out_of_scope", "share_sadness", "other_language"):
            continue
        for line in example_lines(block):
            words.update(fold(line).split())
    return frozenset(words)


def therapy_errand(folded: str, crying_described: bool = False, situation_told: bool = False) -> bool:
    """Therapy named as an errand (an appointment moved, a bill, insurance, a therapist near me, how to
    become one) with no tears, feeling or situation in it: the assistant is not for it, so it is out of
    scope rather than a description or a question about the therapist's tears."""
    lex = lexicon()
    return bool(lex.therapy_admin.search(folded)) and not crying_described and not situation_told and \
        not lex.therapy_admin_not.search(folded) and not lex.feeling.search(folded) and \
        not lex.sadness.search(folded)


FEELING_INTENTS = {"feel_uncomfortable", "feel_annoyed", "feel_responsible", "feel_cared_for", "feel_confused"}


def gated_intent(intent: str, text: str, crying_described: bool, situation_told: bool = False,
                 feeling_told: bool = True) -> str:
    """The intent this message should have, given what it is about (the intent itself if unchanged).

    `crying_described`: the situation reader found how someone cried; `situation_told`: it found any
    situation value ("it made me squirm", "it feels like my fault"), so the message speaks of the
    session even without a therapist or crying word in it; `feeling_told`: one of those values is how
    it left the client (False only when the caller knows no feeling was found)."""
    scope = read(text, crying_described)
    speaker = who_is_talking(text)
    if intent == "describe_therapist_crying" and speaker == "therapist":
        return "identify_as_therapist"  # "i'm a psychologist who cried during a session"
    if intent == "identify_as_therapist" and speaker in ("client", "young_person"):
        return "describe_therapist_crying"  # "my lmft cries every session"
    folded = fold(text)
    n_words = len(folded.split())
    if situation_told and not feeling_told and n_words <= ANSWER_MAX_WORDS and scope.kind in ("sadness", "unclear") \
            and intent in NOT_UNDERSTOOD | FEELING_INTENTS and lexicon().third_person.search(folded) \
            and not lexicon().own_tears.search(folded) and not lexicon().my_people.search(folded):
        # "her own stuff, her mom is sick i think", "like a lil bit, her eyes were watery": a short answer
        # about her (not the client's own tears or people) that states how, how often or about what
        # she cried, and no feeling, describes the tears,
        # whatever miss or feeling the classifier guessed (its guess here changes from one training run
        # to the next)
        return "describe_therapist_crying"
    felt_about_it = scope.kind == "unrelated" and intent in FEELING_INTENTS and n_words <= ANSWER_MAX_WORDS and \
        bool(ABOUT_IT.search(folded))
    if felt_about_it:
        # "it was kind of beautiful actually", "im a bit salty about it", "its all a bit of a muddle": a
        # short feeling about "it" names nothing else, so it is about the session this assistant is for
        # (an errand or anything with a subject of its own has another scope kind)
        return intent
    if intent == "feel_annoyed" and scope.kind in ("errand", "unrelated") and not lexicon().third_person.search(folded):
        return "out_of_scope"  # "im annoyed my phone bill went up again": a grievance about something else
    if situation_told and scope.kind in ("sadness", "errand", "unrelated") and n_words <= ANSWER_MAX_WORDS:
        return intent  # "it made me squirm", "felt kinda guilty tbh": an answer about the session
    if scope.kind == "sadness" and intent in TOPIC_BOUND_QUESTIONS and n_words >= lexicon().question_topic_min_words \
            and not lexicon().question_topics[intent].search(folded):
        # "why do i feel so empty on weekends": a why-question with no tears, therapist or she/he in
        # it cannot be asking why the therapist cried, whatever words it shares with the flow
        return "share_sadness"
    if scope.kind in ("sadness", "errand", "unrelated") and intent in QUESTION_INTENTS and \
            n_words >= lexicon().question_topic_min_words and not _on_topic(intent, folded):
        # "why is the sky blue", "what should i say at my aunts funeral?": a question about something else
        return "share_sadness" if scope.kind == "sadness" else "out_of_scope"
    if scope.kind == "unclear" and intent in DESCRIPTION_INTENTS - {"skip_question"} and not crying_described \
            and not situation_told and n_words >= TOLD_STORY_MIN_WORDS and not lexicon().session.search(folded) \
            and not lexicon().cry.search(folded) and lexicon().my_people.search(folded):
        # "so my dog bailey died yesterday. she was 15...": a story of the client's own people that
        # never names a therapist, a session or tears is not a description of the therapist crying
        # ("she was great before this" mid-conversation is about the therapist)
        return "share_sadness"
    if scope.kind == "unclear" and crying_described and intent in NOT_UNDERSTOOD:
        return "describe_therapist_crying"  # "she has wept in front of me several times now"
    if scope.kind == "therapist" and therapy_errand(folded, crying_described, situation_told) and \
            intent in (DESCRIPTION_INTENTS | QUESTION_INTENTS | ERRAND_MISREADINGS) - {"report_boundary_concern"}:
        return "out_of_scope"  # "reschedule my therapy appointment to friday", "pay my therapy bill"
    if scope.kind == "therapist":
        if intent in NOT_UNDERSTOOD and (crying_described or lexicon().cry.search(folded)):
            return "describe_therapist_crying"  # "my therapist crying fixed something in me"
        return intent
    if scope.kind == "someone_else" and intent in DESCRIPTION_INTENTS | QUESTION_INTENTS | {"nlu_fallback"}:
        return "out_of_scope"  # unsure or not, the tears are someone else's: say what the assistant is for
    if scope.kind == "sadness" and intent in DESCRIPTION_INTENTS | {"nlu_fallback"} and \
            not (situation_told and lexicon().third_person.search(folded)):
        # ("it's her own life, nothing to do with me, i mention my job stress and we talk about her
        # ex": what she cried about, told in the story, is not the client's sadness)
        return "share_sadness"
    if scope.kind == "errand" and intent in DESCRIPTION_INTENTS | QUESTION_INTENTS | ERRAND_MISREADINGS:
        return "out_of_scope"  # "how do i transfer money to my savings", "skip this song"
    if scope.kind == "unrelated" and intent in DESCRIPTION_INTENTS - {"skip_question"}:
        return "out_of_scope"
    if scope.kind == "unrelated" and intent == "share_sadness" and not FIRST_PERSON.search(folded):
        return "out_of_scope"  # "how long do tortoises live": nobody is sad in it
    return intent
