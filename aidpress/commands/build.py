"""The whole pipeline for a set of aids: load → validate → render → write.

`build` keeps going past a bad aid, so one typo does not stop the other handouts;
it returns one result per aid for the caller (the CLI) to report. It skips an aid
whose inputs (its YAML, the clinic profile, the options and aidpress itself) are
unchanged since the PDF it last wrote, which is still there: see manifest.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..errors import AidpressError, InvalidAid, Problem, RenderError
from .manifest import Manifest, inputs_key
from ..model import Aid, Clinic, Pack
from ..validate import load_aid, load_clinic, pack_members
from ..write import write_atomic

AID_SUFFIXES = (".yaml", ".yml")


def default_sources() -> list[Path]:
    """What `build`, `check` and `watch` read when given no paths: aids/, and packs/ if any."""
    if not Path("aids").is_dir():
        raise AidpressError("error: no aids/ folder here: run aidpress in your project folder, "
                            "or name the aid files or folders to use")
    return [Path("aids")] + ([Path("packs")] if Path("packs").is_dir() else [])


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path = Path("output")
    paper: str | None = None  # None: the clinic profile's paper
    large_print: bool = False


@dataclass(frozen=True)
class Built:
    source: Path
    output: Path
    pages: int
    size: int


@dataclass(frozen=True)
class Skipped:
    source: Path
    output: Path


@dataclass(frozen=True)
class Failed:
    source: Path
    error: AidpressError


def find_aids(paths: Iterable[Path]) -> list[Path]:
    """Aid files named, or found in the folders named (not recursing), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in AID_SUFFIXES and not p.name.startswith("."))
        else:
            found.append(path)
    return found


def output_path(aid: Aid, options: BuildOptions) -> Path:
    suffix = "-large-print" if options.large_print else ""
    return options.out_dir / f"{aid.id}{suffix}.pdf"


def render_aid(aid: Aid, clinic: Clinic, options: BuildOptions):
    """Render in memory; layout failures become a RenderError naming the aid's file."""
    from layouts import render  # ReportLab loads only when something is drawn
    from reportlab.platypus.doctemplate import LayoutError

    try:
        if isinstance(aid, Pack):
            from layouts.pack import render_pack

            members = [load_aid(path) for path in pack_members(aid)]
            if any(isinstance(m, Pack) for m in members):
                raise RenderError(f"{aid.where}: error: aids: a pack cannot contain another pack")
            return render_pack(aid, members, clinic, paper=options.paper, large_print=options.large_print)
        return render(aid, clinic, paper=options.paper, large_print=options.large_print)
    except LayoutError as exc:
        raise RenderError(f"{aid.where}: cannot lay out this aid: {str(exc).splitlines()[0]}") from exc


def build_one(path: Path, aid: Aid, clinic: Clinic, options: BuildOptions, claimed: dict[Path, Path]) -> Built:
    """Build one validated aid. `claimed` (output file → source) stops two aids sharing an id."""
    target = output_path(aid, options)
    if target in claimed:
        raise InvalidAid([Problem(aid.where, ("id",), f"id '{aid.id}' is already used by {claimed[target]}",
                                  "give each aid its own id")])
    claimed[target] = path
    rendered = render_aid(aid, clinic, options)
    write_atomic(target, rendered.pdf)
    return Built(path, target, rendered.pages, len(rendered.pdf))


def inputs_of(path: Path, aid: Aid) -> list[Path]:
    """The files an output depends on: the aid, and for a pack every aid in it."""
    return [path] + (pack_members(aid) if isinstance(aid, Pack) else [])


Result = Built | Skipped | Failed


def build(paths: Iterable[Path], clinic_path: Path | None, options: BuildOptions, *, force: bool = False,
          report: Callable[[Result], None] = lambda r: None) -> list[Result]:
    """Build every aid it can; a failure is reported and the rest carry on."""
    clinic = load_clinic(clinic_path)
    manifest = Manifest.open(options.out_dir)
    common = inputs_key(clinic_path, options)
    results: list[Result] = []
    claimed: dict[Path, Path] = {}  # output file → the aid that wrote it
    for path in find_aids(paths):
        try:
            aid = load_aid(path)  # always validated: a broken file is reported, never skipped
            key = manifest.key(inputs_of(path, aid), common)
            output = None if force else manifest.unchanged(path, key)
            if output is not None and output not in claimed:
                claimed[output] = path
                result = Skipped(path, output)
            else:
                result = build_one(path, aid, clinic, options, claimed)
                manifest.record(path, key, result.output)
        except AidpressError as exc:
            result = Failed(path, exc)
        except OSError as exc:
            result = Failed(path, AidpressError(f"{path}: error: {exc.strerror}: {exc.filename}"))
        results.append(result)
        report(result)
    manifest.save()
    return results
