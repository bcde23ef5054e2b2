"""Canonical situation values for the form's validation, from the same phrase table the NLU reads.

The NLU component (components/situation_extractor.py) already emits canonical values; this guard
keeps a slot canonical whatever reaches it (a button payload, an old model, a hand-made tracker):
a value it cannot map never lands in a categorical slot.
"""
from typing import Dict, Optional, Tuple

from understanding import situation

SLOT_VALUES: Dict[str, Tuple[str, ...]] = {
    "crying_intensity": ("tearful", "sobbing"),
    "crying_frequency": ("once", "repeated"),
    "crying_focus": ("client_story", "therapist_own_life"),
    "client_feeling": ("uncomfortable", "responsible", "cared_for", "confused"),
}
UNKNOWN = "unknown"


def normalise(slot: str, value: object) -> Optional[str]:
    """Canonical value for `slot`, or None if `value` cannot be mapped to one."""
    if not isinstance(value, str):
        return None
    as_value = value.strip().lower().replace(" ", "_")
    if as_value in SLOT_VALUES.get(slot, ()) or as_value == UNKNOWN:
        return as_value
    return situation.values(value, requested=slot).get(slot)
