"""The crisis reply, composed in one place for every path that shows it.

The Rasa server shows it as the domain response `utter_crisis_support` (built from this module by
scripts/build_crisis_responses.py, with conditional variations on the `crisis_tier`,
`crisis_language` and `locale` slots the NLU component fills), so a crisis is answered even when the
action server is down or hung. The channels' "temporarily unavailable" answers use `crisis_reply`
directly. The words are data: data/safety/crisis_replies.yml and crisis_resources.yml.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from safety.crisis import Screening, screen
from safety.patterns import english_only_line

DATA = Path(__file__).resolve().parent.parent / "data" / "safety"
REPLIES_FILE = DATA / "crisis_replies.yml"
RESOURCES_FILE = DATA / "crisis_resources.yml"
REPLY_TIERS = ("imminent", "suicidal", "selfharm", "danger", "misconduct", "requested", "distress", "mention")


@functools.lru_cache(maxsize=None)
def _replies() -> Dict[str, Any]:
    return yaml.safe_load(REPLIES_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def _resources() -> Dict[str, Any]:
    return yaml.safe_load(RESOURCES_FILE.read_text(encoding="utf-8"))


def locales() -> List[str]:
    return list(_resources()["locales"])


def default_locale() -> str:
    return _resources()["default"]


def resources_for(locale: Optional[str]) -> Dict[str, Any]:
    data = _resources()
    return data["locales"].get((locale or "").lower(), data["locales"][data["default"]])


def compose(tier: str, locale: Optional[str] = None, language: str = "en") -> str:
    """The full reply for a tier in a locale; for another language, its one line comes first."""
    contacts = resources_for(locale)
    replies = _replies()
    lines = []
    foreign = english_only_line(language) if language != "en" else None
    if foreign:
        lines.append(foreign)
    lines.append(" ".join(replies["openings"][tier].format(**contacts).split()))
    lines += [f"• {line}" for line in contacts["lines"]]
    lines.append(" ".join(replies["automated_note"].format(emergency=contacts["emergency"]).split()))
    return "\n".join(lines)


def tier_for(text: str, screening: Optional[Screening] = None) -> str:
    """The reply tier for a message: a button press ("/crisis") just shows the contacts; a message
    nothing flagged but that reached the crisis path anyway gets the gentle words."""
    if text.startswith("/"):
        return "requested"
    screening = screening or screen(text)
    return screening.tier or "distress"


def crisis_reply(text: str, locale: Optional[str] = None, screening: Optional[Screening] = None) -> str:
    """The reply for one message (reuses the cached screening of that text)."""
    screening = screening or screen(text)
    return compose(tier_for(text, screening), locale, screening.language)


def contacts_if_needed(text: str, metadata: Any) -> List[str]:
    """The crisis reply for a message the assistant will not handle as usual (a failed turn, a
    message over the length limit), or nothing when it needs none; the locale from channel metadata."""
    if not screen(text).is_crisis:
        return []
    locale = metadata.get("locale") if isinstance(metadata, dict) else None
    return [crisis_reply(text, locale)]
