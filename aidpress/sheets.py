"""Per-patient aftercare sheets: one from the command line, or one per roster row.

Patient data is private: sheets go to their own folder (not output/), readable only by
their owner (0600), written atomically; file names come from an id column, never from a
patient's name unless the clinic names that column; errors name rows and fields only.
"""

from __future__ import annotations

import io
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .errors import AidpressError
from .model import Checklist, Clinic
from .patient import InvalidPatient, Sheet, check_values, field_lookup
from .roster import RosterRow, read_roster
from .schema import suggest
from .validate import load_aid
from .write import write_atomic

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
CHUNK = 100  # sheets per print run when writing separate files: bounds memory


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
        raise InvalidPatient([f"field '{m.field}': too long to fit on its line" for m in run.misfits])
    private_dir(target.parent)
    write_atomic(target, run.pdf, mode=PRIVATE_FILE)
    return target


# ── a roster ────────────────────────────────────────────────────────────────────────


def roster_sheets(aid: Checklist, rows: list[RosterRow], header: list[str], skip_columns: set[str]):
    """Checked sheets and failures, one per row; plus warnings about unused columns."""
    lookup = field_lookup(aid)
    ignored = {h.lower() for h in skip_columns if h.lower() not in lookup}  # e.g. the id column
    unknown = [h for h in header if h and h.lower() not in lookup and h.lower() not in ignored]
    warnings = [f"column '{h}' is not a field of '{aid.id}' and is ignored "
                f"({suggest(h.lower(), [f.id for f in aid.fields])})" for h in unknown]
    sheets, failures = [], []
    drop = frozenset(h.lower() for h in unknown) | ignored
    for row in rows:
        try:
            sheets.append(check_values(aid, row.cells, row=row.number, ignore_unknown=drop))
        except InvalidPatient as exc:
            failures += [RowFailure(row.number, p) for p in exc.problems]
    return sheets, failures, warnings


def file_names(aid: Checklist, rows: list[RosterRow], name_column: str | None) -> dict[int, str]:
    """Row number → file name, from the id column (or the column the clinic chose)."""
    names, seen = {}, {}
    for row in rows:
        key = next((v for k, v in row.cells.items() if name_column and k.lower() == name_column.lower()), "")
        part = safe_file_part(key) or f"row{row.number:05d}"
        name = f"{aid.id}-{part}.pdf"
        if name in seen:
            name = f"{aid.id}-{part}-row{row.number:05d}.pdf"
        seen[name] = row.number
        names[row.number] = name
    return names


def build_roster(aid_path: Path, roster_path: Path, clinic: Clinic, options: SheetOptions, *,
                 merge: bool = False, target: Path | None = None, id_column: str = "id",
                 workers: int | None = None, progress: Callable[[int, int], None] = lambda n, total: None) -> RosterResult:
    from layouts.stamp import print_run

    aid = load_checklist(aid_path)
    header, rows = read_roster(roster_path)
    sheets, failures, warnings = roster_sheets(aid, rows, header, {id_column})
    private_dir(options.out_dir if target is None else target.parent)
    if merge:
        run = print_run(aid, clinic, sheets, paper=options.paper, large_print=options.large_print,
                        duplex=options.duplex)
        failures += [RowFailure(m.row, f"field '{m.field}': too long to fit on its line") for m in run.misfits]
        out = target or options.out_dir / f"{aid.id}-roster.pdf"
        write_atomic(out, run.pdf, mode=PRIVATE_FILE)
        progress(len(sheets), len(sheets))
        return RosterResult(run.sheets, [out], sorted(failures, key=_by_row), warnings)

    names = file_names(aid, rows, id_column)
    jobs = [(aid_path, clinic, options, [(s, names[s.row]) for s in sheets[i:i + CHUNK]])
            for i in range(0, len(sheets), CHUNK)]
    written: list[Path] = []
    workers = workers or min(os.cpu_count() or 1, 2, max(1, len(jobs)))
    with ProcessPoolExecutor(workers) if workers > 1 else _InProcess() as pool:
        for paths, misfits in pool.map(_write_chunk, jobs):
            written += paths
            failures += misfits
            progress(len(paths) + len(misfits), len(sheets))
    return RosterResult(len(written), written, sorted(failures, key=_by_row), warnings)


def _by_row(failure: RowFailure):
    return (failure.row or 0, failure.message)


def _write_chunk(job) -> tuple[list[Path], list[RowFailure]]:
    """One print run for a chunk of sheets, split into a file per sheet (runs in a worker)."""
    import pikepdf

    from layouts.stamp import print_run

    aid_path, clinic, options, named = job
    aid = load_checklist(aid_path)
    run = print_run(aid, clinic, (s for s, _ in named), paper=options.paper, large_print=options.large_print)
    misfit_rows = {m.row for m in run.misfits}
    failures = [RowFailure(m.row, f"field '{m.field}': too long to fit on its line") for m in run.misfits]
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
    return paths, failures


class _InProcess:
    """The executor interface without processes, for one worker (and for tests)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def map(self, fn, jobs):
        return map(fn, jobs)
