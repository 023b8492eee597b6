"""The `aidpress` command. It parses arguments and calls the pipeline, nothing more.

Heavy imports (PyYAML, ReportLab) happen inside the commands, so `aidpress --help`
answers at once.
"""

from __future__ import annotations

from pathlib import Path

import click

from aidpress.errors import AidpressError  # light: no YAML, no ReportLab

DEFAULT_CLINIC = Path("clinic.yaml")


def _clinic_or_default(ctx, param, value: Path | None) -> Path | None:
    return value if value is not None or not DEFAULT_CLINIC.is_file() else DEFAULT_CLINIC


clinic_option = click.option(
    "--clinic", "clinic_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    callback=_clinic_or_default, help="Clinic profile printed on every page [default: clinic.yaml if present].")
paper_option = click.option("--paper", type=click.Choice(["a4", "letter"]),
                            help="Paper size [default: the clinic profile's].")
large_print_option = click.option("--large-print", is_flag=True, help="Body text at 18 pt for low-vision readers.")


class Group(click.Group):
    """Reports any aidpress error (bad YAML, a clinic profile that will not load, …) as
    its message and exit status 1: the one place errors meet the terminal."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AidpressError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(1)


@click.group(cls=Group)
@click.version_option(package_name="aidpress")
def main() -> None:
    """Turn YAML patient decision aids into printable PDF handouts."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder the PDFs are written to.")
@clinic_option
@paper_option
@large_print_option
@click.option("--force", is_flag=True, help="Rebuild every aid, even those whose inputs are unchanged.")
def build(paths: tuple[Path, ...], out_dir: Path, clinic_path: Path | None, paper: str | None, large_print: bool,
          force: bool) -> None:
    """Build handouts from aid files or folders (default: aids/)."""
    from aidpress.commands.build import Failed, BuildOptions, default_sources
    from aidpress.commands.build import build as run_build

    options = BuildOptions(out_dir=out_dir, paper=paper, large_print=large_print)
    results = run_build(paths or default_sources(), clinic_path, options, force=force, report=_report)
    failed = [r for r in results if isinstance(r, Failed)]
    if not results:
        click.echo("no aid files found", err=True)
        raise SystemExit(1)
    if failed:
        click.echo(f"{len(failed)} of {len(results)} aids failed: "
                   + ", ".join(str(r.source) for r in failed), err=True)
        raise SystemExit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@clinic_option
@paper_option
@large_print_option
@click.option("--interval", default=0.5, show_default=True, help="Seconds between looks for changes.")
def watch(paths: tuple[Path, ...], out_dir: Path, clinic_path: Path | None, paper: str | None,
          large_print: bool, interval: float) -> None:
    """Rebuild aids whenever their YAML or the clinic profile changes (Ctrl-C stops)."""
    from aidpress.commands.build import BuildOptions, default_sources
    from aidpress.commands.watch import watch as run_watch

    sources = list(paths) or default_sources()
    click.echo(f"watching {', '.join(map(str, sources))} (Ctrl-C to stop)", err=True)
    try:
        run_watch(sources, clinic_path, BuildOptions(out_dir, paper, large_print),
                  report=_report_changes, failed=lambda exc: click.echo(str(exc), err=True), interval=interval)
    except KeyboardInterrupt:
        pass


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@clinic_option
def check(paths: tuple[Path, ...], clinic_path: Path | None) -> None:
    """Validate aids without writing anything: every error and warning, one per line."""
    from aidpress.commands.check import check as run_check
    from aidpress.commands.build import default_sources, find_aids
    from aidpress.validate import load_clinic

    clinic = load_clinic(clinic_path)
    reports = run_check(find_aids(paths or default_sources()), clinic)
    for report in reports:
        for line in [*report.errors, *report.warnings]:
            click.echo(str(line))
        if report.grade is not None:
            sentence, grade = report.hardest
            click.echo(f"{report.path}: note: reading grade {report.grade:.1f} (target {clinic.reading_grade}); "
                       f"hardest sentence ({grade:.0f}): “{sentence}”")
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    click.echo(f"{len(reports)} files checked: {errors} error{'s' if errors != 1 else ''}, "
               f"{warnings} warning{'s' if warnings != 1 else ''}")
    if errors:
        raise SystemExit(1)


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
@click.option("--out", "out_dir", default="patients", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Private folder for patient sheets.")
@clinic_option
@paper_option
@large_print_option
def aftercare(aid: Path, fields: tuple[str, ...], roster: Path | None, merge: bool, duplex: bool,
              id_column: str | None, target: Path | None, out_dir: Path, clinic_path: Path | None, paper: str | None,
              large_print: bool) -> None:
    """Fill a checklist's patient fields: one sheet, or one per roster row."""
    from aidpress.commands.sheets import SheetOptions, build_roster, load_checklist, one_sheet
    from aidpress.validate import load_clinic

    if roster and fields:
        raise click.UsageError("give either --field values or --roster, not both")
    if (merge or duplex) and not roster:
        raise click.UsageError("--merge and --duplex go with --roster")
    options = SheetOptions(out_dir=out_dir, paper=paper, large_print=large_print, duplex=duplex)
    clinic = load_clinic(clinic_path)
    checklist = load_checklist(aid)
    if not roster:
        path = target or out_dir / f"{checklist.id}.pdf"
        for warning in one_sheet(checklist, clinic, fields, path, options):
            click.echo(str(warning), err=True)
        click.echo(str(path))
        return
    with _progress() as advance:
        result = build_roster(aid, roster, clinic, options, merge=merge, target=target, id_column=id_column,
                              progress=advance)
    for problem in result.warnings + result.failures:
        click.echo(str(problem), err=True)
    where = result.written[0] if merge and result.written else out_dir
    skipped = result.skipped
    click.echo(f"{result.sheets} sheet{'s' if result.sheets != 1 else ''} written to {where}"
               + (f"; {skipped} row{'s' if skipped != 1 else ''} skipped" if skipped else ""))
    if result.failures:
        raise SystemExit(1)


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


def _report_changes(result) -> None:
    from aidpress.commands.build import Skipped

    if not isinstance(result, Skipped):
        _report(result)


def _report(result) -> None:
    from aidpress.commands.build import Built, Skipped

    if isinstance(result, Built):
        click.echo(f"{result.output}  {result.pages} page{'s' if result.pages != 1 else ''}  "
                   f"{result.size / 1024:.0f} KiB")
    elif isinstance(result, Skipped):
        click.echo(f"{result.output}  unchanged, skipped")
    else:
        click.echo(str(result.error), err=True)


if __name__ == "__main__":
    main()
