"""Patient values for a checklist's write-in fields: checked, never echoed.

Patient data is private: error messages name the row and the field, never the value.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from . import fonts
from .errors import AidpressError
from .model import Checklist, Sheet
from .errors import suggest

MAX_VALUE = 200  # characters; a write-in line holds one line of handwriting


class InvalidPatient(AidpressError):
    """Values that cannot fill a sheet; the message never contains a patient's value."""

    def __init__(self, problems: list[str], row: int | None = None):
        self.problems, self.row = problems, row
        where = f"row {row}: " if row is not None else ""
        super().__init__("\n".join(f"{where}error: {p}" for p in problems))


def field_lookup(aid: Checklist) -> dict[str, str]:
    """Every name a column or --field may use for a field (id or label, any case) → id."""
    names = {}
    for f in aid.fields:
        names[f.id.lower()] = f.id
        names[f.shown_label.lower()] = f.id
        names[f.id.replace("_", " ")] = f.id
    return names


def check_values(aid: Checklist, given: dict[str, str], row: int | None = None,
                 ignore_unknown: frozenset[str] = frozenset()) -> Sheet:
    """Map given names to fields and check each value; raise InvalidPatient listing all problems."""
    if not aid.fields:
        raise InvalidPatient([f"the aid '{aid.id}' has no patient fields to fill"], row)
    lookup = field_lookup(aid)
    values: dict[str, str] = {}
    problems: list[str] = []
    for name, raw in given.items():
        key = lookup.get(name.strip().lower())
        if key is None:
            if name.strip().lower() not in ignore_unknown:
                problems.append(f"unknown field '{name}' ({suggest(name.strip().lower(), [f.id for f in aid.fields])})")
            continue
        value = " ".join(unicodedata.normalize("NFC", raw).split())
        if value:
            values[key] = value
    for f in aid.fields:
        value = values.get(f.id)
        if value is None:
            if f.required:
                problems.append(f"field '{f.id}' is required but empty")
            continue
        problem = _check_one(value, f.value_type)
        if problem:
            problems.append(f"field '{f.id}': {problem}")
        elif f.value_type == "date":
            values[f.id] = _parse_date(value).isoformat()
    if problems:
        raise InvalidPatient(problems, row)
    return Sheet(values, row)


def _check_one(value: str, value_type: str) -> str | None:
    if len(value) > MAX_VALUE:
        return f"longer than {MAX_VALUE} characters"
    can_draw = fonts.drawable()
    bad = next((c for c in value if ord(c) not in can_draw), None)
    if bad is not None:
        return f"contains a character the handout font cannot print (U+{ord(bad):04X})"
    if value_type == "date" and _parse_date(value) is None:
        return "not a date (write it as YYYY-MM-DD, e.g. 2026-11-23)"
    return None


def _parse_date(value: str) -> datetime.date | None:
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
        return None
    try:
        y, m, d = map(int, value.split("-"))
        return datetime.date(y, m, d)
    except ValueError:
        return None
