"""Working where clinics work: the project found from any folder, the CLI conventions
people expect, warnings that build shows as check does, a watch that says what it did."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

from .readback import read

ROOT = Path(__file__).resolve().parent.parent
CLINIC = "name: Riverside Physio\nphone: 020 7946 0321\n"
AID = """\
kind: checklist
title: After your visit
updated: 2026-11-01
review_by: 2099-01-01
sources: [Clinic notes (2026).]
sections:
  - heading: At home
    items: [Drink plenty of water.]
"""
TIME = r"\d\d:\d\d:\d\d "


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "aids").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "aids" / "care.yaml").write_text(AID)
    (tmp_path / "clinic.yaml").write_text(CLINIC)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# ── discovery ───────────────────────────────────────────────────────────────────────


def test_from_a_subfolder_the_project_s_clinic_and_output_are_used(project):
    os.chdir(project / "docs")
    result = invoke("build", "../aids/care.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("../output/care.pdf  1 page")  # paths stay relative to where you are
    page, = read((project / "output" / "care.pdf").read_bytes())
    assert "Riverside Physio" in page.text and "020 7946 0321" in page.text
    assert not (project / "docs" / "output").exists()


def test_from_a_subfolder_build_with_no_paths_builds_the_project(project):
    os.chdir(project / "docs")
    result = invoke("build")
    assert result.exit_code == 0, result.output
    assert (project / "output" / "care.pdf").is_file()


def test_without_a_clinic_profile_every_build_warns_and_strict_fails(project):
    (project / "clinic.yaml").unlink()
    for _ in range(2):  # the second build skips the unchanged aid, and still warns
        result = invoke("build")
        assert result.exit_code == 0
        assert result.stderr.splitlines() == [
            "clinic.yaml: warning: no clinic profile: the clinic's name, phone and address print as blank "
            "write-in lines on every page (create it, or pass --clinic FILE)"]
    strict = invoke("build", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-1] == "1 warning (--strict: failing)"
    assert invoke("check", "--strict").exit_code == 1
    assert invoke("check").exit_code == 0


# ── conventions ─────────────────────────────────────────────────────────────────────


def test_dash_h_is_help_everywhere():
    for args in (["-h"], ["build", "-h"], ["check", "-h"], ["aftercare", "-h"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and "Usage: " in result.stdout, args


def test_version_without_package_metadata():
    from aidpress import __version__

    result = CliRunner().invoke(main, ["--version"])
    assert result.stdout == f"aidpress, version {__version__}\n"


def test_choices_ignore_case(project):
    result = invoke("build", "--paper", "LeTTer")
    assert result.exit_code == 0, result.output
    assert (project / "output" / "care-letter.pdf").is_file()


def test_variants_have_their_own_files_and_manifest_entries(project):
    variants = {(): "care.pdf", ("--large-print",): "care-large-print.pdf",
                ("--paper", "letter"): "care-letter.pdf"}
    for args, name in variants.items():
        assert invoke("build", *args).stdout == f"output/{name}  " + invoke_size(project, name)
    # alternating them rebuilds nothing: each has its own manifest entry
    for args, name in variants.items():
        assert invoke("build", *args).stdout == f"output/{name}  unchanged, skipped\n"
    manifest = json.loads((project / "output" / ".aidpress-manifest.json").read_text())
    assert sorted(manifest) == sorted(f"output/{name}" for name in variants.values())
    assert {entry["source"] for entry in manifest.values()} == {"aids/care.yaml"}


def invoke_size(project: Path, name: str) -> str:
    pdf = project / "output" / name
    pages = len(read(pdf.read_bytes()))
    return f"{pages} page{'s' if pages != 1 else ''}  {pdf.stat().st_size / 1024:.0f} KiB\n"


@pytest.mark.parametrize("damage", ['["not", "a", "mapping"]', '{"output/care.pdf": 3}',
                                    '{"output/care.pdf": {"inputs": 1}}', "{not json"])
def test_a_build_record_of_the_wrong_shape_is_set_aside_and_everything_rebuilt(project, damage):
    assert invoke("build").exit_code == 0
    (project / "output" / ".aidpress-manifest.json").write_text(damage)
    result = invoke("build")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "output/.aidpress-manifest.json: warning: this build record is damaged or not aidpress's: set aside, "
        "so everything is rebuilt"]
    assert result.stdout.startswith("output/care.pdf  1 page")
    assert "Traceback" not in result.output
    assert invoke("build").stdout == "output/care.pdf  unchanged, skipped\n"  # and it is whole again


def test_build_shows_the_warnings_check_shows_once_each(project):
    (project / "aids" / "care.yaml").write_text(AID.replace("review_by: 2099-01-01", "review_by: 2020-01-01"))
    check = invoke("check")
    build = invoke("build")
    warned = [line for line in check.stdout.splitlines() if ": warning: " in line]
    assert warned == ["aids/care.yaml:4:12: warning: review_by: review date 2020-01-01 has passed; review the "
                      "content and set a new date"]
    assert build.stderr.splitlines() == warned
    again = invoke("build")  # skipped as unchanged: the warning still stands, so it is still shown
    assert again.stderr.splitlines() == warned


def test_check_as_json_and_as_github_annotations(project):
    (project / "aids" / "bad.yaml").write_text("kind: checklist\ntitel: x\n")
    as_json = json.loads(invoke("check", "--format", "json").stdout)
    assert as_json["errors"] == 3 and as_json["files"] == 2
    assert {"file": "aids/bad.yaml", "line": 2, "column": 1, "severity": "error", "path": "",
            "message": "unknown key 'titel'", "hint": "did you mean 'title'?"} in as_json["problems"]
    github = invoke("check", "--format", "GITHUB")
    assert github.exit_code == 1
    assert "::error file=aids/bad.yaml,line=2,col=1::unknown key 'titel' (did you mean 'title'?)" \
        in github.stdout.splitlines()


# ── watch ───────────────────────────────────────────────────────────────────────────


class Watching:
    """`aidpress watch` as a user runs it, in its own process; lines read with a deadline."""

    def __init__(self, cwd: Path):
        import queue
        import threading

        self.proc = subprocess.Popen([sys.executable, "-m", "cli", "watch", "--interval", "0.05"], cwd=cwd,
                                     stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env={**os.environ, "PYTHONPATH": str(ROOT)})
        self.lines: queue.Queue = queue.Queue()
        self.all: list[str] = []
        threading.Thread(target=lambda: [self.lines.put(line.rstrip("\n")) for line in self.proc.stderr],
                         daemon=True).start()
        self.seen: list[str] = []

    def wait_for(self, pattern: str, seconds: float = 60) -> str:
        import queue

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for line in self.seen:
                if re.fullmatch(pattern, line):
                    self.seen.remove(line)
                    return line
            try:
                line = self.lines.get(timeout=0.05)
                self.seen.append(line)
                self.all.append(line)
            except queue.Empty:
                pass
        raise AssertionError(f"no line like {pattern!r}; saw {self.all}")

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(10)
        time.sleep(0.1)
        rest = []
        while not self.lines.empty():
            rest.append(self.lines.get())
        return code, "\n".join(rest)


def test_watch_says_what_it_did_and_ctrl_c_exits_130(project):
    (project / "clinic.yaml").unlink()
    (project / "aids" / "other.yaml").write_text(AID.replace("After your visit", "Other"))
    w = Watching(project)
    try:
        w.wait_for(TIME + r"rebuilt output/care\.pdf  1 page")
        w.wait_for(TIME + r"rebuilt output/other\.pdf  1 page")
        time.sleep(0.1)
        (project / "aids" / "care.yaml").write_text("kind: checklist\ntitle: [\n")
        w.wait_for(TIME + r"aids/care\.yaml:2:8: error: this .\[. is never closed .*")
        (project / "aids" / "care.yaml").write_text(AID.replace("Drink", "Please drink"))
        w.wait_for(TIME + r"fixed: rebuilt output/care\.pdf  1 page")
        (project / "aids" / "other.yaml").unlink()
        w.wait_for(TIME + r"aids/other\.yaml was deleted: removed output/other\.pdf")
        assert not (project / "output" / "other.pdf").exists()
        (project / "clinic.yaml").write_text(CLINIC)
        w.wait_for(TIME + r"clinic profile clinic\.yaml found: rebuilding")
        w.wait_for(TIME + r"rebuilt output/care\.pdf  1 page")
        page, = read((project / "output" / "care.pdf").read_bytes())
        assert "Riverside Physio" in page.text
    finally:
        code, rest = w.stop()
    assert code == 130
    assert "Traceback" not in rest and "Aborted" not in rest
