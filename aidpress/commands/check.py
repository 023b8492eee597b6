"""`aidpress check`: every error and warning in every file, without writing anything.

Warnings follow what a trustworthy decision aid needs (International Patient Decision
Aid Standards): a date, a review date not yet passed, sources, options described in
equal detail, outcomes that say what to do next, and plain language (reading grade).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..errors import InvalidAid, Location, Problem
from ..model import Aid, Checklist, Clinic, Comparison, Flowchart, Outcome, Pack, Quiz
from ..readability import Finding, Readability, measure
from ..validate import read_aid

Locate = Callable[[tuple], Location]


def warning(where: Location, path: tuple, message: str) -> Problem:
    return Problem(where, path, message, severity="warning")


@dataclass
class FileReport:
    path: Path
    errors: list[Problem]
    warnings: list[Problem]
    reading: Readability | None = None  # reading grade of the aid's prose, and its hardest sentences


def check(paths: Iterable[Path], clinic: Clinic, today: datetime.date | None = None) -> list[FileReport]:
    today = today or datetime.date.today()
    reports = []
    for path in paths:
        try:
            aid, locate = read_aid(path)
        except InvalidAid as exc:
            reports.append(FileReport(path, exc.problems, []))
            continue
        reading = measure(prose(aid))
        warnings = trust_warnings(aid, locate, today)
        if reading is not None and reading.grade > clinic.reading_grade:
            warnings.append(warning(aid.where, (), f"reading grade {grades(reading)} is above the clinic's target "
                                     f"of {clinic.reading_grade}; rewrite first: {findings(reading.hardest)}"))
        reports.append(FileReport(path, [], sorted(warnings, key=lambda w: w.where), reading))
    return reports


def trust_warnings(aid: Aid, locate: Locate, today: datetime.date) -> list[Problem]:
    out = []
    if aid.updated is None:
        out.append(warning(aid.where, (), "no 'updated' date: readers cannot tell how current this is"))
    if aid.review_by is not None and aid.review_by < today:
        out.append(warning(locate(("review_by",)), ("review_by",),
                            f"review date {aid.review_by.isoformat()} has passed; review the content and set a new date"))
    if not aid.sources and not isinstance(aid, Pack):  # a pack's aids cite their own
        out.append(warning(aid.where, (), "no 'sources': cite where the content comes from"))
    out += KIND_WARNINGS.get(type(aid), lambda a, l: [])(aid, locate)
    return out


def _comparison(aid: Comparison, locate: Locate) -> list[Problem]:
    out = []
    for i, row in enumerate(aid.rows):
        empty = [o for o in aid.options if not row.cells[o]]
        if empty and len(empty) < len(aid.options):
            for option in empty:
                path = ("rows", i, "cells", option)
                out.append(warning(locate(path), path, f"'{aid.options[option]}' is not described in this row "
                                    "while other options are: describe every option in equal detail"))
    return out


def _flowchart(aid: Flowchart, locate: Locate) -> list[Problem]:
    return [warning(locate(("nodes", n)), ("nodes", n), "outcome names no next step (add 'next_step:')")
            for n, node in aid.nodes.items() if isinstance(node, Outcome) and not node.next_step]


KIND_WARNINGS = {Comparison: _comparison, Flowchart: _flowchart}


# ── plain language ──────────────────────────────────────────────────────────────────


def prose(aid: Aid) -> list[str]:
    """The sentences patients read: not titles, headings, table labels or citations."""
    out = list(aid.intro) + list(aid.notes)
    if isinstance(aid, Comparison):
        out += [cell for row in aid.rows for cell in row.cells.values() if cell]
    elif isinstance(aid, Quiz):
        out += [t for q in aid.questions for t in (q.question, q.help) if t]
        out += list(aid.scoring.lean.values()) + [aid.scoring.otherwise]
    elif isinstance(aid, Flowchart):
        for node in aid.nodes.values():
            out += [t for t in (getattr(node, "question", None), getattr(node, "help", None),
                                getattr(node, "outcome", None), getattr(node, "detail", None),
                                getattr(node, "next_step", None)) if t]
    elif isinstance(aid, Checklist):
        out += [t for s in aid.sections for i in s.items for t in (i.text, *i.details)]
        out += [s.intro for s in aid.sections if s.intro]
    return out


def grades(reading: Readability) -> str:
    return f"{reading.grade:.1f} (Flesch–Kincaid {reading.flesch_kincaid:.1f}, SMOG {reading.smog:.1f})"


def findings(hardest: Iterable[Finding]) -> str:
    return "; ".join(f"“{f.sentence}” ({f.reason})" for f in hardest)


def reading_note(reading: Readability, target: int) -> str:
    """The `check` note for one aid; the hardest sentences only when no warning named them."""
    note = f"reading grade {grades(reading)}, target {target}"
    if reading.grade <= target and reading.hardest:
        note += f"; hardest sentence: {findings(reading.hardest[:1])}"
    return note
