"""Patient values for a checklist's write-in fields: checked, never echoed.

Patient data is private: problems name the field (or the column, --field), never the value.
Dates are read in the clinic's date style (ISO is always understood too) and printed in a
friendly form ("Tue 1 Dec 2026", "Tue 1 Dec 2026, 10:30").
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from . import fonts
from .dates import printed
from .errors import AidpressError, suggest
from .model import Checklist, Sheet

MAX_VALUE = 200  # characters: more than two lines of a write-in line can ever hold

DATE_STYLES = {  # Clinic.date_format → (order of the parts, an example for hints)
    "year-month-day": ("ymd", "2026-11-23"),
    "day/month/year": ("dmy", "23/11/2026"),
    "month/day/year": ("mdy", "11/23/2026"),
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_TIME = re.compile(r"(?:[ ,T]+(?:at )?(\d{1,2})[:.](\d{2})\s*([ap]\.?m\.?)?)?", re.IGNORECASE)


@dataclass(frozen=True)
class ValueProblem:
    """What is wrong with one field's value. `name` is the field id (or, for a name that
    matches no field, the name as given); the message never holds the value."""

    name: str
    message: str
    hint: str = ""


class InvalidPatient(AidpressError):
    """Values that cannot fill a sheet; the message never contains a patient's value."""

    def __init__(self, problems: list[ValueProblem]):
        self.problems = problems
        super().__init__("\n".join(f"error: {p.name}: {p.message}" for p in problems))


def field_lookup(aid: Checklist) -> dict[str, str]:
    """Every name a column or --field may use for a field (id or label, any case) → id."""
    names = {}
    for f in aid.fields:
        for name in (f.id, f.shown_label, f.id.replace("_", " ")):
            names[" ".join(name.lower().split())] = f.id
    return names


def field_for(aid: Checklist, name: str) -> str | None:
    """The id of the field a column or --field name means, or None."""
    return field_lookup(aid).get(" ".join(name.lower().split()))


def unknown_hint(aid: Checklist, name: str) -> str:
    return suggest(name.strip().lower(), [f.id for f in aid.fields])


def check_values(aid: Checklist, given: dict[str, str], date_format: str = "year-month-day",
                 row: int | None = None, line: int | None = None) -> Sheet:
    """Check the raw values given for each field id; raise InvalidPatient listing every problem.
    Every field is checked, whatever comes before it: one problem never hides another."""
    if not aid.fields:
        raise InvalidPatient([ValueProblem("fields", f"the aid '{aid.id}' has no patient fields to fill")])
    values: dict[str, str] = {}
    problems: list[ValueProblem] = []
    for f in aid.fields:
        value = " ".join(unicodedata.normalize("NFC", given.get(f.id, "")).split())
        if not value:
            if f.required:
                problems.append(ValueProblem(f.id, "required, but empty"))
            continue
        problem = _check_one(value, f.value_type, date_format)
        if problem:
            problems.append(ValueProblem(f.id, *problem))
            continue
        values[f.id] = friendly_date(value, date_format) if f.value_type == "date" else value
    if problems:
        raise InvalidPatient(problems)
    return Sheet(values, row, line)


def _check_one(value: str, value_type: str, date_format: str) -> tuple[str, str] | None:
    if len(value) > MAX_VALUE:
        return f"longer than {MAX_VALUE} characters", ""
    can_draw = fonts.drawable()
    bad = next((c for c in value if ord(c) not in can_draw), None)
    if bad is not None:
        return f"contains a character the handout font cannot print (U+{ord(bad):04X})", ""
    if value_type == "date" and parse_date(value, date_format) is None:
        example = DATE_STYLES[date_format][1]
        return "not a date", f"write it as {example}, or {example} 10:30 (the clinic's date_format: {date_format})"
    return None


def parse_date(value: str, date_format: str = "year-month-day") -> tuple[datetime.date, str | None] | None:
    """A date in the clinic's style (or ISO), optionally followed by a time: (date, 'HH:MM')."""
    order = DATE_STYLES[date_format][0]
    iso = _ISO.match(value)
    numeric = None if iso or order == "ymd" else _NUMERIC.match(value)
    match = iso or numeric
    if match is None:
        return None
    a, b, c = map(int, match.groups())
    y, m, d = (a, b, c) if iso else (c, a, b) if order == "mdy" else (c, b, a)
    time = _TIME.fullmatch(value, match.end())
    if time is None:
        return None
    try:
        date = datetime.date(y, m, d)
    except ValueError:
        return None
    if time.group(1) is None:
        return date, None
    hour, minute, half = int(time.group(1)), int(time.group(2)), time.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return date, f"{hour:02d}:{minute:02d}"


def friendly_date(value: str, date_format: str = "year-month-day") -> str:
    """'2026-12-01 10:30' → 'Tue 1 Dec 2026, 10:30': no style to misread, whoever reads it."""
    return printed(*parse_date(value, date_format))
