"""The advice `check` prints and `build` shows: what a trustworthy decision aid needs.

Warnings follow the International Patient Decision Aid Standards (IPDAS): a date, a review
date not yet passed, sources, options described in equal detail, outcomes that say what
to do next, and plain language (reading grade). The preflight (preflight.py) attaches them
to each aid, so `check` and `build` say the same things once each.
"""

from __future__ import annotations

import datetime
from typing import Callable, Iterable

from ..errors import Location, Problem
from ..model import Aid, Checklist, Clinic, Comparison, Flowchart, Outcome, Pack, Quiz, sure_test
from ..readability import Finding, Readability, measure
from ..thresholds import LONG_CELL_RATIO, LONG_CELL_WORDS, long_cells

Locate = Callable[..., Location]


def warning(where: Location, path: tuple, message: str) -> Problem:
    return Problem(where, path, message, severity="warning")


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
    return out + long_cell_warnings(aid, locate)


def long_cell_warnings(aid: Comparison, locate: Locate) -> list[Problem]:
    """A cell much longer than its row's others prints its first lines and the rest as a
    numbered note after the table (layouts/comparison.py: long_cells_as_notes)."""
    out = []
    for i, row in enumerate(aid.rows):
        for option, next_longest in long_cells(row.cells):
            path = ("rows", i, "cells", option)
            out.append(warning(locate(path), path, f"'{aid.options[option]}' says {len(row.cells[option].split())} "
                               f"words here, more than {LONG_CELL_WORDS} and more than {LONG_CELL_RATIO}× the row's "
                               f"next-longest cell ({next_longest}): its first lines print in the table and the rest "
                               f"as note {len(out) + 1} after it; shorten it to keep it whole in the grid"))
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
