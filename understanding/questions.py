"""Questions asked in passing that the intent classifier has few examples of.

"what happens to my data? who can see this", "will my counselor tell my mom and dad stuff i said",
"say more simple please", "but like what if it was my fault?": the classifier saw few such
phrasings and took them for fallbacks, or for stay-or-leave questions. Each kind is a short list of
regular expressions (data/lexicon/questions.yml) read on the same folded text as the scope check,
and the list that matches names the intent. Plain Python, used by components/question_reader.py.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Dict, Optional, Pattern

import yaml

from understanding.scope import fold

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "questions.yml"


@functools.lru_cache(maxsize=None)
def readers() -> Dict[str, Pattern[str]]:
    """intent -> one regular expression joining that intent's list (in the file's order)."""
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    return {intent: re.compile("|".join(f"(?:{p})" for p in patterns))
            for intent, patterns in data.items() if isinstance(patterns, list)}


def question_intent(text: str) -> Optional[str]:
    """The intent of the first kind of question the message asks, or None."""
    folded = fold((text or "")[:2000])
    for intent, pattern in readers().items():
        if pattern.search(folded):
            return intent
    return None
