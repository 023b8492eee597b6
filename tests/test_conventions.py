"""`python -m aidpress`, the version without package metadata, and the pre-commit hook."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from .conftest import ROOT

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def python_m(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # this checkout, from any folder
    return subprocess.run([sys.executable, "-m", "aidpress", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)


def test_python_m_aidpress_is_the_command():
    assert python_m("--version").stdout == f"aidpress, version {VERSION}\n"
    helped = python_m("--help")
    assert helped.returncode == 0
    assert helped.stdout.startswith("Usage: aidpress [OPTIONS] COMMAND [ARGS]...")
    assert re.search(r"^  init\s", helped.stdout, re.M) and re.search(r"^  build\s", helped.stdout, re.M)


def test_python_m_aidpress_runs_a_command_and_passes_its_exit_status(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: checklist\ntitle: 'T\n")
    result = python_m("check", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]  # after the no-profile warning
    assert errors[0] == (f"{bad}:2:8: error: this quote (') is never closed "
                                             "(end the text with ', or remove the opening ')")


def test_version_does_not_read_package_metadata():
    code = ("import sys, cli\n"
            "try:\n    cli.main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('importlib.metadata') or m == 'yaml'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines() == [f"aidpress, version {VERSION}", "[]"]


# ── .pre-commit-hooks.yaml ──────────────────────────────────────────────────────────

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())


def test_the_hook_runs_aidpress_check_on_the_whole_project():
    assert [hook["id"] for hook in HOOKS] == ["aidpress-check"]
    hook = HOOKS[0]
    assert hook["entry"] == "aidpress check"
    assert hook["language"] == "python"  # pre-commit pip-installs this repository for it
    assert hook["pass_filenames"] is False
    assert set(hook) <= {"id", "name", "description", "entry", "language", "files", "pass_filenames"}


@pytest.mark.parametrize("path, runs", [
    ("aids/decision-quiz.yaml", True), ("packs/waiting-room.yaml", True), ("clinic.yaml", True),
    ("handouts/aids/knee.yml", True), ("handouts/clinic.yml", True),
    ("README.md", False), ("docs/aid.schema.json", False), ("aids/notes.txt", False), ("my-clinic.yaml", False),
    (".github/workflows/ci.yaml", False),
])
def test_the_hook_runs_when_an_aid_a_pack_or_the_clinic_profile_changes(path, runs):
    # pre-commit matches `files` with re.search against the path from the repository root
    assert bool(re.search(HOOKS[0]["files"], path)) is runs


def test_the_hook_entry_passes_and_fails_as_check_does(tmp_path):
    """The entry run as pre-commit runs it: in the project folder, no file names."""
    from aidpress.commands.init import init

    init(tmp_path)
    assert python_m(*HOOKS[0]["entry"].split()[1:], cwd=tmp_path).returncode == 0
    aid = tmp_path / "aids" / "appointment-quiz.yaml"
    aid.write_text(aid.read_text().replace("title:", "titel:", 1))
    failed = python_m(*HOOKS[0]["entry"].split()[1:], cwd=tmp_path)
    assert failed.returncode == 1
    assert f"{aid.relative_to(tmp_path)}:4:1: error: unknown key 'titel' (did you mean 'title'?)" in failed.stdout


def test_pre_commit_accepts_the_manifest():
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
