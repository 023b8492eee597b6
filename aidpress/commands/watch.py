"""`aidpress watch`: rebuild what changed, as soon as it changes, and say what it did.

Polls modification times (no extra dependency, works on every file system, including
network shares where change notifications are unreliable). Each change runs an
incremental build, so only aids whose inputs changed are rebuilt; a broken YAML is
reported and its last good PDF stays in place. When a broken aid builds again, that is
said too ("fixed"), so the last line on screen is never a stale error. A deleted aid's
PDF is removed from the output folder, and a clinic profile that appears or goes away
is noticed. `command` is the whole of `aidpress watch`: one timestamped line for each
thing it did, until Ctrl-C (exit status 130, the shell's convention for it).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..deferred import start_up_done
from ..errors import InvalidAid, Problem, count
from .build import Built, Failed, Notice, Result, Skipped, build
from .manifest import Manifest
from ..model import Clinic
from ..validate import load_from_file
from .preflight import BuildOptions, find_aids
from .project import Console, example_warning, find_project, sources_here


@dataclass(frozen=True)
class Fixed:
    """An aid that failed before and now builds: the error on screen is over."""

    result: Result


@dataclass(frozen=True)
class Removed:
    """An aid file was deleted; the PDFs built from it were removed with it."""

    source: Path
    outputs: tuple[Path, ...]


@dataclass(frozen=True)
class ClinicChanged:
    """The clinic profile appeared or went away (None)."""

    path: Path | None


@dataclass(frozen=True)
class ClinicBroken:
    """The clinic profile stopped loading: nothing is rebuilt until it is fixed."""

    problems: tuple[Problem, ...]


Event = Result | Fixed | Removed | ClinicChanged | ClinicBroken


def snapshot(paths: Iterable[Path], clinic_path: Path | None) -> dict[Path, tuple[int, int]]:
    files = find_aids(paths) + ([clinic_path] if clinic_path else [])
    state = {}
    for file in files:
        try:
            st = file.stat()
            state[file] = (st.st_mtime_ns, st.st_size)
        except OSError:
            pass  # removed between listing and looking: the next round sees it gone
    return state


def watch(paths: list[Path], clinic_path: Path | None, options: BuildOptions, *,
          report: Callable[[Event], None], interval: float = 0.5, keep_going: Callable[[], bool] = lambda: True,
          find_clinic: Callable[[], Path | None] | None = None) -> None:
    """Build, then rebuild on every change until keep_going() is false.

    find_clinic, when given, is asked each round where the clinic profile is, so one
    created (or deleted) while watching is used from then on; else clinic_path is fixed."""
    seen: dict | None = None
    failing: set[Path] = set()
    start_up_done()  # a long run collects garbage even if nothing ever renders
    while keep_going():
        clinic = find_clinic() if find_clinic else clinic_path
        if clinic != clinic_path:
            clinic_path = clinic
            report(ClinicChanged(clinic))
        now = snapshot(paths, clinic_path)
        if now != seen:
            if seen is not None:
                for gone in sorted(set(seen) - set(now) - {clinic_path}):
                    if gone.suffix in (".yaml", ".yml"):
                        report(Removed(gone, tuple(Manifest.open(options.out_dir).forget(gone))))
                        failing.discard(gone)
            seen = now
            rebuild(paths, clinic_path, options, report, failing)
        time.sleep(interval)


def rebuild(paths, clinic_path, options, report, failing: set[Path]) -> None:
    try:
        profile = load_from_file(clinic_path, Clinic)
    except InvalidAid as exc:  # the clinic profile is broken: say so, wait for a fix
        report(ClinicBroken(tuple(exc.problems)))
        return
    for placeholder in example_warning(profile):  # every build says so, a rebuild too
        report(Notice(placeholder))

    def tell(result: Result) -> None:
        source = getattr(result, "source", None)
        if isinstance(result, Failed):
            failing.add(source)
        elif source in failing:
            failing.discard(source)
            report(Fixed(result))
            return
        report(result)

    build(paths, profile, options, report=tell)


def command(paths: tuple[Path, ...], *, out_dir: Path | None, clinic_path: Path | None, paper: str | None,
            large_print: bool, interval: float, console: Console) -> int:
    """`aidpress watch`: build, then rebuild on every change until Ctrl-C; the exit status."""
    project = find_project()
    sources = list(paths) or sources_here(project)
    options = BuildOptions(out_dir or (project.output if project else Path("output")), paper, large_print)
    find_clinic = None if clinic_path else (lambda: project.clinic if project else None)
    say = timestamped(console)
    say(f"watching {', '.join(map(str, sources))} (Ctrl-C to stop)")
    try:
        watch(sources, clinic_path if clinic_path is not None else (project.clinic if project else None), options,
              report=lambda event: tell(event, say), interval=interval, find_clinic=find_clinic)
    except KeyboardInterrupt:
        say("stopped")
        return 130  # the shell's convention for "ended by Ctrl-C"
    return 0


def timestamped(console: Console) -> Callable[[str], None]:
    return lambda text: console.err(f"{time.strftime('%H:%M:%S')} {text}")


def tell(event: Event, say: Callable[[str], None]) -> None:
    """One timestamped line for each thing watch did (nothing for an aid left as it was)."""
    if isinstance(event, Skipped):
        return
    if isinstance(event, Fixed):
        say("fixed: " + describe(event.result))
    elif isinstance(event, Removed):
        say(f"{event.source} was deleted: removed {', '.join(map(str, event.outputs)) or 'nothing to remove'}")
    elif isinstance(event, ClinicChanged):
        say(f"clinic profile {event.path} found: rebuilding" if event.path
            else "clinic profile gone: rebuilding with blank clinic lines")
    elif isinstance(event, (ClinicBroken, Failed)):
        for problem in event.problems:
            say(str(problem))
    elif isinstance(event, Notice):
        say(str(event.problem))
    else:
        for problem in event.warnings:
            say(str(problem))
        say(describe(event))


def describe(result: Result) -> str:
    if isinstance(result, Built):
        return f"rebuilt {result.output}  {count(result.pages, 'page')}"
    if isinstance(result, Skipped):
        return f"{result.output} is up to date"
    return str(result)


__all__ = ["command", "watch", "Fixed", "Removed", "ClinicChanged", "ClinicBroken", "Built", "Failed", "Notice", "Skipped"]
