"""The settings of what a site runs (``reception.settings`` stores and audits them): the
stays' money (the deposit asked and what a lost room card takes off it) and the areas a
site does not use. Here: reading what the manager typed, and writing it back as typed.
"""

import re
from typing import Any

from reception import areas
from reception.errors import ValidationError
from reception.text import narrow

#: Largest deposit or card fee (100,000 yuan), in fen.
FEE_MAX = 100_000 * 100
_SEPARATORS = re.compile(r"[\s,，/、;；]+")


def stay_fees(text: str) -> dict[str, int]:
    """``"2000 200"``: a 2000-yuan deposit, 200 yuan kept for each lost room card."""
    from reception.stay_values import fen

    parts = [part for part in _SEPARATORS.split(narrow(text).strip()) if part]
    if len(parts) != 2:
        raise ValidationError("stay_fees", "settings.stay_fees.format", value=text.strip())
    deposit, lost_card = (fen(part, "stay_fees") for part in parts)
    if deposit > FEE_MAX or lost_card > deposit:
        raise ValidationError("stay_fees", "settings.stay_fees.range", value=text.strip())
    return {"deposit": deposit, "lost_card": lost_card}


def switchable_areas() -> tuple[str, ...]:
    """The areas a site may switch off: those with an F-key."""
    return tuple(area.name for area in areas.with_fkeys())


def areas_off(text: str) -> list[str]:
    """Area names (``stays triage``) or their F-keys (``F7``); empty = every area on."""
    names: list[str] = []
    by_key = {area.fkey: area.name for area in areas.with_fkeys()}
    for part in _SEPARATORS.split(narrow(text).strip().lower()):
        if not part:
            continue
        name = by_key.get(part, part)
        if name not in switchable_areas():
            raise ValidationError("areas_off", "settings.areas_off.unknown", value=part,
                                  names=" ".join(switchable_areas()))
        if name not in names:
            names.append(name)
    return names


def format_value(key: str, value: Any, default: Any) -> str:
    """A stored value as the manager types it (``stay_fees``, ``areas_off``)."""
    if key == "stay_fees":
        from reception.stay_values import yuan_text

        merged = {**default, **value}
        return f"{yuan_text(merged['deposit'])} {yuan_text(merged['lost_card'])}"
    return " ".join(value)
