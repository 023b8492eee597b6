"""The `aidpress` command. It parses arguments and calls the commands layer, nothing more.

Heavy imports (PyYAML, ReportLab) happen inside the commands, so `aidpress --help`
answers at once. Every message goes through one formatter (aidpress.errors.Problem).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from aidpress import __version__
from aidpress.errors import AidpressError, count  # light: no YAML, no ReportLab

PAPERS = ["a4", "letter"]


def _project():
    from aidpress.commands.project import find_project

    return find_project()


def _clinic_path(given: Path | None, project) -> Path | None:
    """--clinic if given, else the project's clinic.yaml, found from any folder inside it."""
    return given if given is not None else (project.clinic if project else None)


clinic_option = click.option(
    "--clinic", "clinic_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Clinic profile printed on every page [default: the project's clinic.yaml].")
paper_option = click.option("--paper", type=click.Choice(PAPERS, case_sensitive=False),
                            help="Paper size [default: the clinic profile's].")
large_print_option = click.option("--large-print", is_flag=True, help="Body text at 18 pt for low-vision readers.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit status 1), for CI.")


class Group(click.Group):
    """Reports any aidpress error (bad YAML, a clinic profile that will not load, …) as
    its message and exit status 1: the one place errors meet the terminal."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AidpressError as exc:
            for line in _lines(exc):
                click.echo(line, err=True)
            ctx.exit(1)


def _lines(exc: AidpressError) -> list[str]:
    from aidpress.errors import Refusal

    return [str(p) for p in exc.problems] if isinstance(exc, Refusal) else [str(exc)]


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="aidpress")  # no package-metadata lookup
def main() -> None:
    """Turn YAML patient decision aids into printable PDF handouts."""


def _profile(clinic_path: Path | None, project):
    """The clinic profile, and the warning to give when there is none."""
    from aidpress.commands.preflight import load_profile
    from aidpress.commands.project import no_clinic_warning

    path = _clinic_path(clinic_path, project)
    return load_profile(path), ([] if path else [no_clinic_warning(project)])


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder the PDFs are written to [default: the project's output/].")
@clinic_option
@paper_option
@large_print_option
@click.option("--force", is_flag=True, help="Rebuild every aid, even those whose inputs are unchanged.")
@strict_option
def build(paths: tuple[Path, ...], out_dir: Path | None, clinic_path: Path | None, paper: str | None,
          large_print: bool, force: bool, strict: bool) -> None:
    """Build handouts from aid files or folders (default: the project's aids/ and packs/)."""
    from aidpress.commands.build import BuildOptions, Failed, build as run_build
    from aidpress.commands.project import sources_here

    project = _project()
    sources = paths or sources_here(project)
    profile, notes = _profile(clinic_path, project)
    for note in notes:
        click.echo(str(note), err=True)
    out_dir = out_dir or (project.output if project else Path("output"))
    options = BuildOptions(out_dir=out_dir, paper=paper, large_print=large_print)
    results = run_build(sources, profile, options, force=force, report=_report)
    failed = [r for r in results if isinstance(r, Failed)]
    warned = len(notes) + sum(len(r.warnings) for r in results)
    if not results:
        from aidpress.errors import failure

        raise failure("no aid files found", "aid files end in .yaml or .yml")
    if failed:
        click.echo(f"{len(failed)} of {len(results)} aids failed: "
                   + ", ".join(str(r.source) for r in failed), err=True)
        raise SystemExit(1)
    if strict and warned:
        click.echo(f"{count(warned, 'warning')} (--strict: failing)", err=True)
        raise SystemExit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder the PDFs are written to [default: the project's output/].")
@clinic_option
@paper_option
@large_print_option
@click.option("--interval", default=0.5, show_default=True, help="Seconds between looks for changes.")
def watch(paths: tuple[Path, ...], out_dir: Path | None, clinic_path: Path | None, paper: str | None,
          large_print: bool, interval: float) -> None:
    """Rebuild aids whenever their YAML or the clinic profile changes (Ctrl-C stops)."""
    from aidpress.commands.preflight import BuildOptions
    from aidpress.commands.project import sources_here
    from aidpress.commands.watch import watch as run_watch

    project = _project()
    sources = list(paths) or sources_here(project)
    options = BuildOptions(out_dir or (project.output if project else Path("output")), paper, large_print)
    find_clinic = None if clinic_path else (lambda: project.clinic if project else None)
    _say(f"watching {', '.join(map(str, sources))} (Ctrl-C to stop)")
    try:
        run_watch(sources, _clinic_path(clinic_path, project), options, report=_report_event,
                  interval=interval, find_clinic=find_clinic)
    except KeyboardInterrupt:
        _say("stopped")
        sys.exit(130)  # the shell's convention for "ended by Ctrl-C"


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@clinic_option
@paper_option
@large_print_option
@click.option("--format", "style", type=click.Choice(["text", "json", "github"], case_sensitive=False),
              default="text", show_default=True,
              help="text for people; json for tools; github for GitHub Actions annotations.")
@click.option("--pages", is_flag=True,
              help="Also audit each handout page by page: how full, the smallest type, and anything a "
                   "clinic would not print (a page of only an address, a split question, overlapping text).")
@strict_option
def check(paths: tuple[Path, ...], clinic_path: Path | None, paper: str | None, large_print: bool, style: str,
          pages: bool, strict: bool) -> None:
    """Check aids exactly as build would, writing nothing: every error and warning, one per line."""
    from aidpress.commands.check import check as run_check
    from aidpress.commands.check import render_reports
    from aidpress.commands.preflight import BuildOptions
    from aidpress.commands.project import sources_here

    project = _project()
    sources = paths or sources_here(project)
    profile, notes = _profile(clinic_path, project)
    options = BuildOptions(paper=paper, large_print=large_print)
    reports = run_check(sources, profile, options, pages=pages)
    errors, warnings, text = render_reports(reports, notes, profile.clinic, style)
    click.echo(text, nl=False)
    if errors or (strict and warnings):
        raise SystemExit(1)


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Start a project in DIRECTORY (default: here): a clinic profile and example aids."""
    from aidpress.commands.init import init as run_init

    written = run_init(directory)
    click.echo(f"created {len(written)} files in {directory}: clinic.yaml, aids/, packs/, docs/")
    where = "" if directory == Path(".") else f"cd {directory} && "
    click.echo(f"next: fill in clinic.yaml, then {where}aidpress build")


@main.command()
@click.option("-o", "--output", "target", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema here instead of to standard output.")
@click.option("--clinic", "for_clinic", is_flag=True, help="The clinic profile's schema instead of the aids'.")
def schema(target: Path | None, for_clinic: bool) -> None:
    """Print the JSON Schema of the aid format, for editors' YAML language servers."""
    import json

    from aidpress.jsonschema import aid_schema, clinic_schema
    from aidpress.write import write_atomic

    text = json.dumps(clinic_schema() if for_clinic else aid_schema(), indent=2, ensure_ascii=False) + "\n"
    if target:
        write_atomic(target, text.encode())
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("aid", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--field", "fields", multiple=True, metavar="NAME=VALUE",
              help="A patient detail, e.g. --field date=2026-11-23 (repeat for each field).")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with one patient per row; its header names the fields.")
@click.option("--merge", is_flag=True, help="With --roster: one print-ready PDF, each sheet on new pages.")
@click.option("--duplex", is_flag=True, help="With --merge: start every sheet on a front side (odd page).")
@click.option("--id-column", default=None,
              help="With --roster: the column file names are made from [default: id, else row numbers] "
                   "(choose a name column only if you mean to).")
@click.option("-o", "--output", "target", type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF to write (one sheet, or --merge).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Private folder for patient sheets [default: the project's patients/].")
@clinic_option
@paper_option
@large_print_option
def aftercare(aid: Path, fields: tuple[str, ...], roster: Path | None, merge: bool, duplex: bool,
              id_column: str | None, target: Path | None, out_dir: Path | None, clinic_path: Path | None,
              paper: str | None, large_print: bool) -> None:
    """Fill a checklist's patient fields: one sheet, or one per roster row."""
    from aidpress.commands.sheets import AftercareRequest, SheetOptions, aftercare as run_aftercare

    if roster and fields:
        raise click.UsageError("give either --field values or --roster, not both")
    if (merge or duplex) and not roster:
        raise click.UsageError("--merge and --duplex go with --roster")
    project = _project()
    options = SheetOptions(out_dir=out_dir or (project.patients if project else Path("patients")), paper=paper,
                           large_print=large_print, duplex=duplex)
    request = AftercareRequest(aid, _clinic_path(clinic_path, project), fields, roster, merge, id_column, target,
                               options)
    with _progress() as advance:
        outcome = run_aftercare(request, progress=advance)
    for problem in outcome.messages:
        click.echo(str(problem), err=True)
    click.echo(outcome.summary)
    raise SystemExit(outcome.status)


class _progress:
    """A progress bar on a terminal; silence when output goes to a file or a pipe."""

    def __enter__(self):
        import sys

        self.bar = None
        if sys.stderr.isatty():
            self.bar = click.progressbar(length=1, label="sheets", file=sys.stderr)
            self.bar.__enter__()
        return self.advance

    def advance(self, n: int, total: int) -> None:
        if self.bar is not None:
            self.bar.length = total
            self.bar.update(n)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False


def _say(text: str) -> None:
    import time

    click.echo(f"{time.strftime('%H:%M:%S')} {text}", err=True)


def _report_event(event) -> None:
    """watch: one timestamped line for each thing it did."""
    from aidpress.commands import watch as w

    if isinstance(event, w.Skipped):
        return
    if isinstance(event, w.Fixed):
        _say("fixed: " + _describe(event.result))
    elif isinstance(event, w.Removed):
        gone = ", ".join(map(str, event.outputs)) or "nothing to remove"
        _say(f"{event.source} was deleted: removed {gone}")
    elif isinstance(event, w.ClinicChanged):
        _say(f"clinic profile {event.path} found: rebuilding" if event.path
             else "clinic profile gone: rebuilding with blank clinic lines")
    elif isinstance(event, w.ClinicBroken):
        for problem in event.problems:
            _say(str(problem))
    elif isinstance(event, w.Failed):
        for problem in event.problems:
            _say(str(problem))
    elif isinstance(event, w.Notice):
        _say(str(event.problem))
    else:
        for problem in getattr(event, "warnings", ()):
            _say(str(problem))
        _say(_describe(event))


def _describe(result) -> str:
    from aidpress.commands.build import Built, Skipped

    if isinstance(result, Built):
        return f"rebuilt {result.output}  {count(result.pages, 'page')}"
    if isinstance(result, Skipped):
        return f"{result.output} is up to date"
    return str(result)


def _report(result) -> None:
    from aidpress.commands.build import Built, Notice, Skipped

    if isinstance(result, Notice):
        click.echo(str(result.problem), err=True)
        return
    for problem in getattr(result, "problems", ()):
        click.echo(str(problem), err=True)
    for problem in result.warnings:
        click.echo(str(problem), err=True)
    if isinstance(result, Built):
        click.echo(f"{result.output}  {count(result.pages, 'page')}  "
                   f"{result.size / 1024:.0f} KiB")
    elif isinstance(result, Skipped):
        click.echo(f"{result.output}  unchanged, skipped")


def run(prog_name: str | None = None) -> None:
    """The `aidpress` console script: main(), with no garbage collection during start-up,
    then an immediate exit.

    After a build there is nothing left for Python's shutdown to do but take every module
    and object apart one by one (about 5% of a cold one-handout build, docs/performance.md):
    PDFs are written and closed by then, worker pools joined. So the exit handlers run,
    output is flushed and the process ends with main's status. Anything unusual (a thread
    still running) gets the normal shutdown; an unexpected exception, its traceback."""
    import atexit
    import gc
    import os
    import threading

    gc.disable()  # until start-up ends (aidpress/deferred.py: start_up_done)
    try:
        main(prog_name=prog_name)
        status = 0
    except SystemExit as done:
        status = done.code
    if not isinstance(status, int):  # sys.exit("message") or sys.exit(None)
        if status is not None:
            print(status, file=sys.stderr)
        status = 0 if status is None else 1
    if threading.active_count() > 1:
        sys.exit(status)
    atexit._run_exitfuncs()  # what shutdown would run: pools' and temporary files' clean-up
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`aidpress check | head`)
            status = status or 1
    os._exit(status)


if __name__ == "__main__":
    run()
