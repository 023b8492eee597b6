"""One error base class; every message points at the YAML that caused it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file, 1-based like editors show it."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        if not self.line:  # about a whole file (or one that is missing): no line to name
            return self.file
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
        place = f"{self.where}: " if self.where.file else ""  # about the run itself, not a file
        text = f"{place}{self.severity}: " + (f"{crumb}: " if crumb else "") + self.message
        return text + (f" ({self.hint})" if self.hint else "")


class Refusal(AidpressError):
    """An error that carries its Problems; the CLI prints them one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InvalidAid(Refusal):
    """An aid (or the clinic profile) could not be read; carries every problem found, in line order."""

    def __init__(self, problems: list[Problem]):
        super().__init__(sorted(problems, key=lambda p: p.where))


def failure(message: str, hint: str = "", file: str = "") -> InvalidAid:
    """An error about the run as a whole (or a whole file): still one Problem, one format."""
    return InvalidAid([Problem(Location(file, 0, 0), (), message, hint)])


class UnfitContent(AidpressError):
    """Valid content that cannot be laid out (a disclaimer too long for the footer, a box
    taller than a page). Raised by layouts/, which know the model but not the YAML: it
    names the file and the key path, and the preflight turns it into a located Problem."""

    def __init__(self, file: str, path: tuple, message: str, hint: str = ""):
        self.file, self.path, self.message, self.hint = file, path, message, hint
        super().__init__(message)


def suggest(word: str, choices) -> str:
    """The hint for a misspelt name: the closest choice, or the list of them."""
    import difflib  # only a misspelling pays for it (the CLI imports this module at start)

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(f"'{c}'" for c in choices)


def count(n: int, word: str) -> str:
    """'1 file', '2 files': counts in messages read as English."""
    return f"{n} {word}{'s' if n != 1 else ''}"
