"""The `aidpress` command. It parses arguments and calls the commands layer, nothing more.

Heavy imports (PyYAML, ReportLab) happen inside the commands, so `aidpress --help`
answers at once. Every message goes through one formatter (aidpress.errors.Problem).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from aidpress import __version__
from aidpress.errors import AidpressError  # light: no YAML, no ReportLab

PAPERS = ["a4", "letter"]


clinic_option = click.option(
    "--clinic", "clinic_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Clinic profile printed on every page [default: the project's clinic.yaml].")
paper_option = click.option("--paper", type=click.Choice(PAPERS, case_sensitive=False),
                            help="Paper size [default: the clinic profile's].")
large_print_option = click.option("--large-print", is_flag=True, help="Body text at 18 pt for low-vision readers.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit status 1), for CI.")


def _console():
    """The commands' Console: their lines through click.echo (results on stdout, the rest on stderr)."""
    from aidpress.commands.project import Console

    return Console(out=click.echo, err=lambda line: click.echo(line, err=True))


def _exit_with(status: int) -> None:
    """A command's result is its exit status: 0 returns as click would, anything else exits with it."""
    if status:
        raise SystemExit(status)


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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder the PDFs are written to [default: the project's output/].")
@clinic_option
@paper_option
@large_print_option
@click.option("--duplex", is_flag=True,
              help="Packs for printing on both sides: each member starts on a right-hand page (<id>-duplex.pdf).")
@click.option("--force", is_flag=True, help="Rebuild every aid, even those whose inputs are unchanged.")
@strict_option
def build(paths: tuple[Path, ...], out_dir: Path | None, clinic_path: Path | None, paper: str | None,
          large_print: bool, duplex: bool, force: bool, strict: bool) -> None:
    """Build handouts from aid files or folders (default: the project's aids/ and packs/)."""
    from aidpress.commands import build as command

    _exit_with(command.command(paths, out_dir=out_dir, clinic_path=clinic_path, paper=paper, large_print=large_print,
                               duplex=duplex, force=force, strict=strict, console=_console()))


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
    from aidpress.commands import watch as command

    _exit_with(command.command(paths, out_dir=out_dir, clinic_path=clinic_path, paper=paper, large_print=large_print,
                               interval=interval, console=_console()))


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
@click.option("-v", "--verbose", is_flag=True,
              help="Also note the reading grade (and hardest sentence) of aids under the clinic's target.")
def check(paths: tuple[Path, ...], clinic_path: Path | None, paper: str | None, large_print: bool, style: str,
          pages: bool, strict: bool, verbose: bool) -> None:
    """Check aids exactly as build would, writing nothing: every error and warning, one per line."""
    from aidpress.commands import check as command

    _exit_with(command.command(paths, clinic_path=clinic_path, paper=paper, large_print=large_print, style=style,
                               pages=pages, strict=strict, verbose=verbose, console=_console()))


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Start a project in DIRECTORY (default: here): a clinic profile and example aids."""
    from aidpress.commands import init as command

    _exit_with(command.command(directory, console=_console()))


@main.command()
@click.option("-o", "--output", "target", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema here instead of to standard output.")
@click.option("--clinic", "for_clinic", is_flag=True, help="The clinic profile's schema instead of the aids'.")
def schema(target: Path | None, for_clinic: bool) -> None:
    """Print the JSON Schema of the aid format, for editors' YAML language servers."""
    from aidpress.commands import schema as command

    _exit_with(command.command(target, for_clinic=for_clinic, console=_console()))


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
    from aidpress.commands import sheets as command

    _exit_with(command.command(aid, fields=fields, roster=roster, merge=merge, duplex=duplex, id_column=id_column,
                               target=target, out_dir=out_dir, clinic_path=clinic_path, paper=paper,
                               large_print=large_print, console=_console(), progress=_progress))


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


def run(prog_name: str | None = None) -> None:
    """The `aidpress` console script: main(), with no garbage collection during start-up
    (import after import it would walk the same long-lived modules; aidpress/deferred.py:
    start_up_done turns it back on before any real work), and output flushed before exit.

    Output to a pipe or a file is buffered: flushed here, a reader that has gone
    (`aidpress check | head`) is exit status 1 with no traceback, as the Python
    documentation advises for SIGPIPE (the rest goes to the null device)."""
    import gc
    import os

    gc.disable()  # until start-up ends (aidpress/deferred.py: start_up_done)
    try:
        main(prog_name=prog_name)
        status = 0
    except SystemExit as done:
        status = done.code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = status or 1
    sys.exit(status)


if __name__ == "__main__":
    run()
