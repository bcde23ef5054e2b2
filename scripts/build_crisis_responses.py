"""Write the crisis reply into domain.yml: domain responses the Rasa server renders itself.

The reply must never depend on the action server, so it is a response with conditional variations on
the slots the NLU component (components/crisis_safety_net.py) fills for every crisis message:
`crisis_tier`, `crisis_language` and `locale`. The text comes from safety/reply.py, the one place
that composes it. The generated parts sit in domain.yml between `# >>> GENERATED <part>` and
`# <<< GENERATED <part>` marker lines (entities, slots, responses); the rest of the file is written
by hand. tests/unit/test_crisis_reply.py fails when they are out of date:
run `.venv/bin/python scripts/build_crisis_responses.py` after editing data/safety/crisis_*.yml.
"""
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from safety.reply import REPLY_TIERS, compose, default_locale, locales  # noqa: E402
from safety.patterns import compiled, english_only_note  # noqa: E402

OUT = ROOT / "domain.yml"
LANGUAGES = ["en"] + sorted(compiled().english_only)
CONTACTS_BUTTON = {"title": "Crisis contacts", "payload": '/crisis{"crisis_tier": "requested"}'}


def _slot(name, value):
    return {"type": "slot", "name": name, "value": value}


def responses():
    variations = []
    for tier in REPLY_TIERS:
        for locale in locales():
            variations.append({"condition": [_slot("crisis_tier", tier), _slot("crisis_language", "en"),
                                             _slot("locale", locale)], "text": compose(tier, locale)})
        for language in LANGUAGES[1:]:
            variations.append({"condition": [_slot("crisis_tier", tier), _slot("crisis_language", language)],
                               "text": compose(tier, default_locale(), language)})
    variations.append({"text": compose("requested", default_locale())})  # no slot set: a button press
    english_only = "I'm sorry, I can only understand English. If you are in danger, the button below shows who to contact."
    notes = [{"condition": [_slot("crisis_language", language)], "text": f"{english_only_note(language)}\n{english_only}",
              "buttons": [CONTACTS_BUTTON]} for language in LANGUAGES[1:]]
    notes.append({"text": english_only, "buttons": [CONTACTS_BUTTON]})
    return {"utter_crisis_support": variations, "utter_english_only": notes}


def parts() -> dict:
    """The generated content of each marked part of domain.yml."""
    return {
        "crisis entities": ["crisis_tier", "crisis_language", "locale", "crisis_disclosed"],
        "crisis slots": {
            "crisis_tier": {"type": "categorical", "values": list(REPLY_TIERS), "influence_conversation": False,
                            "mappings": [{"type": "from_entity", "entity": "crisis_tier"}]},
            "crisis_language": {"type": "categorical", "values": LANGUAGES, "influence_conversation": False,
                                "mappings": [{"type": "from_entity", "entity": "crisis_language"}]},
            "locale": {"type": "categorical", "values": locales(), "influence_conversation": False,
                       "mappings": [{"type": "from_entity", "entity": "locale"}]},
            # set once someone disclosed danger: the crisis contacts stay one tap away in every menu
            "crisis_disclosed": {"type": "bool", "influence_conversation": False,
                                 "mappings": [{"type": "from_entity", "entity": "crisis_disclosed"}]},
        },
        "crisis responses": responses(),
    }


class _Indented(yaml.SafeDumper):
    """Lists indented under their key, as in the hand-written part of domain.yml."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _block(value) -> str:
    text = yaml.dump(value, Dumper=_Indented, sort_keys=False, allow_unicode=True, width=1000)
    return "".join("  " + line if line.strip() else line for line in text.splitlines(keepends=True))


def render(current: str) -> str:
    """domain.yml with every generated part rewritten from data/safety/."""
    for name, value in parts().items():
        marked = re.compile(rf"(  # >>> GENERATED {name} [^\n]*\n)(.*?)(  # <<< GENERATED {name}\n)", re.S)
        if not marked.search(current):
            raise SystemExit(f"domain.yml has no '# >>> GENERATED {name}' ... '# <<< GENERATED {name}' markers")
        current = marked.sub(lambda m: m.group(1) + _block(value) + m.group(3), current, count=1)
    return current


if __name__ == "__main__":
    OUT.write_text(render(OUT.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote the generated parts of {OUT.relative_to(ROOT)}")
