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

from ..errors import Location, Problem, count
from ..model import Aid, Checklist, Clinic, Comparison, Flowchart, Outcome, Pack, Quiz, sure_test
from ..readability import Finding, Readability, measure

Locate = Callable[..., Location]


def warning(where: Location, path: tuple, message: str) -> Problem:
    return Problem(where, path, message, severity="warning")


@dataclass
class FileReport:
    """What check found in one file: errors, warnings and the reading grade."""

    path: Path
    errors: list[Problem]
    warnings: list[Problem]
    reading: Readability | None = None  # reading grade of the aid's prose, and its hardest sentences
    layout: object | None = None  # with --pages: the page audit of the laid-out handout (aidpress.audit.Report)


def check(paths: Iterable[Path], profile, options=None, today: datetime.date | None = None,
          pages: bool = False) -> list[FileReport]:
    """The build's own preflight, every aid laid out in memory, nothing written. With
    `pages`, each laid-out handout is also audited page by page (aidpress/audit.py): what
    the tests hold every seed to, for an editor's own content."""
    from .preflight import BuildOptions, preflight

    from ..audit import SMALLEST, audit  # pdfplumber itself loads only when an audit runs

    options = options or BuildOptions()
    reports = []
    for item in preflight(paths, profile, options, today=today):
        warnings, layout = list(item.warnings), None
        if pages and item.pdf is not None:
            layout = audit(item.pdf, min_size=SMALLEST[options.large_print])
            warnings += [warning(Location(str(item.source), 0, 0), (), f"page {d.page}: {d.kind}: {d.detail}")
                         for d in layout.defects]
        reports.append(FileReport(item.source, sorted(item.errors, key=lambda p: p.where),
                                  sorted(warnings, key=lambda w: w.where), item.reading, layout))
    return reports


def pages_note(layout) -> str:
    """'2 pages: 1 96% full, 2 41%; smallest type 10 pt'."""
    fills = ", ".join(f"{p.number} {p.used:.0%}" + (" full" if p.number == 1 else "") for p in layout.pages)
    return f"{count(len(layout.pages), 'page')}: {fills}; smallest type {layout.smallest:g} pt"


def advice(aid: Aid, locate: Locate, clinic: Clinic, today: datetime.date) -> tuple[list[Problem], Readability | None]:
    """Every warning for one aid (what `check` prints and `build` shows, once each), and
    the reading grade they were drawn from, for check's note."""
    warnings = trust_warnings(aid, locate, today)
    reading = measure(prose(aid))
    if reading is not None and reading.grade > clinic.reading_grade:
        warnings.append(warning(aid.where, (), f"reading grade {grades(reading)} is above the clinic's target "
                                 f"of {clinic.reading_grade}; rewrite first: {findings(reading.hardest)}"))
    return warnings, reading


def trust_warnings(aid: Aid, locate: Locate, today: datetime.date) -> list[Problem]:
    out = about_warnings(aid)
    if aid.review_by is not None and aid.review_by < today:
        out.append(warning(locate(("review_by",)), ("review_by",),
                            f"review date {aid.review_by.isoformat()} has passed; review the content and set a new date"))
    out += KIND_WARNINGS.get(type(aid), lambda a, l: [])(aid, locate)
    return out


ABOUT_ITEMS = {
    "written_by": "say who wrote it and their role",
    "update_policy": "say how and when it is kept up to date",
    "funding": "say who paid for it",
    "conflicts": "state the authors' conflicts of interest, or 'None'",
}


def about_warnings(aid: Aid) -> list[Problem]:
    """One warning per item "About this leaflet" lacks (IPDAS); an instruction sheet
    prints only sources and dates, and a pack's aids carry their own."""
    out = []
    if aid.updated is None:
        out.append(warning(aid.where, (), "no 'updated' date: readers cannot tell how current this is"))
    if isinstance(aid, Pack):
        return out
    if aid.review_by is None:
        out.append(warning(aid.where, (), "no 'review_by' date: readers cannot tell when it will be checked again"))
    if not aid.sources:
        out.append(warning(aid.where, (), "no 'sources': cite where the content comes from"))
    if not isinstance(aid, Checklist):
        where = aid.about.where if aid.about else aid.where
        out += [warning(where, ("about",), f"no '{key}': {why}")
                for key, why in ABOUT_ITEMS.items() if not getattr(aid.about, key, None)]
    return out


def _quiz(aid: Quiz, locate: Locate) -> list[Problem]:
    """Safety before preference: questions that rule an option out come first."""
    first = next((i for i, q in enumerate(aid.questions) if not q.rules_out), len(aid.questions))
    return [warning(locate(("questions", i)), ("questions", i),
                    f"rules an option out but comes after question {first + 1}, which only gives points: "
                    "ask the safety questions first")
            for i, q in enumerate(aid.questions) if q.rules_out and i > first]


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


KIND_WARNINGS = {Comparison: _comparison, Flowchart: _flowchart, Quiz: _quiz}


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
    out += [block.intro for block in (getattr(aid, "values", None), sure_test(aid)) if block and block.intro]
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


# ── output ──────────────────────────────────────────────────────────────────────────


def render_reports(reports: list[FileReport], notes: list[Problem], clinic: Clinic,
                   style: str = "text") -> tuple[int, int, str]:
    """The error count, the warning count and what `aidpress check` prints, in one of three styles:
    text (people), json (tools) or github (GitHub Actions annotation lines)."""
    problems = list(notes) + [p for r in reports for p in (*r.errors, *r.warnings)]
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if style == "json":
        import json

        return errors, warnings, json.dumps({
            "files": len(reports), "errors": errors, "warnings": warnings,
            "problems": [_as_dict(p) for p in problems],
            "reading_grades": {str(r.path): round(r.reading.grade, 1) for r in reports if r.reading is not None},
            **({"pages": {str(r.path): [{"page": p.number, "used": round(p.used, 3), "smallest": round(p.smallest, 1)}
                                         for p in r.layout.pages] for r in reports if r.layout is not None}}
               if any(r.layout is not None for r in reports) else {}),
        }, indent=1, ensure_ascii=False) + "\n"
    if style == "github":
        return errors, warnings, "".join(_annotation(p) + "\n" for p in problems)
    lines = [str(n) for n in notes]
    for report in reports:
        lines += [str(p) for p in (*report.errors, *report.warnings)]
        if report.reading is not None:
            lines.append(f"{report.path}: note: {reading_note(report.reading, clinic.reading_grade)}")
        if report.layout is not None:
            lines.append(f"{report.path}: note: {pages_note(report.layout)}")
    lines.append(f"{count(len(reports), 'file')} checked: {count(errors, 'error')}, {count(warnings, 'warning')}")
    return errors, warnings, "".join(line + "\n" for line in lines)


def _as_dict(p: Problem) -> dict:
    from ..errors import format_path

    return {"file": p.where.file, "line": p.where.line, "column": p.where.column, "severity": p.severity,
            "path": format_path(p.path), "message": p.message, "hint": p.hint}


def _annotation(p: Problem) -> str:
    """::error file=F,line=L,col=C::message — GitHub's workflow command (values escaped as it asks)."""
    def esc(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    where = f"file={esc(p.where.file, True)}"
    if p.where.line:
        where += f",line={p.where.line},col={p.where.column}"
    text = str(p).split(f": {p.severity}: ", 1)[1]
    return f"::{p.severity} {where}::{esc(text)}"
