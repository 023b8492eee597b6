"""Per-patient sheets: nothing overwritten, every output problem a located error, every
row judged on its own (issue 19). Expected texts come from the literal rosters below."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from click.testing import CliRunner

from aidpress.commands import sheets
from aidpress.commands.sheets import SheetOptions, build_roster, fresh_name, put_new
from aidpress.model import Clinic
from cli import main

from .conftest import ROOT
from .readback import read, text_lines

AID = ROOT / "tests" / "fixtures" / "sheets" / "garden-care.yaml"
SEED = ROOT / "aids" / "aftercare-cupping.yaml"
CLINIC = Clinic(name="Example Nursery", phone="01632 960000")


def run(*args, aid=AID):
    return CliRunner().invoke(main, ["aftercare", str(aid), *map(str, args)])


def body(path) -> str:
    return " ".join(p.body for p in read(path.read_bytes()))


def hidden(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


def no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


# ── point 2: a one-off sheet never replaces another ──────────────────────────────────


def test_one_off_sheets_without_o_each_get_a_new_file_named_without_patient_data(tmp_path):
    out = tmp_path / "patients"
    made = []
    for name in ("Ann Example", "Bo Example", "Cy Example"):
        result = run("--field", f"name={name}", "--field", "date=2026-11-23", "--out", out)
        assert result.exit_code == 0, result.stderr
        made.append(result.stdout.strip())
    assert len(set(made)) == 3 and sorted(map(str, out.iterdir())) == sorted(made)
    for path, name in zip(made, ("Ann", "Bo", "Cy")):
        file = os.path.basename(path)
        assert re.fullmatch(r"garden-care-\d{4}-\d\d-\d\d-\d{6}(-\d+)?\.pdf", file), file
        assert name not in file and "Example" not in file
        assert f"{name} Example" in body(out / file)  # each patient's sheet is still there
    assert hidden(out) == []


def test_a_fresh_name_is_the_aid_the_date_and_the_time():
    assert fresh_name("garden-care", datetime.datetime(2026, 12, 1, 9, 5, 7)) == "garden-care-2026-12-01-090507.pdf"


def test_a_taken_name_gets_the_next_number_and_the_old_file_is_kept(tmp_path):
    (tmp_path / "s.pdf").write_bytes(b"first")
    (tmp_path / "s-2.pdf").write_bytes(b"second")
    assert put_new(tmp_path, "s.pdf", b"third") == tmp_path / "s-3.pdf"
    assert [(tmp_path / n).read_bytes() for n in ("s.pdf", "s-2.pdf", "s-3.pdf")] == [b"first", b"second", b"third"]
    assert oct(os.stat(tmp_path / "s-3.pdf").st_mode & 0o777) == "0o600" and hidden(tmp_path) == []


def test_with_o_the_named_file_is_written_as_asked(tmp_path):
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"old")
    result = run("--field", "name=Ann Example", "--field", "date=2026-11-23", "-o", target)
    assert result.exit_code == 0 and result.stdout.strip() == str(target)
    assert "Ann Example" in body(target)


# ── point 6: every form of aftercare reports an output problem, never a traceback ─────────


def roster(tmp_path, text="id,name,date\nP1,Ann,2026-11-23\nP2,Bo,2026-11-24\n"):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    return path


FORMS = {
    "one-off --out": lambda r, bad: ["--field", "name=Ann", "--field", "date=2026-11-23", "--out", bad],
    "one-off -o": lambda r, bad: ["--field", "name=Ann", "--field", "date=2026-11-23", "-o", bad / "s.pdf"],
    "roster": lambda r, bad: ["--roster", r, "--out", bad],
    "merge": lambda r, bad: ["--roster", r, "--merge", "-o", bad / "run.pdf"],
    "merge --out": lambda r, bad: ["--roster", r, "--merge", "--out", bad],
    "duplex": lambda r, bad: ["--roster", r, "--merge", "--duplex", "-o", bad / "run.pdf"],
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("place", ["under a file", "virtual file system"])
def test_every_form_reports_an_output_path_problem_as_a_located_error(tmp_path, form, place):
    """Every form makes its folder first, so each is refused there, said as `build` says it."""
    if place == "under a file":
        (tmp_path / "file").write_text("x")
        bad, file = tmp_path / "file" / "sub", tmp_path / "file"
        why = (f"{file} is a file, not a folder (choose a folder you can write to on a real disk "
               f"(--out, or -o for one file), or move {file} away)")
    else:
        bad = __import__("pathlib").Path("/proc/aidpress-test")
        why = "nothing can be written in /proc (a virtual or system file system?) (choose a folder among your own files)"
    result = run(*FORMS[form](roster(tmp_path), bad))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{bad}:1:1: error: cannot write patient sheets in this folder: {why}"]
    assert "Ann" not in result.output


def test_a_folder_you_cannot_write_to_is_refused_before_any_sheet(tmp_path, monkeypatch):
    """(The tests run as root, which may write anywhere: os.access is made to say no.)"""
    out = tmp_path / "locked"
    out.mkdir(mode=0o700)
    monkeypatch.setattr(sheets, "writable", lambda folder: folder != out)
    result = run("--roster", roster(tmp_path), "--out", out)
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"{out}:1:1: error: cannot write patient sheets in this folder: no permission "
                                     f"to write in {out} (choose a folder you can write to on a real disk (--out, "
                                     "or -o for one file), or ask for permission to write there)")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_a_sheet_that_cannot_be_written_fails_its_row_and_leaves_no_part_file(tmp_path, workers):
    """A folder stands where row 3's sheet would go: row 3 is an error (exit 1), the
    count says what was written, no temporary file holding its sheet is left behind."""
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    (out / "garden-care-P2.pdf").mkdir()
    path = roster(tmp_path, "id,name,date\nP1,Ann,2026-11-23\nP2,Secret Person,2026-11-24\nP3,Cy,2026-11-25\n")
    result = build_roster(AID, path, CLINIC, SheetOptions(out_dir=out), workers=workers)
    assert [str(p) for p in result.failures] == [
        f"{path}:3:1: error: row 3: cannot write {out / 'garden-care-P2.pdf'}: Is a directory (choose a folder you "
        "can write to on a real disk (--out, or -o for one file))"]
    assert result.sheets == 2 and sorted(p.name for p in result.written) == ["garden-care-P1.pdf", "garden-care-P3.pdf"]
    assert hidden(out) == [] and list((out / "garden-care-P2.pdf").iterdir()) == []
    assert "Cy" in body(out / "garden-care-P3.pdf")


def test_a_write_failure_is_exit_1_with_the_true_count(tmp_path):
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    (out / "garden-care-P1.pdf").mkdir()
    result = run("--roster", roster(tmp_path), "--out", out)
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout.strip() == f"1 sheet written to {out}; 1 row skipped"


def test_a_merged_pdf_that_cannot_be_written_leaves_no_parts(tmp_path, monkeypatch):
    """The disk fills as the finished PDF is put in place: an error, exit 1, nothing left."""
    import errno

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sheets.os, "replace", full)
    target = tmp_path / "run.pdf"
    result = run("--roster", roster(tmp_path), "--merge", "-o", target)
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"{target}:1:1: error: cannot write the PDF: the disk is full (make room, or "
                                     "choose another folder)")
    assert result.stdout.strip() == f"0 sheets written to {target}"  # no row was at fault
    assert not target.exists()
    assert hidden(tmp_path) == []


# ── point 5: a control character touches only its row ────────────────────────────────


def test_a_nul_or_a_line_break_in_a_cell_refuses_that_row_only(tmp_path):
    out = tmp_path / "out"
    path = roster(tmp_path, "id,name,date,area\nP1,Ann,2026-11-23,knee\nP2,Secret\x00Person,2026-11-23,knee\n"
                            "P3,Bo,2026-11-23,lower back\x0band neck\nP4,Cy,2026-11-23,hip\u2028left\nP5,Di,2026-11-24,\n")
    result = run("--roster", path, "--out", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:3:1: error: row 3, column 'name': holds a control character (U+0000) that no one types (retype the "
        "value in the spreadsheet, then export it again as CSV)",
        f"{path}:4:1: error: row 4, column 'area': has a line break inside it, but a write-in line holds one line "
        "(join its lines in the spreadsheet (a vertical tab or line separator is a line break too))",
        f"{path}:5:1: error: row 5, column 'area': has a line break inside it, but a write-in line holds one line "
        "(join its lines in the spreadsheet (a vertical tab or line separator is a line break too))"]
    assert "Secret" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["garden-care-P1.pdf", "garden-care-P5.pdf"]
    assert result.stdout.strip() == f"2 sheets written to {out}; 3 rows skipped"


# ── point 8: right-to-left names are refused by row and field, never printed backwards ──


def test_a_right_to_left_name_is_refused_by_row_and_the_others_are_written(tmp_path):
    out = tmp_path / "out"
    path = roster(tmp_path, "id,name,date\nP1,Ann,2026-11-23\nP2,محمد علي,2026-11-23\nP3,דוד כהן,2026-11-23\n")
    result = run("--roster", path, "--out", out)
    assert result.exit_code == 1
    tail = ("script, which the handout cannot print (it would come out backwards or with its letters unjoined) "
            "(write it in Latin letters, or fill this line in by hand)")
    assert result.stderr.splitlines() == [f"{path}:3:1: error: row 3, column 'name': is written in Arabic {tail}",
                                          f"{path}:4:1: error: row 4, column 'name': is written in Hebrew {tail}"]
    assert sorted(p.name for p in out.iterdir()) == ["garden-care-P1.pdf"]


def test_a_right_to_left_name_on_the_command_line_is_refused_the_same_way(tmp_path):
    result = run("--field", "name=דוד כהן", "--field", "date=2026-11-23", "-o", tmp_path / "s.pdf")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"{AID}:6:5: error: fields[0]: --field name: is written in Hebrew script, which "
                                     "the handout cannot print (it would come out backwards or with its letters "
                                     "unjoined) (write it in Latin letters, or fill this line in by hand)")
    assert not (tmp_path / "s.pdf").exists()


# ── point 3: next_appointment is a date and a time ─────────────────────────────────────


def test_next_appointment_is_read_in_the_clinics_style_and_printed_like_a_date(tmp_path):
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text("name: Example Clinic\nphone: 01632 960000\ndate_format: day/month/year\n")
    out = tmp_path / "out"
    path = roster(tmp_path, "id,name,date,next_appointment\nP1,Ann,23/11/2026,30/11/2026 2:30 PM\n"
                            "P2,Bo,23/11/2026,31/11/2027 25:99\nP3,Cy,23/11/2026,next week\n")
    result = run("--roster", path, "--out", out, "--clinic", clinic, aid=SEED)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:3:1: error: row 3, column 'next_appointment': 31 November does not exist; 25:99 is not a time "
        "(write the time as 00:00 to 23:59)",
        f"{path}:4:1: error: row 4, column 'next_appointment': not a date and time (write it as 23/11/2026 10:30 "
        "(the clinic's date_format: day/month/year))"]
    lines = " ".join(text_lines((out / "aftercare-cupping-P1.pdf").read_bytes())[0])
    assert "Next appointment: Mon 30 Nov 2026, 14:30" in lines
