"""`aidpress check`: every error and warning in every file, without writing anything.

It runs the build's own preflight (preflight.py), so it fails exactly when `build`
would; the warnings themselves (IPDAS, plain language) are advice.py's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import Location, Problem, count
from ..model import Clinic
from ..readability import Readability
from .advice import advice, findings, grades, prose, warning  # noqa: F401  (advice, prose: named here too)
from .preflight import BuildOptions, preflight
from .project import Console, clinic_profile, find_project, sources_here


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
    from ..audit import SMALLEST, audit, spelled_with_hyphens  # pdfplumber itself loads only when an audit runs

    options = options or BuildOptions()
    reports = []
    for item in preflight(paths, profile, options, today=today):
        warnings, layout = list(item.warnings), None
        if pages and item.pdf is not None:
            texts = (p.read_text(encoding="utf-8") for p in [item.source, *(m.source for m in item.members)])
            # a pack's members each end where they end: no half-full rule across them
            layout = audit(item.pdf, min_size=SMALLEST[options.large_print], compounds=spelled_with_hyphens(*texts),
                           half_full=not item.members)
            warnings += [warning(Location(str(item.source), 0, 0), (), f"page {d.page}: {d.kind}: {d.detail}")
                         for d in layout.defects]
        reports.append(FileReport(item.source, sorted(item.errors, key=lambda p: p.where),
                                  sorted(warnings, key=lambda w: w.where), item.reading, layout))
    return reports


def command(paths: tuple[Path, ...], *, clinic_path: Path | None, paper: str | None, large_print: bool,
            style: str, pages: bool, strict: bool, verbose: bool = False, console: Console) -> int:
    """`aidpress check`: the report on the console; 1 if any error (with `strict`, any warning)."""
    project = find_project()
    sources = paths or sources_here(project)
    profile, notes = clinic_profile(clinic_path, project)
    reports = check(sources, profile, BuildOptions(paper=paper, large_print=large_print), pages=pages)
    errors, warnings, text = render_reports(reports, notes, profile.value, style, verbose=verbose)
    for line in text.split("\n")[:-1]:  # the text ends each line, the last included, with a newline
        console.out(line)
    return 1 if errors or (strict and warnings) else 0


def pages_note(layout) -> str:
    """'2 pages: 1 96% full, 2 41%; smallest type 10 pt'."""
    fills = ", ".join(f"{p.number} {p.used:.0%}" + (" full" if p.number == 1 else "") for p in layout.pages)
    return f"{count(len(layout.pages), 'page')}: {fills}; smallest type {layout.smallest:g} pt"


def reading_note(reading: Readability, target: int) -> str:
    """The `check` note for one aid; the hardest sentences only when no warning named them."""
    note = f"reading grade {grades(reading)}, target {target}"
    if reading.grade <= target and reading.hardest:
        note += f"; hardest sentence: {findings(reading.hardest[:1])}"
    return note


# ── output ──────────────────────────────────────────────────────────────────────────


def render_reports(reports: list[FileReport], notes: list[Problem], clinic: Clinic,
                   style: str = "text", verbose: bool = False) -> tuple[int, int, str]:
    """The error count, the warning count and what `aidpress check` prints, in one of three styles:
    text (people), json (tools) or github (GitHub Actions annotation lines). A file's reading-grade
    note is printed when its grade is over the clinic's target, or for every file when `verbose`:
    a check of files that are fine stays quiet."""
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
        if report.reading is not None and (verbose or report.reading.grade > clinic.reading_grade):
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
