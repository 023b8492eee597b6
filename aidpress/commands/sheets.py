"""Per-patient aftercare sheets: one from the command line, or one per roster row.

Patient data is private: sheets go to their own folder (not output/), readable only by
their owner (0600), written atomically; file names come from an id column, never from a
patient's name unless the clinic names that column; errors name rows and fields only.
"""

from __future__ import annotations

import gc
import os
import re
import tempfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..errors import Location, Problem, Refusal
from ..model import Checklist, Clinic, Sheet
from ..patient import InvalidPatient, check_values, field_for, unknown_hint
from ..roster import BadRow, Roster, RosterError, RosterRow, read_roster
from ..validate import load_aid
from ..write import atomic_file, write_atomic

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
CHUNK = 100  # sheets per print run when writing separate files: bounds memory
MERGE_CHUNK = 1000  # sheets per print run when joining one PDF


class Refused(Refusal):
    """Patient values that cannot make a sheet; the problems name fields, never values."""


@dataclass(frozen=True)
class SheetOptions:
    """How patient sheets are written: the folder, the paper, large print, duplex."""

    out_dir: Path = Path("patients")
    paper: str | None = None
    large_print: bool = False
    duplex: bool = False


@dataclass
class RosterResult:
    """What a roster run did: sheets written, and rows refused by row and column."""

    sheets: int  # sheets produced (in one file with --merge, else one file each)
    written: list[Path]
    failures: list[Problem]  # each names a row and a column, never a value
    warnings: list[Problem]

    @property
    def skipped(self) -> int:
        return len({p.where.line for p in self.failures})


def load_checklist(path: Path) -> Checklist:
    """The aid to fill in, read the way build and check read it (a roster given in its
    place is refused by its name, never read out)."""
    from .preflight import read

    item = read(path)
    if item.errors:
        raise Refused(item.errors)
    aid = item.aid
    if not isinstance(aid, Checklist) or not aid.fields:
        raise Refused([Problem(aid.where, (), "per-patient sheets need a checklist with 'fields:' "
                               f"(this aid is a {aid.kind}{' without fields' if aid.kind == 'checklist' else ''})")])
    return aid


