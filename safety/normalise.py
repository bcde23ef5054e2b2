"""The crisis screen's view of a message: one linear pass that undoes the usual disguises.

People hide words from filters, or type them oddly without meaning to: "su1c1de", "s u i c i d e",
"suіcide" with a Cyrillic і, "k!ll mys3lf", a variation selector after a letter, accents, curly
apostrophes. `views()` returns the texts the patterns are matched on:

- `text`: NFKC, combining marks and default-ignorable characters removed, look-alike letters mapped
  to Latin, lower case, apostrophes as spaces, whitespace collapsed. Pure numbers stay numbers
  ("took 30 pills").
- `unleet`: the same with leetspeak undone inside words that mix letters and digits or symbols
  ("su1c1de" -> "suicide", "k!ll" -> "kill"); used for the patterns too.
  A word with letters masked by `*` or `#` becomes the crisis word it spells ("su*cide",
  "c*tting", "k**l myself").
- `joined`: letters only, every space and punctuation mark removed ("s u i c i d e",
  "k.i.l.l m.y.s.e.l.f"); only a short list of unmistakable words is looked for in it.

Each is built in one pass over the text, so screening stays linear in its length.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, List, Tuple

# Letters from other scripts that look like Latin ones (the common cases of Unicode's confusables).
_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "һ": "h",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɩ": "i",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "s", "σ": "o",
    # Latin look-alikes outside ASCII that NFKC keeps
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss", "æ": "ae", "œ": "oe",
    "ɑ": "a", "ɡ": "g", "ʏ": "y", "ᴀ": "a", "ᴇ": "e", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n",
    "ᴏ": "o", "ʀ": "r", "ᴛ": "t", "ᴜ": "u", "ᴅ": "d", "ɪ": "i", "ꜱ": "s",
}
_APOSTROPHES = "'’‘`´ʼ′"
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
         "@": "a", "$": "s", "!": "i", "|": "l", "+": "t", "€": "e"}
# Default-ignorable code points that are not in category Cf (which is dropped wholesale).
_IGNORABLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0}


def _ignorable(code: int, category: str) -> bool:
    return (
        category in ("Cf", "Mn", "Me")
        or code in _IGNORABLE
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF
        or 0x180B <= code <= 0x180F
        or 0xE0000 <= code <= 0xE0FFF  # tags
    )


def _fold_char(ch: str) -> str:
    """What one character becomes in the screen's view (for characters outside plain ASCII)."""
    out = []
    for part in unicodedata.normalize("NFD", ch):
        code, category = ord(part), unicodedata.category(part)
        if _ignorable(code, category):
            continue
        if category[0] == "C" or category == "Zs" or part in "\u2028\u2029":
            out.append("\n" if part in "\n\r\u2028\u2029" else " ")
        elif part in _APOSTROPHES:
            out.append(" ")
        else:
            low = part.lower()
            out.append(_CONFUSABLES.get(low, low))
    return "".join(out)


_ASCII_TABLE = {code: _fold_char(chr(code)) for code in range(128)}


def _fold(text: str) -> str:
    """NFKC, then marks and ignorables dropped and confusables mapped; other controls become spaces.

    One `str.translate` over the text: the table holds ASCII plus the distinct other characters this
    text uses, so cost stays linear and at C speed even for a 1 MB paste."""
    text = unicodedata.normalize("NFKC", text or "")
    table = dict(_ASCII_TABLE)
    if not text.isascii():
        for ch in set(text):
            if ord(ch) >= 128:
                table[ord(ch)] = _fold_char(ch)
    return text.translate(table)


_SPACES = re.compile(r"[ \t]+")
_NEWLINES = re.compile(r" ?\n\s*")
_MIXED_WORD = re.compile(r"[a-z0-9@$!|+€]*[a-z][a-z0-9@$!|+€]*")
_NOT_LETTER = re.compile(r"[^a-z]+")
# Letters typed one by one ("k m s", "the urge to s h"): two or more one-letter words in a row, not
# only the words "i" and "a" nor the "i m" of "i'm", are read as the word they spell in the leetspeak view.
_SPACED_LETTERS = re.compile(r"(?<![a-z])[a-z](?: [a-z](?![a-z]))+")
_REPEATED = re.compile(r"([a-z])\1+")


def _unleet_word(match: "re.Match[str]") -> str:
    word = match.group(0)
    if not any(ch in _LEET for ch in word):
        return word
    return "".join(_LEET.get(ch, ch) for ch in word)


# Words people mask with `*` or `#` to slip past filters; a masked word becomes the one it spells.
_MASKABLE = ("suicide", "suicidal", "kill", "killing", "killed", "cutting", "cut", "cuts", "die", "dying",
             "dead", "death", "overdose", "overdosed", "harm", "selfharm", "hang", "hanging", "myself",
             "unalive", "noose", "rope", "pills", "blade", "razor", "bleed", "bleeding", "wrists")
