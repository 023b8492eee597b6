"""Per-patient aftercare sheets: one from the command line, or one per roster row.

Patient data is private: sheets go to their own folder (not output/), readable only by
their owner (0600), written atomically; file names come from an id column, never from a
patient's name unless the clinic names that column; errors name rows and fields only.
"""

from __future__ import annotations

import gc
import io
import os
import re
import tempfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..errors import AidpressError
from ..model import Checklist, Clinic
from ..patient import InvalidPatient, Sheet, check_values, field_lookup
from ..roster import RosterRow, read_roster
from ..errors import suggest
from ..validate import load_aid
from ..write import atomic_file, write_atomic

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
CHUNK = 100  # sheets per print run when writing separate files: bounds memory
MERGE_CHUNK = 1000  # sheets per print run when joining one PDF


@dataclass(frozen=True)
class SheetOptions:
    out_dir: Path = Path("patients")
    paper: str | None = None
    large_print: bool = False
    duplex: bool = False


@dataclass(frozen=True)
class RowFailure:
    row: int | None
    message: str  # names fields, never values


@dataclass
class RosterResult:
    sheets: int  # sheets produced (in one file with --merge, else one file each)
    written: list[Path]
    failures: list[RowFailure]
    warnings: list[str]


def load_checklist(path: Path) -> Checklist:
    aid = load_aid(path)
    if not isinstance(aid, Checklist) or not aid.fields:
        raise AidpressError(f"{path}: error: per-patient sheets need a checklist with 'fields:' "
                            f"(this aid is a {aid.kind}{' without fields' if aid.kind == 'checklist' else ''})")
    return aid


def parse_field_options(pairs: Iterable[str]) -> dict[str, str]:
    given: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidPatient([f"--field expects NAME=VALUE, e.g. --field date=2026-11-23 (got '{name}…')"])
        given[name.strip()] = value
    return given


