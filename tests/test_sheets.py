"""Per-patient sheets: values land on the right sheet, privately, from real CSV exports."""

from __future__ import annotations

import os
import stat

import pikepdf
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from aidpress.model import Clinic
from aidpress.commands.sheets import SheetOptions, build_roster
from aidpress.validate import load_aid, load_clinic
from cli import main
from layouts import render

from .conftest import ROOT
from .readback import assert_in_order, expected_texts, norm, page_numbers, read, text_lines

AID = ROOT / "tests" / "fixtures" / "sheets" / "garden-care.yaml"
CLINIC = Clinic(name="Example Nursery", phone="01632 960000")
HEADER = "id,name,date,area,Plot number\n"


def roster_text(n: int, start: int = 0) -> str:
    return HEADER + "".join(f"T{i:03d},Person {i} Example,2026-11-{1 + i % 28:02d},Bed {i},{100 + i}\n"
                            for i in range(start, start + n))


def friendly(y: int, m: int, d: int) -> str:
    """The printed form of a date, by the calendar module (not the code under test)."""
    import calendar
    return f"{calendar.day_abbr[calendar.weekday(y, m, d)]} {d} {calendar.month_abbr[m]} {y}"


def run(*args):
    return CliRunner().invoke(main, ["aftercare", str(AID), *map(str, args)])


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_one_sheet_prints_the_values_on_the_blank_handout(tmp_path):
    target = tmp_path / "private" / "sheet.pdf"
    result = run("--field", "name=Ann O’Neill", "--field", "date=2026-11-23", "--field", "area=lower back",
                 "--field", "Plot number=42", "-o", target)
    assert result.exit_code == 0, result.stderr
    pages = read(target.read_bytes())
    text = " ".join(p.body for p in pages)
    # Each value is on its write-in line, right after its label.
    lines = text_lines(target.read_bytes())[0]
    assert "Patient name: Ann O’Neill Date: Mon 23 Nov 2026" in lines
    assert "Treated area: lower back Plot number: 42" in lines
    aid = load_aid(AID)
    assert_in_order(text, expected_texts(aid))
    assert page_numbers(pages) == [(n, len(pages)) for n in range(1, len(pages) + 1)]
    assert mode(target) == 0o600 and mode(target.parent) == 0o700
    meta = PdfReader(target).metadata
    assert "Ann" not in repr(dict(meta))


def test_a_filled_sheet_is_the_blank_handout_plus_its_values(tmp_path):
    """Same layout: every text run of the blank handout sits at the same place."""
    target = tmp_path / "sheet.pdf"
    assert run("--field", "name=Bo", "--field", "date=2026-11-23", "-o", target).exit_code == 0
    filled_runs = [t for p in read(target.read_bytes()) for t, _ in p.sizes]
    blank_runs = [t for p in read(render(load_aid(AID), load_clinic(ROOT / "clinic.yaml")).pdf) for t, _ in p.sizes]
    extra = list(filled_runs)
    for text in blank_runs:
        extra.remove(text)
    assert [norm(t) for t in extra] == ["Bo", "Mon 23 Nov 2026"]  # (the header repeat is chrome, not body)


FIELD_AT = {"name": f"{AID}:6:5: error: fields[0]: --field name: ", "date": f"{AID}:7:5: error: fields[1]: --field date: "}
NOT_A_DATE = "not a date (write it as 2026-11-23, or 2026-11-23 10:30 (the clinic's date_format: year-month-day))"