def safe_file_part(text: str) -> str:
    """Keep a file-name part to letters, digits, '-', '_' and '.', never leading dots."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:60]


def private_dir(path: Path) -> list[Problem]:
    """Make the sheets' folder 0700 if it is new; an existing folder keeps its mode
    (a warning if others can read it: the sheets in it are 0600 either way)."""
    if path.is_dir():
        if os.stat(path).st_mode & 0o044:
            return [Problem(Location(str(path), 1, 1), (), "others can read this folder; each sheet in it is "
                            "readable by you alone", "keep patient sheets in a folder only you can open",
                            severity="warning")]
        return []
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir(mode=PRIVATE_DIR)
    os.chmod(path, PRIVATE_DIR)  # whatever the umask says
    return []


# ── one sheet ───────────────────────────────────────────────────────────────────────


def field_values(aid: Checklist, pairs: Iterable[str]) -> dict[str, str]:
    """--field NAME=VALUE pairs → raw values by field id; a name that is no field is refused."""
    given: dict[str, str] = {}
    problems = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        key = field_for(aid, name) if sep else None
        if key is None:
            shown = f"--field '{name.strip()}'" if sep else "a --field without '='"
            problems.append(Problem(aid.where, ("fields",), f"{shown} names no field of '{aid.id}'",
                                    unknown_hint(aid, name) if sep else "write --field NAME=VALUE, e.g. "
                                    "--field date=2026-11-23"))
        else:
            given[key] = value
    if problems:
        raise Refused(problems)
    return given


def one_sheet(aid: Checklist, clinic: Clinic, pairs: Iterable[str], target: Path, options: SheetOptions) -> list[Problem]:
    """Write one filled sheet to `target`; return warnings. Problems point at the field's
    line in the aid and name the --field, never its value."""
    from layouts.stamp import print_run

    def located(field_id: str, message: str, hint: str = "") -> Problem:
        index, field = next((i, f) for i, f in enumerate(aid.fields) if f.id == field_id)
        return Problem(field.where, ("fields", index), f"--field {field_id}: {message}", hint)

    try:
        sheet = check_values(aid, field_values(aid, pairs), clinic.date_format)
    except InvalidPatient as exc:
        raise Refused([located(p.name, p.message, p.hint) for p in exc.problems]) from None
    run = print_run(aid, clinic, [sheet], paper=options.paper, large_print=options.large_print)
    if run.misfits:
        raise Refused([located(m.field, TOO_LONG) for m in run.misfits])
    warnings = private_dir(target.parent)
    write_atomic(target, run.pdf, mode=PRIVATE_FILE)
    return warnings


TOO_LONG = "too long to fit its line, even on two lines in the smallest print allowed"


# ── a roster ────────────────────────────────────────────────────────────────────────
#
# Rows stream through: read, checked, named, laid out and written a chunk at a time,
# so memory stays flat however long the roster is.


class Columns:
    """Which column holds which field; refuses a header it would have to guess about."""

    def __init__(self, aid: Checklist, roster: Roster, id_column: str | None):
        chosen, id_column = id_column is not None, id_column or "id"
        self.aid, self.roster = aid, roster
        self.fields: dict[int, str] = {}  # column index → field id
        self.names: dict[str, str] = {}  # field id → the column's name as the header gives it
        self.id_index = next((i for i, h in enumerate(roster.header) if h.lower() == id_column.lower()), None)
        self.unnamed = [i for i, h in enumerate(roster.header) if not h]
        self.id_column = id_column
        unknown, by_field = [], {}
        for i, name in enumerate(roster.header):
            key = field_for(aid, name) if name else None
            if key is not None:
                by_field.setdefault(key, []).append(i)
            elif name and i != self.id_index:
                unknown.append(name)
        at = roster.header_line
        if chosen and self.id_index is None:
            raise RosterError([roster.problem(at, f"row 1: no column is named '{id_column}' (--id-column)",
                                              "name the column file names are made from, or leave out --id-column")])
        if not by_field:
            raise RosterError([roster.problem(at, f"row 1: the header names none of the fields of '{aid.id}'",
                                              "the first row names the fields: "
                                              + ", ".join(f.id for f in aid.fields))])
        problems = []
        for key, columns in by_field.items():
            if len(columns) > 1:
                both = " and ".join(f"'{roster.header[i]}'" for i in columns)
                problems.append(roster.problem(at, f"row 1: columns {both} name the same field '{key}'",
                                               "keep one of them"))
        problems += [roster.problem(at, f"row 1: column '{name}' names no field of '{aid.id}'",
                                    unknown_hint(self.aid, name) + "; or remove the column") for name in unknown]
        if problems:
            raise RosterError(problems)
        self.fields = {columns[0]: key for key, columns in by_field.items()}
        self.names = {key: roster.header[i] for i, key in self.fields.items()}

    def values(self, row: RosterRow) -> dict[str, str]:
        return {key: row.cells[i] for i, key in self.fields.items()}

    def named(self, field_id: str) -> str:
        return f"column '{self.names[field_id]}'" if field_id in self.names else f"field '{field_id}'"

    def key(self, row: RosterRow) -> str:
        return row.cells[self.id_index] if self.id_index is not None else ""


class FileNames:
    """File names from the id column (or the column the clinic chose); a repeat is refused."""

    def __init__(self, aid: Checklist, columns: Columns):
        self.aid, self.columns, self.seen = aid, columns, {}

    def __call__(self, row: RosterRow) -> str | tuple[str, str]:
        """The file name, or (message, hint) if an earlier row has it already."""
        key = self.columns.key(row)
        part = safe_file_part(key) or f"row{row.number:05d}"
        name = f"{self.aid.id}-{part}.pdf"
        earlier = self.seen.setdefault(name, row.number)
        if earlier == row.number:
            return name
        what = f"the id in column '{self.columns.id_column}'" if key else "the file name"
        same = "is the same as" if safe_file_part(key) == key else "makes the same file name as"
        return (f"row {row.number}: {what} {same} row {earlier}'s; this row is skipped, never written over "
                "the other", "give each patient their own id")


def checked_rows(aid: Checklist, clinic: Clinic, roster: Roster, columns: Columns, failures: list[Problem]):
    """(sheet, file name) for every good row; bad rows are added to `failures`."""
    name = FileNames(aid, columns)
    for row in roster.rows():
        if isinstance(row, BadRow):
            failures.append(roster.problem(row.line, row.message, row.hint))
            continue
        problems = [roster.problem(row.line, f"row {row.number}, column {i + 1}: a value under no column name",
                                   "name the column in the header, or empty it")
                    for i in columns.unnamed if row.cells[i]]
        try:
            sheet = check_values(aid, columns.values(row), clinic.date_format, row=row.number, line=row.line)
        except InvalidPatient as exc:
            problems += [roster.problem(row.line, f"row {row.number}, {columns.named(p.name)}: {p.message}", p.hint)
                         for p in exc.problems]
        if problems:
            failures += problems
            continue
        file_name = name(row)
        if isinstance(file_name, tuple):
            failures.append(roster.problem(row.line, *file_name))
            continue
        yield sheet, file_name


def batched(items: Iterable, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def build_roster(aid_path: Path, roster_path: Path, clinic: Clinic, options: SheetOptions, *,
                 merge: bool = False, target: Path | None = None, id_column: str | None = None,
                 workers: int | None = None, progress: Callable[[int, int], None] = lambda n, total: None) -> RosterResult:
    aid = load_checklist(aid_path)
    roster = read_roster(Path(roster_path))
    columns = Columns(aid, roster, id_column)
    if not roster.total:
        raise RosterError([roster.problem(roster.header_line, "the roster has a header but no patient rows")])
    failures: list[Problem] = []
    named = checked_rows(aid, clinic, roster, columns, failures)
    warnings = private_dir(options.out_dir if target is None else target.parent)

    def report(done: int) -> None:
        progress(done, roster.total)

    def misfits(found) -> list[Problem]:
        return [roster.problem(m.line, f"row {m.row}, {columns.named(m.field)}: {TOO_LONG}") for m in found]

    if merge:
        out = target or options.out_dir / f"{aid.id}-roster.pdf"
        count = merge_roster(aid, clinic, (sheet for sheet, _ in named), options, out, failures, report, misfits)
        written = [out] if count else []
    else:
        written = write_separately(aid, clinic, options, named, failures, report, workers, misfits)
        os.sync()  # every sheet on disk before the summary says so
        count = len(written)
    return RosterResult(count, written, sorted(failures, key=lambda p: p.where.line), warnings)


def write_separately(aid: Checklist, clinic: Clinic, options: SheetOptions, named, failures: list[Problem],
                     report: Callable[[int], None], workers: int | None, misfits: Callable) -> list[Path]:
    """A file per sheet: chunks of CHUNK sheets go to worker processes, a few at a time."""
    workers = workers or min(os.cpu_count() or 1, 2)
    if workers > 1:  # lay the sheet out once here: forked workers start with ReportLab and the fonts loaded
        from layouts.stamp import print_run

        print_run(aid, clinic, [], paper=options.paper, large_print=options.large_print)
    written: list[Path] = []
    pending: deque = deque()

    def collect(future) -> None:
        paths, misfit = future.result()
        written.extend(paths)
        failures.extend(misfits(misfit))
        report(len(paths) + len(misfit))

    from concurrent.futures import ProcessPoolExecutor  # only separate files fork workers

    with ProcessPoolExecutor(workers) if workers > 1 else _InProcess() as pool:
        for chunk in batched(named, CHUNK):
            pending.append(pool.submit(_write_chunk, (aid, clinic, options, chunk)))
            if len(pending) >= 2 * workers:  # bounded: never the whole roster in flight
                collect(pending.popleft())
        while pending:
            collect(pending.popleft())
    return written


def merge_roster(aid: Checklist, clinic: Clinic, sheets: Iterable[Sheet], options: SheetOptions, out: Path,
                 failures: list[Problem], report: Callable[[int], None], misfits: Callable) -> int:
    """One print-ready PDF, made as print runs of MERGE_CHUNK sheets joined by streaming,
    so memory is bounded by a chunk rather than growing with the roster."""
    from layouts.join import join_streaming
    from layouts.stamp import print_run

    count = 0
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".parts-") as tmp:  # 0700, beside the output
        parts = []
        for chunk in batched(sheets, MERGE_CHUNK):
            run = print_run(aid, clinic, chunk, paper=options.paper, large_print=options.large_print,
                            duplex=options.duplex)
            failures += misfits(run.misfits)
            count += run.sheets
            report(len(chunk))
            if not run.sheets:
                continue
            parts.append(Path(tmp) / f"{len(parts):08d}.pdf")
            write_atomic(parts[-1], run.pdf, mode=PRIVATE_FILE)
            del run
            gc.collect()  # a laid-out document is a web of cycles: free it before the next
        if not parts:  # no good rows: write nothing rather than an empty PDF
            return 0
        if len(parts) == 1:  # one part is the whole PDF, byte for byte
            os.replace(parts[0], out)
        else:
            with atomic_file(out, PRIVATE_FILE) as f:
                join_streaming(parts, f, title=aid.title, language=aid.language)
    return count


def _write_chunk(job) -> tuple[list[Path], list]:
    """One print run for a chunk of sheets, split into a file per sheet (runs in a worker)."""
    from layouts.join import split_pages
    from layouts.stamp import print_run

    aid, clinic, options, named = job  # the validated model travels to the worker; no re-reading
    run = print_run(aid, clinic, (s for s, _ in named), paper=options.paper, large_print=options.large_print)
    misfit_rows = {m.row for m in run.misfits}
    kept = [name for s, name in named if s.row not in misfit_rows]
    paths = []
    files = split_pages(run.pdf, run.pages_per_sheet, title=aid.title, language=aid.language)
    for name, data in zip(kept, files, strict=True):
        paths.append(options.out_dir / name)
        _put_private(paths[-1], data)
    misfits = run.misfits
    del run
    gc.collect()  # workers live across chunks: free this one's layout first
    return paths, misfits


def _put_private(path: Path, data: bytes) -> None:
    """Write a sheet atomically (temporary file, then rename) at 0600. Not flushed to disk
    one by one: build_roster syncs once when every file is written (a thousand fsyncs cost
    seconds)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")  # 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


class _InProcess:
    """The executor interface without processes, for one worker (and for tests)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, fn, job):
        return _Done(fn(job))


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value
