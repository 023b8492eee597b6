"""The aidpress command: builds, reports one line per PDF, exits non-zero on failure."""

from __future__ import annotations

import re
import subprocess
import sys

from click.testing import CliRunner

from cli import main

from .conftest import AIDS, ROOT


def test_build_writes_one_pdf_per_aid_and_reports_pages_and_size(tmp_path):
    result = CliRunner().invoke(main, ["build", str(ROOT / "aids"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(AIDS)
    for line, aid in zip(lines, AIDS):
        assert re.fullmatch(rf"{re.escape(str(tmp_path))}/{aid.stem}\.pdf  \d+ pages?  \d+ KiB", line), line
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(f"{a.stem}.pdf" for a in AIDS)


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert CliRunner().invoke(main, ["build", str(ROOT / "aids"), "--out", str(out)]).exit_code == 0
    pdfs = sorted(first.glob("*.pdf"))
    assert len(pdfs) == len(AIDS)
    for pdf in pdfs:
        assert pdf.read_bytes() == (second / pdf.name).read_bytes(), pdf.name


def test_large_print_and_letter_paper_build_alongside(tmp_path):
    """Each variant has its own file name: building one never overwrites another."""
    args = ["build", str(AIDS[0]), "--out", str(tmp_path), "--clinic", str(ROOT / "clinic.yaml")]
    for extra in ([], ["--paper", "letter"], ["--large-print"], ["--large-print", "--paper", "LETTER"]):
        assert CliRunner().invoke(main, args + extra).exit_code == 0
    stem = AIDS[0].stem  # the repository's clinic.yaml prints on A4
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(
        [f"{stem}.pdf", f"{stem}-letter.pdf", f"{stem}-large-print.pdf", f"{stem}-letter-large-print.pdf"])


def test_clinic_profile_errors_stop_the_build_with_a_location(tmp_path):
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text("name: X\naccent: red\n")
    result = CliRunner().invoke(main, ["build", str(AIDS[0]), "--out", str(tmp_path / "o"), "--clinic", str(clinic)])
    assert result.exit_code == 1
    assert f"{clinic}:2:9: error: accent: expected a colour like #1F5F8B, got 'red'" in result.stderr
    assert not (tmp_path / "o").exists()


def test_help_does_not_import_reportlab_or_yaml():
    code = "import sys, cli; cli.main(['--help'], standalone_mode=False); print(sorted(m for m in sys.modules if m.startswith(('reportlab', 'yaml'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip().endswith("[]")


def test_outside_a_project_every_command_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (["build"], ["check"], ["watch"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1
        assert result.stderr.strip() == ("error: not inside an aidpress project (no clinic.yaml or aids/ folder "
                                         "here or above) (run 'aidpress init' to start one, or name the aid files "
                                         "to use)")


def test_a_command_s_policy_is_in_its_module_not_in_the_cli(tmp_path, monkeypatch):
    """build's exit policy, called without click: a clean aid with no clinic profile builds
    (status 0, the no-profile warning said), and with strict that one warning fails it (1)."""
    from aidpress.commands import build
    from aidpress.commands.project import Console

    monkeypatch.chdir(tmp_path)
    aid = tmp_path / "care.yaml"
    aid.write_text("kind: checklist\ntitle: Fine\nupdated: 2026-11-01\nreview_by: 2099-01-01\n"
                   "sources: [A source.]\nsections:\n  - heading: H\n    items: [Drink plenty of water.]\n")
    for strict, status in ((False, 0), (True, 1)):
        out, err = [], []
        done = build.command((aid,), out_dir=tmp_path / "out", clinic_path=None, paper=None, large_print=False,
                             force=True, strict=strict, console=Console(out.append, err.append))
        assert done == status
        assert [line.split("  ")[0] for line in out] == [str(tmp_path / "out" / "care.pdf")]
        assert err[0].startswith("clinic.yaml: warning: no clinic profile")
        assert err[1:] == (["1 warning (--strict: failing)"] if strict else [])
