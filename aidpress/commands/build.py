"""`aidpress build`: the preflight, then write what passed.

A failure in one aid does not stop the others; the caller gets one result per aid to
report. `command` is the whole of `aidpress build`: it reports each result on the
console and decides the exit status (1 if any aid failed, or with --strict any warning). An aid whose inputs (its YAML, the clinic profile, the options and
aidpress itself) are unchanged since the PDF it last wrote, which is still there, is
validated and checked but not laid out again: see manifest.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from ..errors import Problem, count, failure
from ..model import Pack
from ..validate import pack_members
from ..write import cannot_write, write_atomic
from .manifest import Manifest, inputs_key
from .preflight import BuildOptions, ClinicProfile, Planned, as_profile, find_aids, preflight
from .project import Console, clinic_profile, find_project, sources_here

__all__ = ["BuildOptions", "Built", "Skipped", "Failed", "Notice", "build", "command", "find_aids"]


@dataclass(frozen=True)
class Built:
    """A PDF written, with its page count and size, and the warnings its aid raised."""

    source: Path
    output: Path
    pages: int
    size: int
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A PDF left as it was: its inputs are unchanged since it was written."""

    source: Path
    output: Path
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Failed:
    """An aid that could not be built; its PDF, if there is one, is untouched."""

    source: Path
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Notice:
    """Something the whole build should say once (e.g. a damaged build record set aside)."""

    problem: Problem


Result = Built | Skipped | Failed


def inputs_of(item: Planned) -> list[Path]:
    """The files an output depends on: the aid, and for a pack every aid in it."""
    return [item.source] + (pack_members(item.aid) if isinstance(item.aid, Pack) else [])


def build(paths: Iterable[Path], profile: ClinicProfile | Path | None, options: BuildOptions, *, force: bool = False,
          report: Callable[[Result], None] = lambda r: None) -> list[Result]:
    """Build every aid that passes the preflight; report each result as it is known."""
    profile = as_profile(profile)
    manifest = Manifest.open(options.out_dir)
    common = inputs_key(profile.path, options)
    # --duplex changes only packs: any other aid keeps its key, so it is not laid out again
    simplex = inputs_key(profile.path, replace(options, duplex=False))
    keys: dict[Path, str] = {}
    if manifest.set_aside:
        report(Notice(manifest.set_aside))

    def needs_layout(item: Planned) -> bool:
        keys[item.source] = manifest.key(inputs_of(item), common if isinstance(item.aid, Pack) else simplex)
        return force or manifest.unchanged(item.output, keys[item.source]) is None

    results = []
    for item in preflight(paths, profile, options, render_if=needs_layout):
        result = finish(item, manifest, keys)
        results.append(result)
        report(result)
    try:
        manifest.save()
    except OSError as exc:  # the PDFs are written; without the record, the next build redoes them all
        unsaved = cannot_write(manifest.path, exc, "the build record")
        report(Notice(replace(unsaved, severity="warning", hint="the next build rebuilds every aid")))
    return results


def finish(item: Planned, manifest: Manifest, keys: dict[Path, str]) -> Result:
    warnings = tuple(item.warnings)
    if not item.ok:
        return Failed(item.source, tuple(item.errors), warnings)
    if item.pdf is None:
        return Skipped(item.source, item.output, warnings)
    try:
        write_atomic(item.output, item.pdf)
    except OSError as exc:
        return Failed(item.source, (cannot_write(item.output, exc, "the PDF"),), warnings)
    manifest.record(item.output, keys[item.source], item.source)
    return Built(item.source, item.output, item.pages, len(item.pdf), warnings)


def command(paths: tuple[Path, ...], *, out_dir: Path | None, clinic_path: Path | None, paper: str | None,
            large_print: bool, force: bool, strict: bool, console: Console, duplex: bool = False) -> int:
    """`aidpress build`: the project's aids (or those named), each result said as it is
    known; the exit status."""
    project = find_project()
    sources = paths or sources_here(project)
    profile, notes = clinic_profile(clinic_path, project)
    for note in notes:
        console.err(str(note))
    options = BuildOptions(out_dir or (project.output if project else Path("output")), paper, large_print, duplex)
    results = build(sources, profile, options, force=force, report=lambda result: say(result, console))
    if not results:
        raise failure("no aid files found", "aid files end in .yaml or .yml")
    return status(results, len(notes), strict, console)


def status(results: list[Result], notes: int, strict: bool, console: Console) -> int:
    """1 if an aid failed, or with `strict` if anything warned; else 0."""
    failed = [r for r in results if isinstance(r, Failed)]
    if failed:
        console.err(f"{len(failed)} of {len(results)} aids failed: " + ", ".join(str(r.source) for r in failed))
        return 1
    warned = notes + sum(len(r.warnings) for r in results)
    if strict and warned:
        console.err(f"{count(warned, 'warning')} (--strict: failing)")
        return 1
    return 0


def say(result: Result | Notice, console: Console) -> None:
    """One result: its problems and warnings, then the PDF written (or left as it was)."""
    if isinstance(result, Notice):
        console.err(str(result.problem))
        return
    for problem in (*getattr(result, "problems", ()), *result.warnings):
        console.err(str(problem))
    if isinstance(result, Built):
        console.out(f"{result.output}  {count(result.pages, 'page')}  {result.size / 1024:.0f} KiB")
    elif isinstance(result, Skipped):
        console.out(f"{result.output}  unchanged, skipped")
