"""Every output path that cannot be written is a located error naming what is in the way,
never a traceback: for `init`, `build`, `watch` and `schema -o`. The situations are made
so that they fail as root too (tests run as root, where a read-only mode stops nothing):
a path under a regular file, under /proc (a virtual file system), under a dangling link,
and a read-only file system simulated where the OS call is made."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from aidpress.commands.preflight import BuildOptions
from aidpress.commands.watch import watch
from cli import main

from .conftest import ROOT

AID = ROOT / "aids" / "before-treatment.yaml"
VIRTUAL = Path("/proc/aidpress-test-output")  # /proc takes no new files or folders, even from root


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def refused(result) -> list[str]:
    """The error lines of a run that failed cleanly (exit 1, no exception escaped)."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# ── init ────────────────────────────────────────────────────────────────────────────


def test_init_names_every_clash_and_writes_nothing(tmp_path):
    (tmp_path / "docs").write_text("my notes")  # a file where the schemas' folder goes
    (tmp_path / "clinic.yaml").symlink_to(tmp_path / "gone.yaml")  # a dangling link
    (tmp_path / "aids").mkdir()
    (tmp_path / "aids" / "appointment-quiz.yaml").mkdir()  # a folder where a file goes
    (tmp_path / "README.md").write_text("mine")
    before = files_in(tmp_path)
    assert refused(run("init", tmp_path)) == [
        f"{tmp_path / 'docs'}: error: a file is where aidpress init puts a folder "
        "(move it away, or choose another folder)",
        f"{tmp_path / 'README.md'}: error: a file is already here, and aidpress init never overwrites "
        "(move it away, or choose another folder)",
        f"{tmp_path / 'aids/appointment-quiz.yaml'}: error: a folder is already here, and aidpress init never "
        "overwrites (move it away, or choose another folder)",
        f"{tmp_path / 'clinic.yaml'}: error: a link to something that is not there is already here, and aidpress "
        "init never overwrites (move it away, or choose another folder)",
        f"{tmp_path}: error: aidpress init wrote nothing: 4 paths in the way"]
    assert files_in(tmp_path) == before
    assert (tmp_path / "README.md").read_text() == "mine"


def test_init_under_a_regular_file(tmp_path):
    (tmp_path / "notes").write_text("")
    assert refused(run("init", tmp_path / "notes" / "clinic")) == [
        f"{tmp_path / 'notes'}: error: a file is where aidpress init needs a folder "
        "(move it away, or choose another folder)",
        f"{tmp_path / 'notes/clinic'}: error: aidpress init wrote nothing: 1 path in the way"]
    assert files_in(tmp_path) == ["notes"]


def test_init_on_a_virtual_file_system():
    lines = refused(run("init", VIRTUAL))
    assert lines == [f"{VIRTUAL / 'README.md'}: error: cannot write the starter project: nothing can be written "
                     "in /proc (a virtual or system file system?) (choose a folder among your own files)",
                     f"{VIRTUAL}: error: aidpress init wrote nothing"]


def test_init_takes_back_what_it_wrote_when_a_write_fails_half_way(tmp_path, monkeypatch):
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.name == "packs":  # the disk fills up after some files are written
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    target = tmp_path / "clinic"
    lines = refused(run("init", target))
    assert lines[0].startswith(f"{target / 'packs'}/") and lines[0].endswith(
        ": error: cannot write the starter project: the disk is full (make room, or choose another folder)")
    assert lines[1] == f"{target}: error: aidpress init wrote nothing"
    assert files_in(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_init_into_a_read_only_folder(tmp_path):
    tmp_path.chmod(0o500)
    try:
        assert refused(run("init", tmp_path)) == [
            f"{tmp_path}: error: no permission to write in this folder (choose another folder)",
            f"{tmp_path}: error: aidpress init wrote nothing: 1 path in the way"]
    finally:
        tmp_path.chmod(0o700)


# ── build and watch ─────────────────────────────────────────────────────────────────


def test_build_into_a_folder_under_a_regular_file(tmp_path):
    (tmp_path / "out").write_text("")
    assert refused(run("build", AID, "--out", tmp_path / "out" / "pdfs")) == [
        f"{tmp_path / 'out/pdfs/before-treatment.pdf'}: error: cannot write the PDF: {tmp_path / 'out'} is a file, "
        f"not a folder (choose another folder, or move {tmp_path / 'out'} away)"]


def test_build_into_a_dangling_link(tmp_path):
    (tmp_path / "out").symlink_to(tmp_path / "unmounted")
    assert refused(run("build", AID, "--out", tmp_path / "out")) == [
        f"{tmp_path / 'out/before-treatment.pdf'}: error: cannot write the PDF: {tmp_path / 'out'} is a link to "
        "something that is not there (choose another folder, or remove the link)"]


def test_build_on_a_virtual_file_system():
    assert refused(run("build", AID, "--out", VIRTUAL)) == [
        f"{VIRTUAL / 'before-treatment.pdf'}: error: cannot write the PDF: nothing can be written in /proc "
        "(a virtual or system file system?) (choose a folder among your own files)"]


def test_a_build_record_that_cannot_be_saved_is_a_warning(tmp_path):
    """The PDF is written; the record of what was built (a folder is in its place) is not."""
    out = tmp_path / "out"
    (out / ".aidpress-manifest.json").mkdir(parents=True)
    result = run("build", AID, "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "before-treatment.pdf").read_bytes().startswith(b"%PDF")
    assert f"{out / '.aidpress-manifest.json'}: warning: cannot write the build record: " \
           f"{out / '.aidpress-manifest.json'} is a folder (the next build rebuilds every aid)" in result.stderr


def test_watch_reports_an_output_folder_under_a_regular_file(tmp_path):
    (tmp_path / "out").write_text("")
    events, rounds = [], iter([True, False])
    watch([AID], None, BuildOptions(out_dir=tmp_path / "out" / "pdfs"), report=events.append,
          interval=0, keep_going=lambda: next(rounds))
    assert [str(p) for e in events for p in getattr(e, "problems", ())] == [
        f"{tmp_path / 'out/pdfs/before-treatment.pdf'}: error: cannot write the PDF: {tmp_path / 'out'} is a file, "
        f"not a folder (choose another folder, or move {tmp_path / 'out'} away)"]


# ── schema -o ───────────────────────────────────────────────────────────────────────


def test_schema_under_a_regular_file(tmp_path):
    (tmp_path / "docs").write_text("")
    assert refused(run("schema", "-o", tmp_path / "docs" / "aid.schema.json")) == [
        f"{tmp_path / 'docs/aid.schema.json'}: error: cannot write the schema: {tmp_path / 'docs'} is a file, "
        f"not a folder (choose another folder, or move {tmp_path / 'docs'} away)"]


def test_schema_on_a_virtual_file_system():
    assert refused(run("schema", "-o", VIRTUAL / "aid.schema.json")) == [
        f"{VIRTUAL / 'aid.schema.json'}: error: cannot write the schema: nothing can be written in /proc "
        "(a virtual or system file system?) (choose a folder among your own files)"]


def test_schema_on_a_read_only_file_system(tmp_path, monkeypatch):
    """Simulated where the file is made: root cannot be kept out of a folder by its mode."""
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    assert refused(run("schema", "-o", tmp_path / "aid.schema.json")) == [
        f"{tmp_path / 'aid.schema.json'}: error: cannot write the schema: {tmp_path} is on a read-only file system "
        "(choose another folder)"]
    assert files_in(tmp_path) == []