_MASKED_TOKEN = re.compile(r"[a-z]*[*#]+[a-z*#]*")


def _unmask_word(match: "re.Match[str]") -> str:
    word = match.group(0)
    if not any(ch.isalpha() for ch in word):
        return word
    shape = re.compile("".join("[a-z]" if ch in "*#" else re.escape(ch) for ch in word))
    return next((w for w in _MASKABLE if len(w) == len(word) and shape.fullmatch(w)), word)


def _join_letters(match: "re.Match[str]") -> str:
    letters = match.group(0)
    if set(letters) <= {"i", "a", " "} or letters in ("i m", "i d"):  # "i m" is "i'm", not a word typed apart
        return letters
    return letters.replace(" ", "")


def squeeze(letters: str) -> str:
    """Letters doubled by a slip or for emphasis read once ("suiciidal", "killl"): the letters-only
    view's few words are matched with such doubling allowed (safety/patterns.py)."""
    return _REPEATED.sub(r"\1", letters)


@dataclass(frozen=True)
class Views:
    text: str
    unleet: str
    joined: str
    # where `unleet` differs from `text` (spans of `unleet`): the only places a pattern can match in
    # `unleet` what it does not match in `text`, so the patterns read `unleet` only around them
    changed: Tuple[Tuple[int, int], ...] = ()


Span = Tuple[int, int]


def _sub_tracking(regex: "re.Pattern[str]", replace: Callable[["re.Match[str]"], str], text: str,
                  changed: List[Span]) -> str:
    """`regex.sub(replace, text)` that adds the spans it changed (in the new text) to `changed`,
    first moving the spans already there by what this substitution shortened before them."""
    edits: List[Tuple[int, int, int, int]] = []  # old start, old end, new start, new end
    shift = 0

    def tracked(match: "re.Match[str]") -> str:
        nonlocal shift
        new = replace(match)
        if new != match.group(0):
            start = match.start() + shift
            edits.append((match.start(), match.end(), start, start + len(new)))
            shift += len(new) - (match.end() - match.start())
        return new

    out = regex.sub(tracked, text)
    if shift:
        old_ends = [old_end for _, old_end, _, _ in edits]

        def move(position: int, side: int) -> int:
            """Where an old position is now; one inside an edit goes to that edit's new start or end."""
            after = bisect.bisect_right(old_ends, position)  # edits wholly before `position`
            if after < len(edits) and edits[after][0] < position:
                return edits[after][2 + side]
            return position + (edits[after - 1][3] - edits[after - 1][1] if after else 0)

        changed[:] = [(move(start, 0), move(end, 1)) for start, end in changed]
    changed.extend((new_start, new_end) for _, _, new_start, new_end in edits)
    return out


_HAS_LEET = re.compile(r"[0-9@$!|+€]")
_LEET_TOKEN = re.compile(r"\S*[0-9@$!|+€]\S*")


# ASCII that is not a letter, deleted by one `str.translate` (a regex would make a substitution per space)
_DROP_ASCII_NON_LETTERS = {code: None for code in range(128) if not chr(code).islower() or not chr(code).isalpha()}


def views(raw: str) -> Views:
    """The folded text, its leetspeak-read copy and its letters-only copy. Each step is skipped when
    the text holds nothing it would change, so a long ordinary paste costs a few passes at C speed."""
    folded = _fold(raw)
    if "  " in folded or "\t" in folded:
        folded = _SPACES.sub(" ", folded)
    if "\n" in folded:
        folded = _NEWLINES.sub("\n", folded)
    folded = folded.strip()
    unleet, changed = folded, []  # type: str, List[Span]
    if _HAS_LEET.search(folded):  # only tokens holding a digit or symbol can hide a word
        unleet = _sub_tracking(_LEET_TOKEN, lambda m: _MIXED_WORD.sub(_unleet_word, m.group(0)), unleet, changed)
    if "*" in unleet or "#" in unleet:
        unleet = _sub_tracking(_MASKED_TOKEN, _unmask_word, unleet, changed)
    unleet = _sub_tracking(_SPACED_LETTERS, _join_letters, unleet, changed)
    joined = unleet.translate(_DROP_ASCII_NON_LETTERS)
    if not joined.isascii():
        joined = _NOT_LETTER.sub("", joined)
    return Views(text=folded, unleet=unleet, joined=joined, changed=tuple(sorted(changed)))


def normalise(raw: str) -> str:
    """The folded text alone, on one line (what tests and the reply logic compare)."""
    return re.sub(r"\s+", " ", views(raw).text).strip()
