"""Patient values for a checklist's write-in fields: checked, never echoed.

Patient data is private: problems name the field (or the column, --field), never the value
(a date's problem names at most the day or time that does not exist: "31 November does not
exist", "25:99 is not a time"). Dates (`type: date`) and dates with a time (`type: datetime`,
the standard `next_appointment`) are read in the clinic's date style, ISO, or written out
("Tuesday 1 December 2026") and printed in one friendly form ("Tue 1 Dec 2026, 10:30").
A value the handout would print wrongly is refused, never printed wrongly: a line break
inside a one-line value, a right-to-left or shaped script (Arabic, Hebrew, Devanagari, …:
drawn backwards and unjoined), a character the font lacks.
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
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = r"(?:(?P<weekday>[A-Za-z]{3,9})\.?,?\s+)?"
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_DAY_MONTH = re.compile(_WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})",
                        re.IGNORECASE)  # "Tuesday 1 December 2026", "1 Dec 2026"
_MONTH_DAY = re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})",
                        re.IGNORECASE)  # "December 1, 2026"
_TIME = re.compile(r"(?:[ ,T]+(?:at )?(\d{1,2})[:.](\d{2})\s*([ap]\.?m\.?)?)?", re.IGNORECASE)
# Scripts written right to left, or whose letters change shape with their neighbours: the
# handout's text engine draws neither correctly (it would print them backwards, unjoined).
UNSHAPED = ("ARABIC", "HEBREW", "SYRIAC", "THAANA", "NKO", "SAMARITAN", "MANDAIC", "DEVANAGARI", "BENGALI",
            "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "THAI", "LAO",
            "TIBETAN", "MYANMAR", "KHMER", "MONGOLIAN")
# Below Hebrew (U+0590) no character is right-to-left or of a script in UNSHAPED
# (tests/test_patient.py checks every one).
FIRST_UNSHAPED = "\u0590"
LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"  # how spreadsheets write a new line inside a cell


@dataclass(frozen=True)
class When:
    """A date, and the time of day if one was given ('HH:MM', 24-hour)."""

    date: datetime.date
    time: str | None = None

    def __str__(self) -> str:
        """'Tue 1 Dec 2026, 10:30': no style to misread, whoever reads it."""
        return printed(self.date, self.time)


@dataclass(frozen=True)
class ValueProblem:
    """What is wrong with one field's value. `name` is the field id (or, for a name that
    matches no field, the name as given); the message never holds the value (a date's
    names at most the impossible day or time)."""

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
        found = read_value(given.get(f.id, ""), f.value_type, date_format)
        if found is None:
            if f.required:
                problems.append(ValueProblem(f.id, "required, but empty"))
        elif isinstance(found, str):
            values[f.id] = found
        else:
            problems.append(ValueProblem(f.id, *found))
    if problems:
        raise InvalidPatient(problems)
    return Sheet(values, row, line)


def read_value(raw: str, value_type: str, date_format: str) -> str | tuple[str, str] | None:
    """The value as it will print, (message, hint) if it cannot be printed, None if empty."""
    value = unicodedata.normalize("NFC", raw).strip()
    if not value:
        return None
    if any(c in LINE_BREAKS for c in value):
        return ("has a line break inside it, but a write-in line holds one line",
                "join its lines in the spreadsheet (a vertical tab or line separator is a line break too)")
    value = " ".join(value.split())
    if len(value) > MAX_VALUE:
        return f"longer than {MAX_VALUE} characters", ""
    script = unshaped_script(value)
    if script:
        return (f"is written in {script} script, which the handout cannot print (it would come out backwards "
                "or with its letters unjoined)", "write it in Latin letters, or fill this line in by hand")
    can_draw = fonts.drawable()
    bad = next((c for c in value if ord(c) not in can_draw), None)
    if bad is not None:
        return f"contains a character the handout font cannot print (U+{ord(bad):04X})", ""
    if value_type in ("date", "datetime"):
        when = read_when(value, date_format, need_time=value_type == "datetime")
        return when if isinstance(when, tuple) else str(when)
    return value


def unshaped_script(value: str) -> str | None:
    """The name of the first right-to-left or shaped script in `value` ('Arabic'), or None."""
    for c in value:
        if c < FIRST_UNSHAPED:  # (most of a roster: looking each letter up cost 1.2 s a 1,000 sheets)
            continue
        if unicodedata.bidirectional(c) in ("R", "AL", "RLE", "RLO", "RLI", "AN"):
            return _script(c) or "a right-to-left"
        script = _script(c)
        if script:
            return script
    return None


def _script(c: str) -> str | None:
    name = unicodedata.name(c, "")
    word = next((s for s in UNSHAPED if name.startswith(s + " ")), None)
    return None if word is None else {"NKO": "N'Ko"}.get(word, word.title())


def read_when(value: str, date_format: str = "year-month-day", need_time: bool = False) -> When | tuple[str, str]:
    """A date in the clinic's style, ISO, or written out ('Tuesday 1 December 2026'), then
    optionally a time; (message, hint) when it is none, or names a day or time that does not exist."""
    example = DATE_STYLES[date_format][1]
    shape = f"write it as {example} 10:30" if need_time else f"write it as {example}, or {example} 10:30"
    unreadable = ("not a date and time" if need_time else "not a date",
                  f"{shape} (the clinic's date_format: {date_format})")
    found = _date_parts(value, DATE_STYLES[date_format][0])
    if found is None:
        return unreadable
    (y, m, d), weekday, end = found
    time = _TIME.fullmatch(value, end)
    if time is None:
        return unreadable
    date, wrong = _day(y, m, d, weekday)
    clock, late = _clock(value, time)
    if wrong or late:  # both named when both are wrong: "31 November does not exist; 25:99 is not a time"
        return "; ".join(x[0] for x in (wrong, late) if x), next(x[1] for x in (late, wrong) if x)
    if clock is None and need_time:
        return "has no time", f"{shape} (the clinic's date_format: {date_format})"
    return When(date, clock)


def _day(y: int, m: int, d: int, weekday: int | None) -> tuple[datetime.date | None, tuple[str, str] | None]:
    """The date, or what is wrong with it (a month or day that does not exist, the wrong weekday)."""
    if not 1 <= m <= 12:
        return None, (f"month {m} does not exist", "")
    try:
        date = datetime.date(y, m, d)
    except ValueError:
        leap = f" in {y}" if (m, d) == (2, 29) else ""
        return None, (f"{d} {MONTH_NAMES[m - 1]} does not exist{leap}", "")
    if weekday is not None and weekday != date.weekday():
        return None, (f"{d} {MONTH_NAMES[m - 1]} {y} is a {DAY_NAMES[date.weekday()]}, not a {DAY_NAMES[weekday]}",
                      "check the date")
    return date, None


def _clock(value: str, time: re.Match) -> tuple[str | None, tuple[str, str] | None]:
    """'HH:MM' (24-hour) or None if no time was given; or what is wrong with the time."""
    if time.group(1) is None:
        return None, None
    hour, minute, half = int(time.group(1)), int(time.group(2)), time.group(3)
    shown = value[time.start(1):].strip()
    if half:
        if not 1 <= hour <= 12:
            return None, (f"{shown} is not a time", "a time before am or pm is 1:00 to 12:59")
        hour = hour % 12 + (12 if half.lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None, (f"{shown} is not a time", "write the time as 00:00 to 23:59")
    return f"{hour:02d}:{minute:02d}", None


def _date_parts(value: str, order: str) -> tuple[tuple[int, int, int], int | None, int] | None:
    """((year, month, day), the weekday named or None, where the date ends), or None."""
    iso = _ISO.match(value)
    if iso:
        return tuple(map(int, iso.groups())), None, iso.end()
    numeric = None if order == "ymd" else _NUMERIC.match(value)
    if numeric:
        a, b, c = map(int, numeric.groups())
        return ((c, a, b) if order == "mdy" else (c, b, a)), None, numeric.end()
    written = _DAY_MONTH.match(value) or _MONTH_DAY.match(value)
    if written is None:
        return None
    month = _named(written["month"], MONTH_NAMES)
    weekday = _named(written["weekday"], DAY_NAMES) if written["weekday"] else None
    if month is None or (written["weekday"] and weekday is None):
        return None
    return (int(written["year"]), month + 1, int(written["day"])), weekday, written.end()


def _named(word: str, names: tuple[str, ...]) -> int | None:
    """The index of a month or weekday named in full or by its first three letters (any case)."""
    word = word.lower()
    return next((i for i, name in enumerate(names) if word in (name.lower(), name[:3].lower())), None)


def parse_date(value: str, date_format: str = "year-month-day") -> tuple[datetime.date, str | None] | None:
    """A date in the clinic's style (or ISO), optionally followed by a time: (date, 'HH:MM')."""
    when = read_when(value, date_format)
    return None if isinstance(when, tuple) else (when.date, when.time)


def friendly_date(value: str, date_format: str = "year-month-day") -> str:
    """'2026-12-01 10:30' → 'Tue 1 Dec 2026, 10:30': no style to misread, whoever reads it."""
    return str(read_when(value, date_format))