@pytest.mark.parametrize("args, message", [
    (["--field", "nmae=Ann", "--field", "date=2026-11-23"],
     f"{AID}:1:1: error: fields: --field 'nmae' names no field of 'garden-care' (did you mean 'name'?)"),
    (["--field", "name=Ann"], FIELD_AT["date"] + "required, but empty"),
    (["--field", "name=Ann", "--field", "date=23/11/2026"], FIELD_AT["date"] + NOT_A_DATE),
    (["--field", "name=Ann", "--field", "date=2026-02-30"], FIELD_AT["date"] + "30 February does not exist"),
    (["--field", "name=" + "Ann " * 45, "--field", "date=2026-11-23"],
     FIELD_AT["name"] + "too long to fit its line, even on two lines in the smallest print allowed"),
    (["--field", "name=火", "--field", "date=2026-11-23"],
     FIELD_AT["name"] + "contains a character the handout font cannot print (U+706B)"),
])
def test_bad_values_are_clear_errors_that_do_not_echo_the_value(tmp_path, args, message):
    result = run(*args, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert "Ann" not in result.stderr and "23/11" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_each_file_carries_its_own_patient_and_no_other(tmp_path):
    roster, out, result = run_roster(tmp_path, roster_text(250))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"250 sheets written to {out}"
    files = sorted(out.iterdir())
    assert [f.name for f in files] == [f"garden-care-T{i:03d}.pdf" for i in range(250)]
    assert mode(out) == 0o700 and all(mode(f) == 0o600 for f in files)
    for i in (0, 1, 99, 100, 101, 199, 249):  # across chunk boundaries
        text = " ".join(p.body for p in read(files[i].read_bytes()))
        lines = text_lines(files[i].read_bytes())[0]
        assert f"Patient name: Person {i} Example Date: {friendly(2026, 11, 1 + i % 28)}" in lines
        assert f"Treated area: Bed {i} Plot number: {100 + i}" in lines
        others = [j for j in range(250) if j != i and f"Person {j} Example" in text]
        assert others == []
        assert "Water every evening." in text and "Leaves turn brown within two days." in text
        with pikepdf.open(files[i]) as pdf:  # split out by layouts/join.py: a whole PDF on its own
            assert pdf.check_pdf_syntax() == [] and len(pdf.pages) == 1
            assert str(pdf.docinfo["/Title"]) == "After planting your tree" and str(pdf.Root.Lang) == "en"
            assert "/Author" not in pdf.docinfo  # the clinic's name stays out of a patient's file
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_merged_run_has_every_sheet_in_order_each_on_its_own_pages(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(roster_text(30))
    target = tmp_path / "run.pdf"
    assert run("--roster", roster, "--merge", "-o", target).exit_code == 0
    pages = read(target.read_bytes())
    single = render(load_aid(AID), load_clinic(ROOT / "clinic.yaml")).pages
    assert len(pages) == 30 * single
    for i in range(30):
        sheet = pages[i * single:(i + 1) * single]
        text = " ".join(p.body for p in sheet)
        assert sum(f"Person {j} Example" in text for j in range(30)) == 1
        assert f"Person {i} Example" in text
        assert page_numbers(sheet) == [(n, single) for n in range(1, single + 1)]
    assert mode(target) == 0o600


def test_duplex_starts_every_sheet_on_an_odd_page(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(roster_text(3))
    single = render(load_aid(AID), load_clinic(ROOT / "clinic.yaml")).pages
    target = tmp_path / "run.pdf"
    assert run("--roster", roster, "--merge", "--duplex", "-o", target).exit_code == 0
    per_sheet = single + single % 2
    pages = read(target.read_bytes())
    assert len(pages) == 3 * per_sheet
    for i in range(3):
        assert f"Person {i} Example" in pages[i * per_sheet].body


@pytest.mark.parametrize("encoding, delimiter, bom", [
    ("utf-8", ",", False), ("utf-8", ";", True), ("cp1252", ";", False), ("utf-16", "\t", True),
])
def test_real_spreadsheet_exports(tmp_path, encoding, delimiter, bom):
    """Quoted commas are read; a quoted line break (Alt+Enter in a cell) is read as one row
    and refused by row and column: a write-in line holds one line, and nothing is joined silently."""
    text = (f"id{delimiter}name{delimiter}date{delimiter}area\r\n"
            f'A1{delimiter}"Zoë Müller, Jr."{delimiter}2026-11-23{delimiter}"lower back, left"\r\n'
            f"A2{delimiter}José Núñez{delimiter}2026-11-24{delimiter}knee\r\n"
            f'A3{delimiter}Bo{delimiter}2026-11-25{delimiter}"lower back\r\nand neck"\r\n\r\n\r\n')
    data = text.encode(encoding)
    if bom and encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    roster = tmp_path / "roster.csv"
    roster.write_bytes(data)
    out = tmp_path / "out"
    result = run("--roster", roster, "--out", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{roster}:4:1: error: row 4, column 'area': has a line break inside it, but a write-in line holds one line "
        "(join its lines in the spreadsheet (a vertical tab or line separator is a line break too))"]
    assert result.stdout.strip() == f"2 sheets written to {out}; 1 row skipped"
    first = text_lines((out / "garden-care-A1.pdf").read_bytes())[0]
    assert "Patient name: Zoë Müller, Jr. Date: Mon 23 Nov 2026" in first
    assert "Treated area: lower back, left Plot number:" in first
    second = text_lines((out / "garden-care-A2.pdf").read_bytes())[0]
    assert "Patient name: José Núñez Date: Tue 24 Nov 2026" in second
    assert files(out) == ["garden-care-A1.pdf", "garden-care-A2.pdf"]


def test_bad_rows_are_reported_by_number_and_the_rest_are_built(tmp_path):
    roster, out, result = run_roster(tmp_path, HEADER + "G1,Good One,2026-11-23,a,1\n"
                      "B1,Secret Name,23/11/2026,b,2\n"  # row 3: bad date
                      "B2,Other Secret,,c,3\n"  # row 4: missing required date
                      "G2,Good Two,2026-11-24,d,4\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{roster}:3:1: error: row 3, column 'date': " + NOT_A_DATE,
        f"{roster}:4:1: error: row 4, column 'date': required, but empty",
    ]
    assert "Secret" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["garden-care-G1.pdf", "garden-care-G2.pdf"]
    assert result.stdout.strip() == f"2 sheets written to {out}; 2 rows skipped"


def test_file_names_never_hold_patient_names_unless_asked(tmp_path):
    roster, out, result = run_roster(tmp_path, "name,date\nAnn Smith,2026-11-23\n../../etc/x,2026-11-23\n")
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["garden-care-row00002.pdf", "garden-care-row00003.pdf"]
    out2 = tmp_path / "named"
    assert run("--roster", roster, "--out", out2, "--id-column", "name").exit_code == 0
    assert sorted(p.name for p in out2.iterdir()) == ["garden-care-Ann_Smith.pdf", "garden-care-etc_x.pdf"]
    lines = text_lines((out2 / "garden-care-Ann_Smith.pdf").read_bytes())[0]
    assert "Patient name: Ann Smith Date: Mon 23 Nov 2026" in lines  # choosing the column for names does not drop the field


def test_a_column_that_names_no_field_refuses_the_roster_naming_the_column(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,nmae,date,phone\nX1,Ann,2026-11-23,0123\n")
    result = run("--roster", roster, "--out", tmp_path / "o")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{roster}:1:1: error: row 1: column 'nmae' names no field of 'garden-care' (did you mean 'name'?; or remove the column)",
        f"{roster}:1:1: error: row 1: column 'phone' names no field of 'garden-care' (expected one of: 'name', 'date', "
        "'area', 'plot'; or remove the column)"]
    assert not (tmp_path / "o").exists()


def test_no_progress_bar_when_not_a_terminal(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(roster_text(5))
    result = run("--roster", roster, "--out", tmp_path / "o")
    assert result.stderr == "" and result.stdout.strip() == f"5 sheets written to {tmp_path / 'o'}"


def test_a_handout_without_fields_is_refused(tmp_path):
    aid = tmp_path / "plain.yaml"
    aid.write_text("kind: checklist\ntitle: T\nsections:\n  - heading: H\n    items: [a]\n")
    result = CliRunner().invoke(main, ["aftercare", str(aid), "--field", "name=x"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{aid}:1:1: error: per-patient sheets need a checklist with 'fields:' (this aid is a checklist without fields)"


def test_roster_in_process_matches_two_workers(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(roster_text(120))
    one = build_roster(AID, roster, CLINIC, SheetOptions(out_dir=tmp_path / "a"), workers=1)
    two = build_roster(AID, roster, CLINIC, SheetOptions(out_dir=tmp_path / "b"), workers=2)
    assert [p.name for p in one.written] == [p.name for p in two.written]
    for a, b in zip(one.written, two.written):
        assert a.read_bytes() == b.read_bytes()


def test_a_large_merged_run_is_joined_from_parts_into_one_valid_pdf(tmp_path, monkeypatch):
    """Past MERGE_CHUNK sheets, print runs are joined by streaming; the result is one
    valid PDF with every sheet, in roster order."""
    from aidpress.commands import sheets

    monkeypatch.setattr(sheets, "MERGE_CHUNK", 4)
    roster = tmp_path / "roster.csv"
    roster.write_text(roster_text(10))
    target = tmp_path / "run.pdf"
    result = run("--roster", roster, "--merge", "--duplex", "-o", target)
    assert result.exit_code == 0, result.stderr
    with pikepdf.open(target) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert str(pdf.docinfo["/Title"]) == "After planting your tree"
        assert str(pdf.Root.Lang) == "en"
    pages = read(target.read_bytes())
    per_sheet = len(pages) // 10
    for i in range(10):
        sheet = " ".join(p.body for p in pages[i * per_sheet:(i + 1) * per_sheet])
        assert [j for j in range(10) if f"Person {j} Example" in sheet] == [i]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # parts cleaned up
    assert mode(target) == 0o600


def test_progress_bar_shows_on_a_terminal(tmp_path):
    """On a terminal, a progress bar (click's, on stderr); through a pipe, nothing."""
    import pty
    import subprocess
    import sys

    roster = tmp_path / "roster.csv"
    roster.write_text(roster_text(30))
    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "cli", "aftercare", str(AID), "--roster", str(roster),
                           "--out", str(tmp_path / "o")], cwd=ROOT, stdout=subprocess.PIPE, stderr=follower,
                          timeout=120)
    os.close(follower)
    shown = b""
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        shown += data
    os.close(leader)
    assert proc.returncode == 0
    assert b"sheets" in shown and b"100%" in shown


def test_example_roster_builds_and_patient_folders_are_ignored_by_git(tmp_path):
    result = CliRunner().invoke(main, ["aftercare", str(ROOT / "aids" / "aftercare-cupping.yaml"),
                                       "--roster", str(ROOT / "examples" / "roster.csv"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "aftercare-cupping-A-0001.pdf", "aftercare-cupping-A-0002.pdf", "aftercare-cupping-A-0003.pdf"]
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "/patients/" in ignored and "/output/" in ignored


# ── refusals: each row problem is reported by row and column, the rest are written ──────


def files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def summary_count(result) -> int:
    return int(result.stdout.split()[0])


def run_roster(tmp_path, text: str, *args):
    """Write a roster, run it into tmp_path/out; (roster path, out folder, result)."""
    roster, out = tmp_path / "roster.csv", tmp_path / "out"
    roster.write_text(text)
    return roster, out, run("--roster", roster, "--out", out, *args)


def test_an_unquoted_comma_is_refused_not_shifted_into_the_next_field(tmp_path):
    roster, out, result = run_roster(tmp_path, "id,name,date,area\nR1,Smith, John,2026-11-23,lower back\n"
                                     "R2,Jo Bloggs,2026-11-23,knee\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{roster}:2:1: error: row 2: has 5 cells but the header has 4 columns "
                                          "(a value with a comma in it must be in double quotes)"]
    assert "Smith" not in result.output and "John" not in result.output
    assert files(out) == ["garden-care-R2.pdf"] and summary_count(result) == 1
    assert result.stdout.strip() == f"1 sheet written to {out}; 1 row skipped"


@pytest.mark.parametrize("ids, clash", [
    (("P1", "P2", "P1"), "the id in column 'id' is the same as row 2's"),
    (("A/1", "P2", "A 1"), "the id in column 'id' makes the same file name as row 2's"),
])
def test_a_repeated_id_never_overwrites_the_earlier_sheet(tmp_path, ids, clash):
    roster, out, result = run_roster(tmp_path, "id,name,date\n" + "".join(
        f"{i},Person {n},2026-11-23\n" for n, i in enumerate(ids)))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{roster}:4:1: error: row 4: {clash}; this row is skipped, never written "
                                          "over the other (give each patient their own id)"]
    assert len(files(out)) == 2 == summary_count(result)
    first = " ".join(p.body for p in read((out / f"garden-care-{ids[0].replace('/', '_')}.pdf").read_bytes()))
    assert "Person 0" in first and "Person 2" not in first


def test_a_repeated_id_in_a_merged_run_is_left_out(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\nP1,Person 0,2026-11-23\nP1,Person 1,2026-11-23\nP2,Person 2,2026-11-23\n")
    target = tmp_path / "run.pdf"
    result = run("--roster", roster, "--merge", "-o", target)
    assert result.exit_code == 1 and result.stdout.strip() == f"2 sheets written to {target}; 1 row skipped"
    text = " ".join(p.body for p in read(target.read_bytes()))
    assert "Person 0" in text and "Person 1" not in text and "Person 2" in text


def test_two_columns_naming_one_field_refuse_the_roster(tmp_path):
    roster, out, result = run_roster(tmp_path, "id,name,date,Patient name\nP1,Ann,2026-11-23,Bo\n")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"{roster}:1:1: error: row 1: columns 'name' and 'Patient name' name the same "
                                     "field 'name' (keep one of them)")
    assert files(out) == []


def test_a_roster_without_a_header_names_nothing_from_its_first_row(tmp_path):
    roster, out, result = run_roster(tmp_path, "P1,Ann Smith,2026-11-23\nP2,Bo,2026-11-23\n")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"{roster}:1:1: error: row 1: the header names none of the fields of "
                                     "'garden-care' (the first row names the fields: name, date, area, plot)")


def test_mixed_encoding_is_refused_whole_never_mojibake(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_bytes("id,name,date\nP1,Zoë,2026-11-23\n".encode() + "P2,Zoë,2026-11-23\n".encode("cp1252"))
    out = tmp_path / "out"
    result = run("--roster", roster, "--out", out)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"{roster}:3:1: error: row 3: the file mixes UTF-8 with another encoding")
    assert files(out) == []


def test_an_oversized_field_is_one_bad_row_and_the_good_rows_are_written(tmp_path):
    roster, out, result = run_roster(tmp_path, 'id,name,date\nP1,"' + "x" * 200_000 + '",2026-11-23\n'
                                     "P2,Bo,2026-11-23\n")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{roster}:2:1: error: row 2: longer than 10,000 characters")
    assert files(out) == ["garden-care-P2.pdf"] == [f"garden-care-P{summary_count(result) + 1}.pdf"]


@pytest.mark.parametrize("make, message", [
    (lambda tmp: AID, "this looks like a YAML file (an aid?), not a CSV roster"),
    (lambda tmp: tmp / "x.pdf", "this is a PDF, not a CSV roster"),
])
def test_a_file_that_is_not_a_roster_is_one_error_quoting_nothing(tmp_path, make, message):
    path = make(tmp_path)
    if path.suffix == ".pdf":
        assert run("--field", "name=Secret Person", "--field", "date=2026-11-23", "-o", path).exit_code == 0
    result = run("--roster", path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{path}:1:1: error: {message}")
    said = line[len(str(path)):]
    assert "Secret" not in said and "planting" not in said and "garden" not in said


def test_a_roster_with_no_patient_rows_is_an_error(tmp_path):
    roster, out, result = run_roster(tmp_path, "id,name,date\n\n")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{roster}:1:1: error: the roster has a header but no patient rows"


def test_a_value_in_an_unnamed_column_is_refused(tmp_path):
    roster, out, result = run_roster(tmp_path, "id,name,date,\nP1,Ann,2026-11-23,\nP2,Bo,2026-11-23,note\n")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"{roster}:3:1: error: row 3, column 4: a value under no column name "
                                     "(name the column in the header, or empty it)")
    assert files(out) == ["garden-care-P1.pdf"]


# ── values as clinics write them ───────────────────────────────────────────────────────


@pytest.mark.parametrize("style, dates", [
    ("day/month/year", ("23/11/2026", "01/12/2026 10:30")),
    ("month/day/year", ("11/23/2026", "12/01/2026 10:30")),
    ("year-month-day", ("2026-11-23", "2026-12-01 10:30")),
])
def test_a_roster_in_the_clinics_date_style(tmp_path, style, dates):
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(f"name: Example Nursery\nphone: 01632 960000\ndate_format: {style}\n")
    roster, out, result = run_roster(tmp_path, "id,name,date\n" + "".join(
        f"P{i},Person {i},{d}\n" for i, d in enumerate(dates)), "--clinic", clinic)
    assert result.exit_code == 0, result.stderr
    assert "Patient name: Person 0 Date: Mon 23 Nov 2026" in text_lines((out / "garden-care-P0.pdf").read_bytes())[0]
    assert "Patient name: Person 1 Date: Tue 1 Dec 2026, 10:30" in text_lines(
        (out / "garden-care-P1.pdf").read_bytes())[0]


SEED = ROOT / "aids" / "aftercare-cupping.yaml"
LONG_NAME = "Maria-Josefina Fernández-Castellanos"
LONG_APPOINTMENT = "Tuesday 1 December 2026, 10:30"


def seed_sheet(tmp_path, *extra) -> bytes:
    target = tmp_path / "seed.pdf"
    result = CliRunner().invoke(main, ["aftercare", str(SEED), "--field", f"name={LONG_NAME}", "--field",
                                       "date=2026-12-01", "--field", f"next_appointment={LONG_APPOINTMENT}",
                                       "--field", "area=knee", "-o", str(target), *extra])
    assert result.exit_code == 0, result.stderr
    return target.read_bytes()


def test_long_realistic_values_are_printed_in_full_right_after_their_labels(tmp_path):
    """Wrapped onto a second line rather than refused: both halves, after the label,
    in pypdf's drawing order and in pdftotext's reading order."""
    import subprocess

    pdf = seed_sheet(tmp_path)
    with pikepdf.open(tmp_path / "seed.pdf") as doc:
        assert doc.check_pdf_syntax() == []  # the write-in lines copied into the page keep q/Q balanced
    body = read(pdf)[0].body
    assert norm(f"Patient name: {LONG_NAME}") in body  # as the reader normalises (hyphens folded)
    assert norm("Next visit: Tue 1 Dec 2026, 10:30") in body  # read as a date and time, printed like a date
    (tmp_path / "s.pdf").write_bytes(pdf)
    shown = norm(subprocess.run(["pdftotext", "-layout", str(tmp_path / "s.pdf"), "-"], capture_output=True,
                                text=True, check=True).stdout)
    # a one-page sheet has no loose pages: the name is printed once, after its label
    # (the repeat above the header of every page is for sheets of several pages, below)
    assert shown.count(norm("Maria-Josefina")) == 1
    body_start = shown.index("Your details")
    assert shown.index(norm("Patient name: Maria-Josefina"), body_start) < shown.index(norm("Fernández-Castellanos"), body_start)
    assert shown.index("Next visit: Tue 1 Dec 2026, 10:30", body_start) > body_start  # typed: printed like a date


def value_chars(pdf: bytes, page: int, text: str) -> list:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = doc.pages[page].chars
    joined = "".join(c["text"] for c in chars)
    at = joined.index(text)
    return chars[at:at + len(text)]


def test_values_read_as_filled_in_in_colour_and_in_grayscale(tmp_path):
    """Values: bold (a weight that survives grayscale) in dark blue; labels: regular, near-black."""
    pdf = seed_sheet(tmp_path)
    label, value = value_chars(pdf, 0, "Treated area:"), value_chars(pdf, 0, "knee")
    assert {c["fontname"].split("+")[-1] for c in value} == {"DejaVuSans-Bold"}
    assert {c["fontname"].split("+")[-1] for c in label} == {"DejaVuSans"}
    blue = (0x0B / 255, 0x3D / 255, 0x91 / 255)
    assert all(tuple(round(v, 3) for v in c["non_stroking_color"]) == tuple(round(v, 3) for v in blue) for c in value)
    assert all(c["non_stroking_color"] != value[0]["non_stroking_color"] for c in label)


SEED_CLINIC_LINE = "Riverside Physio & Wellbeing · Phone 020 7946 0321"  # clinic.yaml's name and phone


def test_name_and_date_repeat_above_the_header_of_every_page(tmp_path):
    import io

    import pdfplumber

    pdf = seed_sheet(tmp_path, "--large-print")  # one page in regular print; several in large print
    pages = read(pdf)
    assert len(pages) > 1  # the point is the pages after the first
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            lines = page.extract_text_lines()
            # 18 pt type leaves no room for the labels beside this long name: the values alone
            assert norm(lines[0]["text"]) == norm(f"{LONG_NAME} · Tue 1 Dec 2026")
            assert lines[0]["bottom"] <= lines[1]["top"] and lines[0]["top"] > 0  # clear of the header, on the page
            # the header: in large print no two words of the title fit beside the clinic's
            # name and phone (never shortened), so it is left out there (issue 18 point 7)
            assert norm(lines[1]["text"]).endswith(norm(SEED_CLINIC_LINE))


def test_a_sheet_into_an_existing_folder_leaves_its_mode_and_warns_if_others_can_read(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o775)
    result = run("--field", "name=Bo", "--field", "date=2026-11-23", "-o", shared / "bo.pdf")
    assert result.exit_code == 0
    assert mode(shared) == 0o775 and mode(shared / "bo.pdf") == 0o600
    assert result.stderr.strip() == (f"{shared}:1:1: warning: others can read this folder; each sheet in it is readable"
                                     " by you alone (keep patient sheets in a folder only you can open)")
    private = tmp_path / "private"
    private.mkdir()
    os.chmod(private, 0o710)
    roster = tmp_path / "roster.csv"
    roster.write_text(roster_text(2))
    result = run("--roster", roster, "--out", private)
    assert result.exit_code == 0 and result.stderr == "" and mode(private) == 0o710
    new = tmp_path / "a" / "new"
    assert run("--roster", roster, "--out", new).exit_code == 0
    assert mode(new) == 0o700 and all(mode(f) == 0o600 for f in new.iterdir())


def test_merge_duplex_keeps_one_page_sheets_each_on_their_own_sheet_of_paper(tmp_path):
    """The fixture is one page: each patient is a front side plus a blank back."""
    assert render(load_aid(AID), load_clinic(ROOT / "clinic.yaml")).pages == 1
    roster = tmp_path / "roster.csv"
    roster.write_text(roster_text(3))
    target = tmp_path / "run.pdf"
    assert run("--roster", roster, "--merge", "--duplex", "-o", target).exit_code == 0
    pages = read(target.read_bytes())
    assert len(pages) == 6
    assert [[i for i in range(3) if f"Person {i} Example" in p.text] for p in pages] == [[0], [], [1], [], [2], []]
    assert [p.text for p in pages[1::2]] == ["", "", ""]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("seed", ["aftercare-cupping", "aftercare-dry-needling"])
def test_each_seed_aftercare_sheet_fits_one_page(seed, paper):
    assert render(load_aid(ROOT / "aids" / f"{seed}.yaml"), load_clinic(ROOT / "clinic.yaml"), paper=paper).pages == 1


def test_an_id_column_asked_for_but_missing_is_an_error(tmp_path):
    roster, out, result = run_roster(tmp_path, "name,date\nAnn,2026-11-23\n", "--id-column", "patient_no")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"{roster}:1:1: error: row 1: no column is named 'patient_no' (--id-column) "
                                     "(name the column file names are made from, or leave out --id-column)")
    assert files(out) == []


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_in_large_print_name_and_date_stay_on_the_paper_above_the_header(tmp_path, paper):
    """Large print leaves no room above its header as designed: the header moves down
    just enough that the repeat stays on the printable paper (5 mm = 14.2 pt from the
    top edge), above the title, on every page."""
    import io

    import pdfplumber

    pdf = seed_sheet(tmp_path, "--large-print", "--paper", paper)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) > 1
        for page in doc.pages:
            lines = page.extract_text_lines()
            assert min(c["top"] for c in page.chars) >= 14.1
            assert norm(lines[0]["text"]) == norm(f"{LONG_NAME} · Tue 1 Dec 2026")
            assert norm(lines[1]["text"]).endswith(norm(SEED_CLINIC_LINE))  # the header (see above)
            assert lines[0]["bottom"] <= lines[1]["top"]


def value_colour(chars) -> tuple:
    return next(c["non_stroking_color"] for c in chars if c["text"] == "M")
