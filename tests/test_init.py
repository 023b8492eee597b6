"""`aidpress init`: a starter project that checks clean and builds, for a pip-installed user."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from aidpress.jsonschema import shipped
from cli import main

from .conftest import ROOT
from .readback import norm

STARTER = ROOT / "aidpress" / "starter"
# Listed by hand: what a new project holds.
PROJECT = sorted([
    ".gitignore", "README.md", "clinic.yaml", "docs/aid.schema.json", "docs/clinic.schema.json",
    "aids/appointment-quiz.yaml", "aids/appointment-types.yaml", "aids/before-your-visit.yaml",
    "aids/appointment-worksheet.yaml", "aids/booking-flowchart.yaml", "packs/appointments-pack.yaml",
])
# One PDF per aid and pack, named by the file's stem; the pack holds the two aids it lists.
PDFS = {"appointment-quiz.pdf": "Which kind of appointment suits you?",
        "appointment-types.pdf": "In person, by phone or by video?",
        "appointment-worksheet.pdf": "Your appointment worksheet",
        "before-your-visit.pdf": "Getting ready for your appointment",
        "booking-flowchart.pdf": "What should I book?",
        "appointments-pack.pdf": "Choosing your appointment"}


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def run(*args, cwd=None):
    if cwd is None:
        return CliRunner().invoke(main, list(map(str, args)))
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(map(str, args)))
    finally:
        os.chdir(old)


def test_init_writes_the_starter_project(tmp_path):
    result = run("init", tmp_path / "clinic")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"created 11 files in {tmp_path / 'clinic'}: clinic.yaml, aids/, packs/, docs/",
        f"next: fill in clinic.yaml, then cd {tmp_path / 'clinic'} && aidpress build"]
    project = tmp_path / "clinic"
    assert files_in(project) == PROJECT
    assert (project / ".gitignore").read_text().splitlines()[1:] == ["output/", "patients/"]
    for name in ("aid.schema.json", "clinic.schema.json"):
        assert (project / "docs" / name).read_text(encoding="utf-8") == shipped(name)
    for relative in PROJECT:
        if relative.endswith(".yaml"):
            assert (project / relative).read_bytes() == (STARTER / relative).read_bytes()


def test_starter_has_one_aid_of_each_kind_on_a_neutral_topic():
    kinds = {}
    for path in sorted(STARTER.glob("*/*.yaml")):
        kind = yaml.safe_load(path.read_text(encoding="utf-8"))["kind"]
        kinds.setdefault(kind, []).append(path.name)
    assert sorted(kinds) == ["checklist", "comparison", "flowchart", "pack", "quiz", "worksheet"]
    assert all(len(names) == 1 for names in kinds.values()), kinds
    text = " ".join(p.read_text(encoding="utf-8").lower() for p in STARTER.rglob("*.yaml"))
    for word in ("cupping", "needling", "acupuncture"):
        assert word not in text


def test_init_here_then_check_and_build(tmp_path):
    assert run("init", cwd=tmp_path).exit_code == 0
    assert files_in(tmp_path) == PROJECT
    check = run("check", cwd=tmp_path)
    assert check.exit_code == 0, check.output
    # clean, but for the one warning that the clinic's details are the starter's placeholders
    assert [line for line in check.stdout.splitlines() if ": note: " not in line] == [
        PLACEHOLDERS, "6 files checked: 0 errors, 1 warning"]
    build = run("build", cwd=tmp_path)
    assert build.exit_code == 0, build.output
    assert build.stderr.splitlines() == [PLACEHOLDERS]
    assert_pdfs(tmp_path / "output")
    # the emergency route is a line to fill in, printed in the checklist's warning box
    visit = norm(" ".join(p.extract_text() for p in PdfReader(tmp_path / "output/before-your-visit.pdf").pages))
    assert "[your local emergency number, or the nearest emergency department]" in visit


# line 6 of the starter's clinic.yaml is `example: true`
PLACEHOLDERS = ("clinic.yaml:6:1: warning: example: this clinic profile is the starter's example: its name, phone, "
                "address, website and emergency route are placeholders, printed on every handout (replace them "
                "with your clinic's own details, then delete 'example: true')")


def test_the_starter_clinic_warns_until_its_details_are_replaced(tmp_path):
    assert run("init", cwd=tmp_path).exit_code == 0
    for command in (["check", "--strict"], ["build", "--strict"]):
        strict = run(*command, cwd=tmp_path)
        assert strict.exit_code == 1, strict.output
        assert PLACEHOLDERS in strict.stderr + strict.stdout
    profile = tmp_path / "clinic.yaml"
    text = profile.read_text(encoding="utf-8")
    assert "\nexample: true\n" in text and "\nemergency: " in text
    profile.write_text(text.replace("example: true\n", "").replace("Your Clinic Name", "Hill Street Clinic"),
                       encoding="utf-8")
    for command in (["check", "--strict"], ["build", "--strict"]):
        clean = run(*command, cwd=tmp_path)
        assert clean.exit_code == 0, clean.output
        assert ": warning: " not in clean.output


def assert_pdfs(out: Path) -> None:
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(PDFS)
    for name, title in PDFS.items():
        pages = PdfReader(out / name).pages
        first = norm(pages[0].extract_text())
        assert title in first, (name, first)
        assert "Your Clinic Name" in first and "000 0000 0000" in first  # from the starter's clinic.yaml
    pack = norm(" ".join(page.extract_text() for page in PdfReader(out / "appointments-pack.pdf").pages))
    assert PDFS["appointment-types.pdf"] in pack and PDFS["appointment-quiz.pdf"] in pack
    assert PDFS["booking-flowchart.pdf"] not in pack


def test_init_refuses_to_overwrite_and_says_which_files(tmp_path):
    (tmp_path / "aids").mkdir()
    (tmp_path / "clinic.yaml").write_text("name: Mine\n")
    (tmp_path / "aids" / "booking-flowchart.yaml").write_text("kind: flowchart\n")
    (tmp_path / "notes.txt").write_text("mine")
    result = run("init", tmp_path)
    assert result.exit_code == 1
    never = "is already here, and aidpress init never overwrites (move it away, or choose another folder)"
    assert result.stderr.splitlines() == [f"{tmp_path / 'aids/booking-flowchart.yaml'}: error: a file {never}",
                                          f"{tmp_path / 'clinic.yaml'}: error: a file {never}",
                                          f"{tmp_path}: error: aidpress init wrote nothing: 2 paths in the way"]
    assert files_in(tmp_path) == ["aids/booking-flowchart.yaml", "clinic.yaml", "notes.txt"]
    assert (tmp_path / "clinic.yaml").read_text() == "name: Mine\n"


def test_init_into_a_file_is_an_error(tmp_path):
    (tmp_path / "x").write_text("")
    result = run("init", tmp_path / "x")
    assert result.exit_code != 0
    assert files_in(tmp_path) == ["x"]


# ── a pip-installed user: nothing but the package, in a fresh virtual environment ──


@pytest.fixture(scope="session")
def venv(tmp_path_factory):
    """aidpress installed (not editable) from this checkout into an empty venv."""
    home = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True)
    pip = subprocess.run([str(home / "bin" / "pip"), "install", "--quiet", str(ROOT)], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr[-2000:]
    return home


def test_installed_package_inits_and_builds_in_an_empty_folder(venv, tmp_path):
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    work = tmp_path / "empty"
    work.mkdir()

    def aidpress(*args, cwd):
        return subprocess.run(["aidpress", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)

    assert aidpress("init", "clinic", cwd=work).returncode == 0
    built = aidpress("build", cwd=work / "clinic")
    assert built.returncode == 0, built.stderr
    assert len(built.stdout.splitlines()) == len(PDFS)
    assert_pdfs(work / "clinic" / "output")
    # the installed code is what ran, not this checkout
    where = subprocess.run(["python", "-c", "import aidpress; print(aidpress.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True)
    assert where.stdout.startswith(str(venv)), where.stdout


def test_watch_warns_on_every_rebuild_while_the_clinic_is_the_example(tmp_path):
    from aidpress.commands.preflight import BuildOptions
    from aidpress.commands.watch import Notice, watch

    assert run("init", tmp_path).exit_code == 0
    events, rounds = [], iter([True, False])
    watch([tmp_path / "aids" / "before-your-visit.yaml"], tmp_path / "clinic.yaml",
          BuildOptions(out_dir=tmp_path / "output"), report=events.append, interval=0,
          keep_going=lambda: next(rounds))
    assert [str(e.problem) for e in events if isinstance(e, Notice)] == [f"{tmp_path}/{PLACEHOLDERS}"]