def safe_file_part(text: str) -> str:
    """Keep a file-name part to letters, digits, '-', '_' and '.', never leading dots."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:60]


def private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    os.chmod(path, PRIVATE_DIR)


# ── one sheet ───────────────────────────────────────────────────────────────────────


def one_sheet(aid: Checklist, clinic: Clinic, given: dict[str, str], target: Path, options: SheetOptions) -> Path:
    from layouts.stamp import print_run

    sheet = check_values(aid, given)
    run = print_run(aid, clinic, [sheet], paper=options.paper, large_print=options.large_print)
    if run.misfits:
        raise InvalidPatient([failure.message for failure in misfit_failures(run)])
    private_dir(target.parent)
    write_atomic(target, run.pdf, mode=PRIVATE_FILE)
    return target


# ── a roster ────────────────────────────────────────────────────────────────────────
#
# Rows stream through: read, checked, named, laid out and written a chunk at a time,
# so memory stays flat however long the roster is.


def column_warnings(aid: Checklist, header: list[str], skip: set[str]) -> tuple[list[str], frozenset[str]]:
    """Warnings naming columns that are not fields, and the columns to leave out."""
    lookup = field_lookup(aid)
    ignored = {h.lower() for h in skip if h.lower() not in lookup}  # e.g. the id column
    unknown = [h for h in header if h and h.lower() not in lookup and h.lower() not in ignored]
    warnings = [f"column '{h}' is not a field of '{aid.id}' and is ignored "
                f"({suggest(h.lower(), [f.id for f in aid.fields])})" for h in unknown]
    return warnings, frozenset(h.lower() for h in unknown) | ignored


class FileNames:
    """File names from the id column (or the column the clinic chose), made unique."""

    def __init__(self, aid: Checklist, column: str):
        self.aid, self.column, self.seen = aid, column.lower(), set()

    def __call__(self, row: RosterRow) -> str:
        key = next((v for k, v in row.cells.items() if k.lower() == self.column), "")
        part = safe_file_part(key) or f"row{row.number:05d}"
        name = f"{self.aid.id}-{part}.pdf"
        if name in self.seen:
            name = f"{self.aid.id}-{part}-row{row.number:05d}.pdf"
        self.seen.add(name)
        return name


def checked_rows(aid: Checklist, rows: Iterable[RosterRow], drop: frozenset[str],
                 failures: list[RowFailure], name: Callable[[RosterRow], str]):
    """(sheet, file name) for every good row; bad rows are added to `failures`."""
    for row in rows:
        try:
            yield check_values(aid, row.cells, row=row.number, ignore_unknown=drop), name(row)
        except InvalidPatient as exc:
            failures += [RowFailure(row.number, p) for p in exc.problems]


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
                 merge: bool = False, target: Path | None = None, id_column: str = "id",
                 workers: int | None = None, progress: Callable[[int, int], None] = lambda n, total: None) -> RosterResult:
    aid = load_checklist(aid_path)
    header, rows, total = read_roster(roster_path)
    warnings, drop = column_warnings(aid, header, {id_column})
    failures: list[RowFailure] = []
    named = checked_rows(aid, rows, drop, failures, FileNames(aid, id_column))
    private_dir(options.out_dir if target is None else target.parent)

    def report(done: int) -> None:
        progress(done, total)

    if merge:
        out = target or options.out_dir / f"{aid.id}-roster.pdf"
        count = merge_roster(aid, clinic, (sheet for sheet, _ in named), options, out, failures, report)
        return RosterResult(count, [out], sorted(failures, key=_by_row), warnings)
    written = write_separately(aid, clinic, options, named, failures, report, workers)
    return RosterResult(len(written), written, sorted(failures, key=_by_row), warnings)


def write_separately(aid: Checklist, clinic: Clinic, options: SheetOptions, named, failures: list[RowFailure],
                     report: Callable[[int], None], workers: int | None) -> list[Path]:
    """A file per sheet: chunks of CHUNK sheets go to worker processes, a few at a time."""
    workers = workers or min(os.cpu_count() or 1, 2)
    written: list[Path] = []
    pending: deque = deque()

    def collect(future) -> None:
        paths, misfits = future.result()
        written.extend(paths)
        failures.extend(misfits)
        report(len(paths) + len(misfits))

    with ProcessPoolExecutor(workers) if workers > 1 else _InProcess() as pool:
        for chunk in batched(named, CHUNK):
            pending.append(pool.submit(_write_chunk, (aid, clinic, options, chunk)))
            if len(pending) >= 2 * workers:  # bounded: never the whole roster in flight
                collect(pending.popleft())
        while pending:
            collect(pending.popleft())
    return written


def merge_roster(aid: Checklist, clinic: Clinic, sheets: Iterable[Sheet], options: SheetOptions, out: Path,
                 failures: list[RowFailure], report: Callable[[int], None]) -> int:
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
            failures += misfit_failures(run)
            count += run.sheets
            parts.append(Path(tmp) / f"{len(parts):08d}.pdf")
            write_atomic(parts[-1], run.pdf, mode=PRIVATE_FILE)
            report(len(chunk))
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


def misfit_failures(run) -> list[RowFailure]:
    return [RowFailure(m.row, f"field '{m.field}': too long to fit on its line") for m in run.misfits]


def _by_row(failure: RowFailure):
    return (failure.row or 0, failure.message)


def _write_chunk(job) -> tuple[list[Path], list[RowFailure]]:
    """One print run for a chunk of sheets, split into a file per sheet (runs in a worker)."""
    import pikepdf

    from layouts.stamp import print_run

    aid, clinic, options, named = job  # the validated model travels to the worker; no re-reading
    run = print_run(aid, clinic, (s for s, _ in named), paper=options.paper, large_print=options.large_print)
    misfit_rows = {m.row for m in run.misfits}
    failures = misfit_failures(run)
    kept = [(s, name) for s, name in named if s.row not in misfit_rows]
    paths = []
    per = run.pages_per_sheet
    with pikepdf.open(io.BytesIO(run.pdf)) as merged:
        for i, (_, name) in enumerate(kept):
            single = pikepdf.new()
            single.pages.extend(merged.pages[i * per:(i + 1) * per])
            single.docinfo["/Title"] = aid.title
            single.docinfo["/Creator"] = "aidpress"
            buffer = io.BytesIO()
            single.save(buffer, deterministic_id=True)
            path = options.out_dir / name
            write_atomic(path, buffer.getvalue(), mode=PRIVATE_FILE)
            paths.append(path)
    del run
    gc.collect()  # workers live across chunks: free this one's layout first
    return paths, failures


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
