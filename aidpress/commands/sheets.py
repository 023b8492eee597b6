"""Per-patient aftercare sheets: one from the command line, or one per roster row.

Patient data is private: sheets go to their own folder (not output/), readable only by
their owner (0600), written atomically; file names come from an id column, never from a
patient's name unless the clinic names that column; errors name rows and fields only.

Errors are values: a roster row becomes either a sheet to write (`Ready`) or a refusal
(`RowRefused`); each chunk of rows written returns what it wrote and what it refused
(`ChunkDone`); the run returns an `Outcome` (messages, a summary, an exit status) that
the command line only prints. Nothing fills a caller's list, nothing is raised for a row.
Stamping (layouts/stamp.py) is called in one place: `stamp`.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import gc
import itertools
import os
import re
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import Location, Problem, Refusal, count, failure
from ..model import Checklist, Clinic, Sheet
from ..patient import InvalidPatient, check_values, field_for, unknown_hint
from ..roster import BadRow, Roster, RosterError, RosterRow, read_roster
from ..validate import load_from_file
from ..write import atomic_file, why_not_written, write_atomic
from .project import Console, find_project

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
CHUNK = 100  # roster rows per print run when writing separate files: bounds memory
MERGE_CHUNK = 1000  # roster rows per print run when joining one PDF
WRITE_HINT = "choose a folder you can write to on a real disk (--out, or -o for one file)"


class Refused(Refusal):
    """Patient values that cannot make a sheet, or a place sheets cannot be written; the
    problems name fields and paths, never values."""


@dataclass(frozen=True)
class SheetOptions:
    """How patient sheets are written: the folder, the paper, large print, duplex."""

    out_dir: Path = Path("patients")
    paper: str | None = None
    large_print: bool = False
    duplex: bool = False


@dataclass(frozen=True)
class AftercareRequest:
    """Everything `aidpress aftercare` was asked to do, as parsed from its arguments."""

    aid: Path
    clinic: Path | None = None
    fields: tuple[str, ...] = ()  # --field NAME=VALUE, for one sheet
    roster: Path | None = None
    merge: bool = False
    id_column: str | None = None
    target: Path | None = None  # -o: the one sheet, or the merged PDF
    options: SheetOptions = SheetOptions()


@dataclass(frozen=True)
class Outcome:
    """What a run did, for the command line to show: messages (stderr, warnings first),
    one summary line (stdout) and the exit status (1 if any row or write failed)."""

    messages: tuple[Problem, ...]
    summary: str
    status: int


@dataclass(frozen=True)
class RosterResult:
    """What a roster run did: sheets written, and rows refused by row and column."""

    sheets: int  # sheets produced (in one file with --merge, else one file each)
    written: list[Path]
    failures: list[Problem]  # each names a row and a column (or a path), never a value
    warnings: list[Problem]
    roster: Path | None = None

    @property
    def skipped(self) -> int:
        """Roster rows left out (a failure about the output file is no row's)."""
        return len({p.where.line for p in self.failures if p.where.file == str(self.roster)})


def command(aid: Path, *, fields: tuple[str, ...], roster: Path | None, merge: bool, duplex: bool,
            id_column: str | None, target: Path | None, out_dir: Path | None, clinic_path: Path | None,
            paper: str | None, large_print: bool, console: Console, progress=contextlib.nullcontext) -> int:
    """`aidpress aftercare`: the request made from the options, the sheets written, what
    happened said; the exit status. `progress()` gives the callback a progress bar calls."""
    if roster and fields:
        raise failure("give either --field values or --roster, not both")
    if (merge or duplex) and not roster:
        raise failure("--merge and --duplex go with --roster")
    project = find_project()
    options = SheetOptions(out_dir=out_dir or (project.patients if project else Path("patients")), paper=paper,
                           large_print=large_print, duplex=duplex)
    given = clinic_path if clinic_path is not None else (project.clinic if project else None)
    request = AftercareRequest(aid, given, fields, roster, merge, id_column, target, options)
    with progress() as advance:
        outcome = aftercare(request, progress=advance or (lambda n, total: None))
    for problem in outcome.messages:
        console.err(str(problem))
    console.out(outcome.summary)
    return outcome.status


def aftercare(request: AftercareRequest, progress: Callable[[int, int], None] = lambda n, total: None) -> Outcome:
    """`aidpress aftercare`: one sheet from --field values, or one per roster row. A sheet
    whose structure tree cannot be built (layouts/sheet_tags.py) is refused, at the aid:
    no file is written half tagged."""
    from layouts.sheet_tags import TagError

    try:
        return _aftercare(request, progress)
    except TagError as exc:
        raise Refused([Problem(Location(str(request.aid), 1, 1), (), f"the sheet's structure tree (tagged PDF) "
                               f"cannot be built: {exc}", "report this as a bug of aidpress")]) from None


def _aftercare(request: AftercareRequest, progress: Callable[[int, int], None]) -> Outcome:
    clinic = load_from_file(request.clinic, Clinic).value
    if request.roster is None:
        path, warnings = one_sheet(load_checklist(request.aid), clinic, request.fields, request.target,
                                   request.options)
        return Outcome(tuple(warnings), str(path), 0)
    result = build_roster(request.aid, request.roster, clinic, request.options, merge=request.merge,
                          target=request.target, id_column=request.id_column, progress=progress)
    where = result.written[0] if request.merge and result.written else (
        request.target if request.merge and request.target else request.options.out_dir)
    summary = f"{count(result.sheets, 'sheet')} written to {where}"
    if result.skipped:
        summary += f"; {count(result.skipped, 'row')} skipped"
    return Outcome(tuple(result.warnings + result.failures), summary, 1 if result.failures else 0)


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


def cannot_write(path: Path, exc: OSError, what: str = "the PDF", folder: bool = False) -> Problem:
    """A place sheets cannot go (the file `path`, or the folder if `folder`), as a located
    error (never a traceback): what is in the way said as `aidpress build` says it
    (write.why_not_written), the hint naming --out and -o."""
    reason, hint = why_not_written(path, exc, elsewhere=WRITE_HINT, folder=folder)
    return Problem(Location(str(path), 1, 1), (), f"cannot write {what}: {reason}", hint)


def writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def private_dir(path: Path) -> list[Problem]:
    """Make the sheets' folder 0700 if it is new; an existing folder keeps its mode
    (a warning if others can read it: the sheets in it are 0600 either way). A folder
    that cannot be made or written to is refused (Refused), before any sheet is laid out."""
    try:
        if not path.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.mkdir(mode=PRIVATE_DIR)
            os.chmod(path, PRIVATE_DIR)  # whatever the umask says
            return []
        if not writable(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except OSError as exc:
        raise Refused([cannot_write(path, exc, "patient sheets in this folder", folder=True)]) from None
    if os.stat(path).st_mode & 0o044:
        return [Problem(Location(str(path), 1, 1), (), "others can read this folder; each sheet in it is "
                        "readable by you alone", "keep patient sheets in a folder only you can open",
                        severity="warning")]
    return []


def stamp(aid: Checklist, clinic: Clinic, sheets: Iterable[Sheet], options: SheetOptions, *, duplex: bool = False):
    """The one call into the stamping layout: a print run of these sheets (layouts/stamp.py)."""
    from layouts.stamp import print_run

    return print_run(aid, clinic, sheets, paper=options.paper, large_print=options.large_print, duplex=duplex)


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


def one_sheet(aid: Checklist, clinic: Clinic, pairs: Iterable[str], target: Path | None,
              options: SheetOptions) -> tuple[Path, list[Problem]]:
    """Write one filled sheet to `target`, or with no target to a new file in the sheets'
    folder that replaces none (`fresh_name`); return where it went, and warnings. Problems
    point at the field's line in the aid and name the --field, never its value."""

    def located(field_id: str, message: str, hint: str = "") -> Problem:
        index, field = next((i, f) for i, f in enumerate(aid.fields) if f.id == field_id)
        return Problem(field.where, ("fields", index), f"--field {field_id}: {message}", hint)

    try:
        sheet = check_values(aid, field_values(aid, pairs), clinic.date_format)
    except InvalidPatient as exc:
        raise Refused([located(p.name, p.message, p.hint) for p in exc.problems]) from None
    run = stamp(aid, clinic, [sheet], options)
    if run.misfits:
        raise Refused([located(m.field, too_long(m.limit)) for m in run.misfits])
    folder = options.out_dir if target is None else target.parent
    warnings = private_dir(folder)
    try:
        if target is None:
            return put_new(folder, fresh_name(aid.id), run.pdf), warnings
        write_atomic(target, run.pdf, mode=PRIVATE_FILE)
    except OSError as exc:
        raise Refused([cannot_write(target or folder, exc, folder=target is None)]) from None
    return target, warnings


def fresh_name(aid_id: str, now: datetime.datetime | None = None) -> str:
    """A one-off sheet's file name: the aid, the date and the time, nothing of the patient."""
    return f"{aid_id}-{(now or datetime.datetime.now()):%Y-%m-%d-%H%M%S}.pdf"


def put_new(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` (0600) as `name` in `folder`, or as name-2, name-3, … if that file is
    there already: a new file every time, never one written over."""
    stem = name.removesuffix(".pdf")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{stem}.", suffix=".part")  # 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        for n in range(1, 10_000):
            path = folder / (name if n == 1 else f"{stem}-{n}.pdf")
            try:
                os.link(tmp, path)  # fails if the name is taken, even by a run at the same moment
                return path
            except FileExistsError:
                continue
        raise FileExistsError(errno.EEXIST, "too many sheets with this name", str(folder / name))
    finally:
        os.unlink(tmp)


def too_long(limit: int) -> str:
    """Why a value was refused, naming the limit, never the value."""
    return (f"too long to fit its line at full size: about {limit} characters fit "
            f"(on two lines where the field has a second line)")


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

    def key(self, row: RosterRow) -> str:
        return row.cells[self.id_index] if self.id_index is not None else ""


@dataclass(frozen=True)
class Ready:
    """A roster row that becomes a sheet: its checked values and the file it goes to."""

    sheet: Sheet
    file_name: str


@dataclass(frozen=True)
class RowRefused:
    """A roster row that does not: why, by row and column (never a value)."""

    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Locator:
    """Places problems found while writing at their roster row (small: it travels to workers)."""

    roster: Path
    columns: dict[str, str]  # field id → the column's name as the header gives it

    def at(self, line: int | None, message: str, hint: str = "") -> Problem:
        return Problem(Location(str(self.roster), line or 1, 1), (), message, hint)

    def named(self, field_id: str) -> str:
        return f"column '{self.columns[field_id]}'" if field_id in self.columns else f"field '{field_id}'"

    def misfit(self, row: int | None, line: int | None, field_id: str, limit: int) -> Problem:
        return self.at(line, f"row {row}, {self.named(field_id)}: {too_long(limit)}")


class FileNames:
    """File names from the id column (or the column the clinic chose); a repeat is refused."""

    def __init__(self, aid: Checklist, columns: Columns):
        self.aid, self.columns, self.seen = aid, columns, {}

    def claim(self, row: RosterRow) -> str | Problem:
        """The row's file name, or the problem if an earlier row has it already."""
        key = self.columns.key(row)
        part = safe_file_part(key) or f"row{row.number:05d}"
        name = f"{self.aid.id}-{part}.pdf"
        earlier = self.seen.setdefault(name, row.number)
        if earlier == row.number:
            return name
        what = f"the id in column '{self.columns.id_column}'" if key else "the file name"
        same = "is the same as" if safe_file_part(key) == key else "makes the same file name as"
        return self.columns.roster.problem(
            row.line, f"row {row.number}: {what} {same} row {earlier}'s; this row is skipped, never written over "
            "the other", "give each patient their own id")


class RowReader:
    """Turns each roster row into a Ready sheet or a RowRefused, in roster order."""

    def __init__(self, aid: Checklist, clinic: Clinic, roster: Roster, columns: Columns):
        self.aid, self.clinic, self.roster, self.columns = aid, clinic, roster, columns
        self.names = FileNames(aid, columns)
        self.locator = Locator(roster.path, columns.names)

    def __iter__(self) -> Iterator[Ready | RowRefused]:
        return map(self.outcome, self.roster.rows())

    def outcome(self, row: RosterRow | BadRow) -> Ready | RowRefused:
        roster, columns = self.roster, self.columns
        if isinstance(row, BadRow):
            return RowRefused((roster.problem(row.line, row.message, row.hint),))
        problems = [roster.problem(row.line, f"row {row.number}, column {i + 1}: a value under no column name",
                                   "name the column in the header, or empty it")
                    for i in columns.unnamed if row.cells[i]]
        try:
            sheet = check_values(self.aid, columns.values(row), self.clinic.date_format, row=row.number,
                                 line=row.line)
        except InvalidPatient as exc:
            problems += [roster.problem(row.line, f"row {row.number}, {self.locator.named(p.name)}: {p.message}", p.hint)
                         for p in exc.problems]
        if problems:
            return RowRefused(tuple(problems))
        name = self.names.claim(row)
        return RowRefused((name,)) if isinstance(name, Problem) else Ready(sheet, name)


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True)
class Chunk:
    """A chunk of roster rows to write: the sheets, what to write them with, where."""

    aid: Checklist
    clinic: Clinic
    options: SheetOptions
    locator: Locator
    rows: int  # roster rows in the chunk
    ready: tuple[Ready, ...]  # the rows that become sheets
    refused: tuple[Problem, ...]  # why the others do not

    @classmethod
    def of(cls, aid: Checklist, clinic: Clinic, options: SheetOptions, locator: Locator,
           batch: list[Ready | RowRefused]) -> Chunk:
        return cls(aid, clinic, options, locator, len(batch), tuple(o for o in batch if isinstance(o, Ready)),
                   tuple(p for o in batch if isinstance(o, RowRefused) for p in o.problems))


@dataclass
class ChunkDone:
    """What writing a chunk did: the files written, and the rows left out (too long, or
    not writable), as located problems."""

    rows: int  # roster rows this covers, refused ones included (for progress)
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: int = 0  # sheets laid out (merged runs write them later, all in one file)


def build_roster(aid_path: Path, roster_path: Path, clinic: Clinic, options: SheetOptions, *,
                 merge: bool = False, target: Path | None = None, id_column: str | None = None,
                 workers: int | None = None, progress: Callable[[int, int], None] = lambda n, total: None) -> RosterResult:
    aid = load_checklist(aid_path)
    roster = read_roster(Path(roster_path))
    columns = Columns(aid, roster, id_column)
    if not roster.total:
        raise RosterError([roster.problem(roster.header_line, "the roster has a header but no patient rows")])
    out = (target or options.out_dir / f"{aid.id}-roster.pdf") if merge else None
    warnings = private_dir(options.out_dir if out is None else out.parent)
    rows = RowReader(aid, clinic, roster, columns)
    chunks = (Chunk.of(aid, clinic, options, rows.locator, batch)
              for batch in batched(rows, MERGE_CHUNK if merge else CHUNK))

    def done(result: ChunkDone) -> ChunkDone:
        progress(result.rows, roster.total)
        return result

    if merge:
        results, written = merge_roster(chunks, out, done)
    else:
        results = list(write_separately(chunks, workers, done))
        written = [path for r in results for path in r.written]
        os.sync()  # every sheet on disk before the summary says so
    problems = [p for r in results for p in r.problems]
    sheets = sum(r.sheets for r in results) if merge else len(written)
    return RosterResult(sheets if written else 0, written, sorted(problems, key=lambda p: p.where.line), warnings,
                        roster.path)


def write_separately(chunks: Iterable[Chunk], workers: int | None,
                     done: Callable[[ChunkDone], ChunkDone]) -> Iterator[ChunkDone]:
    """A file per sheet: chunks go to worker processes, a few at a time (never the whole
    roster in flight); each chunk's result is yielded in roster order."""
    workers = workers or min(os.cpu_count() or 1, 2)
    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        return
    if workers > 1:  # lay the sheet out once here: forked workers start with ReportLab and the fonts loaded
        stamp(first.aid, first.clinic, [], first.options)
    from concurrent.futures import ProcessPoolExecutor  # only separate files fork workers

    pending: deque = deque()
    with ProcessPoolExecutor(workers) if workers > 1 else _InProcess() as pool:
        for chunk in itertools.chain([first], chunks):
            pending.append(pool.submit(write_chunk, chunk))
            if len(pending) >= 2 * workers:
                yield done(pending.popleft().result())
        while pending:
            yield done(pending.popleft().result())


def write_chunk(chunk: Chunk) -> ChunkDone:
    """One print run for a chunk of sheets, split into a file per sheet (runs in a worker).
    A sheet that does not fit, or whose file cannot be written, is a problem of its row."""
    from layouts.join import split_pages

    result = ChunkDone(chunk.rows, problems=list(chunk.refused))
    if not chunk.ready:
        return result
    aid, locator = chunk.aid, chunk.locator
    run = stamp(aid, chunk.clinic, (r.sheet for r in chunk.ready), chunk.options)
    result.problems += [locator.misfit(m.row, m.line, m.field, m.limit) for m in run.misfits]
    left_out = {m.row for m in run.misfits}
    kept = [r for r in chunk.ready if r.sheet.row not in left_out]
    files = split_pages(run.pdf, run.pages_per_sheet, title=aid.title, language=aid.language)
    for ready, data in zip(kept, files, strict=True):
        path = chunk.options.out_dir / ready.file_name
        try:
            put_private(path, data)
        except OSError as exc:
            result.problems.append(locator.at(ready.sheet.line, f"row {ready.sheet.row}: cannot write {path}: "
                                                                f"{exc.strerror or exc}", WRITE_HINT))
            continue
        result.written.append(path)
    result.sheets = len(result.written)
    del run
    gc.collect()  # workers live across chunks: free this one's layout first
    return result


def merge_roster(chunks: Iterable[Chunk], out: Path,
                 done: Callable[[ChunkDone], ChunkDone]) -> tuple[list[ChunkDone], list[Path]]:
    """One print-ready PDF, made as print runs of MERGE_CHUNK rows joined by streaming,
    so memory is bounded by a chunk rather than growing with the roster. Returns each
    chunk's result and the file written ([] if no row made a sheet)."""
    from layouts.join import join_streaming

    results: list[ChunkDone] = []
    title = language = ""
    try:
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".parts-") as tmp:  # 0700, beside the output
            parts = []
            for chunk in chunks:
                result = ChunkDone(chunk.rows, problems=list(chunk.refused))
                results.append(result)
                title, language = chunk.aid.title, chunk.aid.language
                if chunk.ready:
                    run = stamp(chunk.aid, chunk.clinic, (r.sheet for r in chunk.ready), chunk.options,
                                duplex=chunk.options.duplex)
                    result.problems += [chunk.locator.misfit(m.row, m.line, m.field, m.limit) for m in run.misfits]
                    result.sheets = run.sheets
                    if run.sheets:
                        parts.append(Path(tmp) / f"{len(parts):08d}.pdf")
                        write_atomic(parts[-1], run.pdf, mode=PRIVATE_FILE)
                    del run
                    gc.collect()  # a laid-out document is a web of cycles: free it before the next
                done(result)
            if not parts:  # no good rows: write nothing rather than an empty PDF
                return results, []
            if len(parts) == 1:  # one part is the whole PDF, byte for byte
                os.replace(parts[0], out)
            else:
                with atomic_file(out, PRIVATE_FILE) as f:
                    join_streaming(parts, f, title=title, language=language)
    except OSError as exc:
        results.append(ChunkDone(0, problems=[cannot_write(out, exc)]))
        return results, []
    return results, [out]


def put_private(path: Path, data: bytes) -> None:
    """Write a sheet atomically (temporary file, then rename) at 0600; on any failure the
    temporary file, which holds a patient's sheet, is removed. Not flushed to disk one by
    one: build_roster syncs once when every file is written (a thousand fsyncs cost seconds)."""
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
