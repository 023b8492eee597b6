"""One error base class; every message points at the YAML that caused it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file, 1-based like editors show it."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def format_path(path: tuple) -> str:
    """('questions', 1, 'points') → 'questions[1].points' — the breadcrumb in messages."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class AidpressError(Exception):
    """Base of every error aidpress reports to a user (the CLI catches only this)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file."""

    where: Location
    path: tuple
    message: str
    hint: str = ""
    severity: str = "error"  # or "warning" (aidpress check)

    def __str__(self) -> str:
        crumb = format_path(self.path)
        text = f"{self.where}: {self.severity}: " + (f"{crumb}: " if crumb else "") + self.message
        return text + (f" ({self.hint})" if self.hint else "")


class InvalidAid(AidpressError):
    """An aid (or the clinic profile) could not be read; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.where)
        super().__init__("\n".join(str(p) for p in self.problems))


class RenderError(AidpressError):
    """The content is valid but cannot be laid out (e.g. a box taller than a page)."""


class LayoutProblem(RenderError):
    """A layout failure caused by one key of the aid (e.g. `max_pages`). The problem
    points at the aid's mapping; a caller holding the key locations (validate.read_aid)
    can point at the key itself with `located`."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))

    def located(self, locate) -> "LayoutProblem":
        p = self.problem
        return LayoutProblem(Problem(locate(p.path), p.path, p.message, p.hint, p.severity))


def suggest(word: str, choices) -> str:
    """The hint for a misspelt name: the closest choice, or the list of them."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(f"'{c}'" for c in choices)
