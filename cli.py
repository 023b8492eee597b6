"""The `aidpress` command. It parses arguments and calls the pipeline, nothing more.

Heavy imports (PyYAML, ReportLab) happen inside the commands, so `aidpress --help`
answers at once.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
@click.version_option(package_name="aidpress")
def main() -> None:
    """Turn YAML patient decision aids into printable PDF handouts."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder the PDFs are written to.")
@click.option("--clinic", "clinic_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Clinic profile printed on every page [default: clinic.yaml if present].")
@click.option("--paper", type=click.Choice(["a4", "letter"]), help="Paper size [default: the clinic profile's].")
@click.option("--large-print", is_flag=True, help="Body text at 18 pt for low-vision readers.")
def build(paths: tuple[Path, ...], out_dir: Path, clinic_path: Path | None, paper: str | None, large_print: bool) -> None:
    """Build handouts from aid files or folders (default: aids/)."""
    from aidpress.errors import AidpressError
    from aidpress.pipeline import DEFAULT_CLINIC, Built, Options
    from aidpress.pipeline import build as run_build

    if clinic_path is None and DEFAULT_CLINIC.is_file():
        clinic_path = DEFAULT_CLINIC
    options = Options(out_dir=out_dir, paper=paper, large_print=large_print)
    try:
        results = run_build(paths or (Path("aids"),), clinic_path, options, report=_report)
    except AidpressError as exc:  # the clinic profile itself is wrong: nothing can be built
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1)
    failed = [r for r in results if not isinstance(r, Built)]
    if not results:
        click.echo("no aid files found", err=True)
        raise SystemExit(1)
    if failed:
        click.echo(f"{len(failed)} of {len(results)} aids failed: "
                   + ", ".join(str(r.source) for r in failed), err=True)
        raise SystemExit(1)


def _report(result) -> None:
    from aidpress.pipeline import Built

    if isinstance(result, Built):
        click.echo(f"{result.output}  {result.pages} page{'s' if result.pages != 1 else ''}  "
                   f"{result.size / 1024:.0f} KiB")
    else:
        click.echo(str(result.error), err=True)


if __name__ == "__main__":
    main()
