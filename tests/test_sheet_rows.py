"""The roster path of per-patient sheets, in process and quickly: each row becomes a sheet
to write or a refusal, each chunk returns what it wrote, the run returns an Outcome.
Expected names, rows and messages come from the literal rosters below (counted by hand)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from aidpress.commands import sheets
from aidpress.commands.project import Console
from aidpress.commands.sheets import (AftercareRequest, Chunk, ChunkDone, Columns, FileNames, Locator, Ready,
                                      Refused, RosterResult, RowReader, RowRefused, SheetOptions, aftercare,
                                      batched, cannot_write, field_values, load_checklist, private_dir,
                                      put_private, safe_file_part, write_chunk, write_separately)
from aidpress.errors import Location, Problem
from aidpress.model import Clinic, Sheet
from aidpress.roster import RosterError, read_roster

from cli import main

from .conftest import ROOT
from .readback import read

AID_PATH = ROOT / "tests" / "fixtures" / "sheets" / "garden-care.yaml"
AID = load_checklist(AID_PATH)  # fields: name, date (required), area, plot ("Plot number")
CLINIC = Clinic(name="Example Nursery", phone="01632 960000")
HINT = "choose a folder you can write to on a real disk (--out, or -o for one file)"


def reader(tmp_path, text: str, id_column: str | None = None, clinic=CLINIC) -> RowReader:
    path = tmp_path / "roster.csv"
    path.write_text(text)
    roster = read_roster(path)
    return RowReader(AID, clinic, roster, Columns(AID, roster, id_column))


def outcomes(tmp_path, text: str, **kw) -> list:
    return list(reader(tmp_path, text, **kw))


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# ── file names ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("text, part", [
    ("A-1", "A-1"), ("a.b_c", "a.b_c"), ("../../etc/x", "etc_x"), (".hidden", "hidden"), ("x.", "x"),
    ("Ann  Smith", "Ann_Smith"), ("é", ""), ("x" * 70, "x" * 60), ("_a_", "a"), ("a b", "a_b"),
    ("X9-AX", "X9-AX"),  # only dots and underscores are trimmed from the ends
])
def test_a_file_name_part_keeps_safe_characters_only(text, part):
    assert safe_file_part(text) == part


def test_rows_become_sheets_named_from_the_id_column_in_roster_order(tmp_path):
    found = outcomes(tmp_path, "id,name,date,Plot number\nA1,Ann,2026-11-23,7\nA2,Bo,2026-11-24,\n")
    assert found == [Ready(Sheet({"name": "Ann", "date": "Mon 23 Nov 2026", "plot": "7"}, 2, 2), "garden-care-A1.pdf"),
                     Ready(Sheet({"name": "Bo", "date": "Tue 24 Nov 2026"}, 3, 3), "garden-care-A2.pdf")]


def test_without_an_id_column_files_are_named_by_row_number(tmp_path):
    found = outcomes(tmp_path, "name,date\nAnn,2026-11-23\n\nBo,2026-11-23\n")
    assert [o.file_name for o in found] == ["garden-care-row00002.pdf", "garden-care-row00004.pdf"]


def test_an_id_column_is_found_in_any_case_and_a_chosen_one_by_name(tmp_path):
    assert [o.file_name for o in outcomes(tmp_path, "ID,name,date\nq7,Ann,2026-11-23\n")] == ["garden-care-q7.pdf"]
    found = outcomes(tmp_path, "No,name,date\nq8,Ann,2026-11-23\n", id_column="no")
    assert [o.file_name for o in found] == ["garden-care-q8.pdf"]
    found = outcomes(tmp_path, "No,name,date\nq9,Ann,2026-11-23\n", id_column="NO")  # any case on both sides
    assert [o.file_name for o in found] == ["garden-care-q9.pdf"]


def test_an_empty_id_falls_back_to_the_row_number(tmp_path):
    found = outcomes(tmp_path, "id,name,date\n,Ann,2026-11-23\n..,Bo,2026-11-23\n")
    assert [o.file_name for o in found] == ["garden-care-row00002.pdf", "garden-care-row00003.pdf"]


def test_a_repeated_name_is_a_refusal_of_the_later_row(tmp_path):
    roster = tmp_path / "roster.csv"
    found = outcomes(tmp_path, "id,name,date\nP1,Ann,2026-11-23\nP2,Bo,2026-11-23\nP1,Cy,2026-11-23\n")
    assert isinstance(found[0], Ready) and isinstance(found[1], Ready)
    assert found[2] == RowRefused((Problem(Location(str(roster), 4, 1), (), "row 4: the id in column 'id' is the same "
                                          "as row 2's; this row is skipped, never written over the other",
                                          "give each patient their own id"),))


def test_ids_that_make_one_file_name_say_so(tmp_path):
    found = outcomes(tmp_path, "id,name,date\nA/1,Ann,2026-11-23\nA 1,Bo,2026-11-23\n")
    assert found[1].problems[0].message == ("row 3: the id in column 'id' makes the same file name as row 2's; this "
                                            "row is skipped, never written over the other")


def test_two_rows_without_ids_never_clash_and_the_claim_is_kept_per_reader(tmp_path):
    rows = reader(tmp_path, "id,name,date\n,Ann,2026-11-23\n,Bo,2026-11-23\n")
    assert all(isinstance(o, Ready) for o in rows)
    names = FileNames(AID, rows.columns)
    row = next(iter(rows.roster.rows()))
    assert names.claim(row) == "garden-care-row00002.pdf" and names.claim(row) == "garden-care-row00002.pdf"


# ── refusals by row and column ──────────────────────────────────────────────────────


def test_a_bad_value_is_refused_by_row_and_column_name(tmp_path):
    roster = tmp_path / "roster.csv"
    (refused,) = outcomes(tmp_path, "id,name,DATE,Plot number\nP1,Secret,2026-02-30,火\n")
    assert [str(p) for p in refused.problems] == [
        f"{roster}:2:1: error: row 2, column 'DATE': 30 February does not exist",
        f"{roster}:2:1: error: row 2, column 'Plot number': contains a character the handout font cannot print "
        "(U+706B)"]


def test_a_required_field_without_a_column_is_named_as_a_field(tmp_path):
    roster = tmp_path / "roster.csv"
    (refused,) = outcomes(tmp_path, "id,name\nP1,Ann\n")
    assert [str(p) for p in refused.problems] == [f"{roster}:2:1: error: row 2, field 'date': required, but empty"]


def test_a_value_under_no_column_name_and_a_bad_value_are_both_reported(tmp_path):
    roster = tmp_path / "roster.csv"
    (refused,) = outcomes(tmp_path, "id,name,date,\nP1,Ann,someday,note\n")
    assert [str(p) for p in refused.problems] == [
        f"{roster}:2:1: error: row 2, column 4: a value under no column name (name the column in the header, or "
        "empty it)",
        f"{roster}:2:1: error: row 2, column 'date': not a date (write it as 2026-11-23, or 2026-11-23 10:30 (the "
        "clinic's date_format: year-month-day))"]


def test_an_empty_unnamed_cell_is_fine(tmp_path):
    (ready,) = outcomes(tmp_path, "id,name,date,\nP1,Ann,2026-11-23,\n")
    assert ready.file_name == "garden-care-P1.pdf"


def test_a_row_the_roster_cannot_read_is_refused_with_its_hint(tmp_path):
    roster = tmp_path / "roster.csv"
    (refused, ready) = outcomes(tmp_path, "id,name,date\nP1,Smith, J,2026-11-23\nP2,Bo,2026-11-23\n")
    assert [str(p) for p in refused.problems] == [
        f"{roster}:2:1: error: row 2: has 4 cells but the header has 3 columns (a value with a comma in it must be in "
        "double quotes)"]
    assert ready.file_name == "garden-care-P2.pdf"


def test_a_refused_row_does_not_claim_its_file_name(tmp_path):
    found = outcomes(tmp_path, "id,name,date\nP1,Ann,never\nP1,Bo,2026-11-23\n")
    assert isinstance(found[0], RowRefused) and found[1].file_name == "garden-care-P1.pdf"


def test_rows_are_read_in_the_clinics_date_style(tmp_path):
    clinic = Clinic(name="X", date_format="day/month/year")
    (ready,) = outcomes(tmp_path, "name,date\nAnn,01/12/2026\n", clinic=clinic)
    assert ready.sheet.values["date"] == "Tue 1 Dec 2026"


@pytest.mark.parametrize("header, message", [
    ("name,date,name\n", "row 1: columns 'name' and 'name' name the same field 'name' (keep one of them)"),
    ("id,nmae,date\n", "row 1: column 'nmae' names no field of 'garden-care' (did you mean 'name'?; or remove the "
                       "column)"),
    ("x,y\n", "row 1: the header names none of the fields of 'garden-care' (the first row names the fields: name, "
              "date, area, plot)"),
])
def test_a_header_that_would_need_guessing_refuses_the_roster(tmp_path, header, message):
    path = tmp_path / "roster.csv"
    path.write_text(header + "a,b,c\n")
    with pytest.raises(RosterError) as caught:
        Columns(AID, read_roster(path), None)
    assert [str(p) for p in caught.value.problems] == [f"{path}:1:1: error: {message}"]


def test_the_id_column_and_unnamed_columns_are_not_fields(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("Patient name,id,,date\n")
    columns = Columns(AID, read_roster(path), None)
    assert columns.fields == {0: "name", 3: "date"} and columns.names == {"name": "Patient name", "date": "date"}
    assert columns.id_index == 1 and columns.unnamed == [2] and columns.id_column == "id"


# ── --field values ───────────────────────────────────────────────────────────────────


def test_field_values_by_id_or_label_keep_everything_after_the_first_equals():
    assert field_values(AID, ["Plot Number=a=b", "name=Ann"]) == {"plot": "a=b", "name": "Ann"}


def test_a_field_without_equals_or_an_unknown_name_is_refused_with_hints():
    with pytest.raises(Refused) as caught:
        field_values(AID, ["nmae=Ann", "date"])
    assert [str(p) for p in caught.value.problems] == [
        f"{AID_PATH}:1:1: error: fields: --field 'nmae' names no field of 'garden-care' (did you mean 'name'?)",
        f"{AID_PATH}:1:1: error: fields: a --field without '=' names no field of 'garden-care' (write --field "
        "NAME=VALUE, e.g. --field date=2026-11-23)"]


# ── chunks, batches and results ─────────────────────────────────────────────────────────


def test_batches_are_cut_at_the_size_and_the_last_keeps_the_rest():
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batched(range(6), 3)) == [[0, 1, 2], [3, 4, 5]]
    assert list(batched([], 3)) == []


def test_a_chunk_separates_its_sheets_from_its_refusals(tmp_path):
    rows = reader(tmp_path, "id,name,date\nP1,Ann,2026-11-23\nP2,Bo,never\nP3,Cy,2026-11-23\n")
    chunk = Chunk.of(AID, CLINIC, SheetOptions(), rows.locator, list(rows))
    assert chunk.rows == 3 and [r.file_name for r in chunk.ready] == ["garden-care-P1.pdf", "garden-care-P3.pdf"]
    assert [p.where.line for p in chunk.refused] == [3]


def test_a_locator_names_the_column_or_the_field():
    locator = Locator(Path("r.csv"), {"name": "Patient name"})
    assert locator.named("name") == "column 'Patient name'" and locator.named("date") == "field 'date'"
    assert str(locator.misfit(4, 5, "name", 60)) == ("r.csv:5:1: error: row 4, column 'Patient name': too long to fit "
                                                    "its line at full size: about 60 characters fit (on two lines "
                                                    "where the field has a second line)")
    assert str(locator.at(None, "m", "h")) == "r.csv:1:1: error: m (h)"


def test_skipped_counts_roster_rows_once_each_and_no_output_problem():
    at = lambda file, line: Problem(Location(file, line, 1), (), "m")  # noqa: E731
    result = RosterResult(1, [], [at("r.csv", 3), at("r.csv", 3), at("r.csv", 5), at("out.pdf", 1)], [], Path("r.csv"))
    assert result.skipped == 2


def test_write_chunk_writes_each_sheet_privately_and_reports_the_rest(tmp_path):
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    rows = reader(tmp_path, "id,name,date\nP1,Ann Example,2026-11-23\nP2,Bo,never\nP3,Cy Example,2026-11-24\n"
                            f"P4,{'Long ' * 39}x,2026-11-24\n")
    done = write_chunk(Chunk.of(AID, CLINIC, SheetOptions(out_dir=out), rows.locator, list(rows)))
    assert done.rows == 4 and done.sheets == 2
    assert done.written == [out / "garden-care-P1.pdf", out / "garden-care-P3.pdf"]
    assert [(p.where.line, p.message.split(":")[0]) for p in done.problems] == [(3, "row 3, column 'date'"),
                                                                               (5, "row 5, column 'name'")]
    assert "Ann Example" in read((out / "garden-care-P1.pdf").read_bytes())[0].body
    assert "Cy Example" in read((out / "garden-care-P3.pdf").read_bytes())[0].body
    assert all(mode(p) == 0o600 for p in done.written) and sorted(os.listdir(out)) == [
        "garden-care-P1.pdf", "garden-care-P3.pdf"]


def test_a_chunk_with_no_sheet_writes_nothing(tmp_path):
    rows = reader(tmp_path, "id,name,date\nP1,Ann,never\n")
    done = write_chunk(Chunk.of(AID, CLINIC, SheetOptions(out_dir=tmp_path / "none"), rows.locator, list(rows)))
    assert (done.rows, done.written, done.sheets, len(done.problems)) == (1, [], 0, 1)


# ── files and folders ──────────────────────────────────────────────────────────────────


def test_put_private_replaces_atomically_at_0600_and_cleans_up_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "s.pdf"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    put_private(target, b"new")
    assert target.read_bytes() == b"new" and mode(target) == 0o600

    def fail(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sheets.os, "replace", fail)
    with pytest.raises(OSError):
        put_private(target, b"newer")
    assert target.read_bytes() == b"new" and os.listdir(tmp_path) == ["s.pdf"]  # no .part holding the sheet


def test_a_new_folder_is_made_0700_with_its_parents(tmp_path):
    folder = tmp_path / "a" / "b"
    assert private_dir(folder) == [] and mode(folder) == 0o700
    deeper = tmp_path / "c" / "d" / "e"  # two folders missing above it
    assert private_dir(deeper) == [] and mode(deeper) == 0o700


def test_an_existing_folder_others_can_read_is_kept_with_a_warning(tmp_path):
    for bits, warned in ((0o700, False), (0o740, True), (0o704, True), (0o711, False)):
        folder = tmp_path / f"f{bits:o}"
        folder.mkdir()
        os.chmod(folder, bits)
        found = private_dir(folder)
        assert mode(folder) == bits and bool(found) == warned
        if warned:
            assert str(found[0]) == (f"{folder}:1:1: warning: others can read this folder; each sheet in it is "
                                     "readable by you alone (keep patient sheets in a folder only you can open)")


def test_a_folder_that_cannot_be_made_is_refused_naming_the_file_in_the_way(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(Refused) as caught:
        private_dir(tmp_path / "file" / "a" / "b")
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'file' / 'a' / 'b'}:1:1: error: cannot write patient sheets in this folder: {tmp_path / 'file'} "
        f"is a file, not a folder ({HINT}, or move {tmp_path / 'file'} away)"]


def test_cannot_write_says_what_is_in_the_way_as_build_does_with_the_sheets_hint(tmp_path):
    """The reasons are write.why_not_written's (build's): a missing file where the folder
    exists is a virtual file system; a full disk, a folder without permission are said in
    words; anything else is what the system said, with the hint naming --out and -o."""
    lost = OSError(errno.ENOENT, "No such file or directory")
    virtual = cannot_write(tmp_path / "x.pdf", lost)
    assert (virtual.message, virtual.hint) == (
        f"cannot write the PDF: nothing can be written in {tmp_path} (a virtual or system file system?)",
        "choose a folder among your own files")
    full = cannot_write(tmp_path / "x.pdf", OSError(errno.ENOSPC, "No space left on device"), "it")
    assert (full.message, full.hint) == ("cannot write it: the disk is full", "make room, or choose another folder")
    denied = cannot_write(tmp_path, PermissionError(errno.EACCES, "Permission denied"), "sheets here", folder=True)
    assert (denied.message, denied.hint) == (f"cannot write sheets here: no permission to write in {tmp_path}",
                                             f"{HINT}, or ask for permission to write there")
    broken = cannot_write(tmp_path / "x.pdf", OSError(errno.EIO, "Input/output error"))
    assert (broken.message, broken.hint) == ("cannot write the PDF: Input/output error", HINT)
    (tmp_path / "here").mkdir()  # a folder is where the sheets go, not a file in the way
    assert cannot_write(tmp_path / "here", OSError(errno.EIO, "Input/output error"), folder=True).message == \
        "cannot write the PDF: Input/output error"
    assert cannot_write(tmp_path / "here", OSError(errno.EIO, "Input/output error")).message == \
        f"cannot write the PDF: {tmp_path / 'here'} is a folder"


# ── the command's outcome ────────────────────────────────────────────────────────────


def test_a_roster_run_outcome_lists_warnings_then_failures_and_exits_1(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\nP1,Ann,2026-11-23\nP2,Bo,never\n")
    out = tmp_path / "shared"
    out.mkdir()
    os.chmod(out, 0o755)
    seen = []
    outcome = aftercare(AftercareRequest(AID_PATH, roster=roster, options=SheetOptions(out_dir=out)),
                        progress=lambda n, total: seen.append((n, total)))
    assert [p.severity for p in outcome.messages] == ["warning", "error"]
    assert outcome.summary == f"1 sheet written to {out}; 1 row skipped" and outcome.status == 1
    assert seen == [(2, 2)]


def test_a_clean_roster_run_exits_0(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\nP1,Ann,2026-11-23\nP2,Bo,2026-11-24\n")
    outcome = aftercare(AftercareRequest(AID_PATH, roster=roster, options=SheetOptions(out_dir=tmp_path / "o")))
    assert (outcome.messages, outcome.summary, outcome.status) == ((), f"2 sheets written to {tmp_path / 'o'}", 0)


def test_a_merged_run_names_its_file_and_counts_its_sheets(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\nP1,Ann,2026-11-23\nP2,Bo,2026-11-24\nP3,Cy,no\n")
    request = AftercareRequest(AID_PATH, roster=roster, merge=True, options=SheetOptions(out_dir=tmp_path / "o"))
    outcome = aftercare(request)
    target = tmp_path / "o" / "garden-care-roster.pdf"
    assert outcome.summary == f"2 sheets written to {target}; 1 row skipped" and outcome.status == 1
    assert len(read(target.read_bytes())) == 2 and mode(target) == 0o600


def test_a_merged_run_with_no_good_row_writes_nothing(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\nP1,Ann,no\n")
    target = tmp_path / "run.pdf"
    outcome = aftercare(AftercareRequest(AID_PATH, roster=roster, merge=True, target=target))
    assert outcome.summary == f"0 sheets written to {target}; 1 row skipped" and outcome.status == 1
    assert not target.exists() and os.listdir(tmp_path) == ["roster.csv"]


def test_a_one_off_outcome_is_the_path_written(tmp_path):
    target = tmp_path / "s.pdf"
    outcome = aftercare(AftercareRequest(AID_PATH, fields=("name=Ann Example", "date=2026-11-23"), target=target))
    assert (outcome.messages, outcome.summary, outcome.status) == ((), str(target), 0)
    assert "Ann Example" in read(target.read_bytes())[0].body and mode(target) == 0o600


def test_a_roster_with_only_a_header_is_refused(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\n\n")
    with pytest.raises(RosterError) as caught:
        aftercare(AftercareRequest(AID_PATH, roster=roster, options=SheetOptions(out_dir=tmp_path / "o")))
    assert [str(p) for p in caught.value.problems] == [f"{roster}:1:1: error: the roster has a header but no "
                                                       "patient rows"]
    assert not (tmp_path / "o").exists()


def test_a_first_new_name_is_the_name_itself(tmp_path):
    assert sheets.put_new(tmp_path, "s.pdf", b"x") == tmp_path / "s.pdf"
    assert sheets.put_new(tmp_path, "s.pdf", b"y") == tmp_path / "s-2.pdf"
    assert (tmp_path / "s.pdf").read_bytes() == b"x" and sorted(os.listdir(tmp_path)) == ["s-2.pdf", "s.pdf"]


def test_a_new_folder_is_0700_whatever_the_umask(tmp_path):
    old = os.umask(0o277)  # would leave the owner unable to write or enter
    try:
        private_dir(tmp_path / "p")
    finally:
        os.umask(old)
    assert mode(tmp_path / "p") == 0o700


def test_an_unexpected_error_in_a_one_worker_run_is_not_swallowed(tmp_path, monkeypatch):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\nP1,Ann,2026-11-23\n")

    def broken(chunk):
        raise RuntimeError("a bug")

    monkeypatch.setattr(sheets, "write_chunk", broken)
    with pytest.raises(RuntimeError):
        sheets.build_roster(AID_PATH, roster, CLINIC, SheetOptions(out_dir=tmp_path / "o"), workers=1)


def test_only_a_checklist_with_fields_can_be_filled(tmp_path):
    quiz = ROOT / "aids" / "decision-quiz.yaml"
    with pytest.raises(Refused) as caught:
        load_checklist(quiz)
    (problem,) = caught.value.problems
    assert problem.message == "per-patient sheets need a checklist with 'fields:' (this aid is a quiz)"
    assert problem.where.file == str(quiz)


def test_a_merged_run_without_o_goes_to_the_sheets_folder_named_after_the_aid(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\nP1,Ann,never\n")
    outcome = aftercare(AftercareRequest(AID_PATH, roster=roster, merge=True, options=SheetOptions(out_dir=tmp_path / "o")))
    assert outcome.summary == f"0 sheets written to {tmp_path / 'o'}; 1 row skipped"
    assert list((tmp_path / "o").iterdir()) == []


def test_problems_from_several_chunks_come_in_roster_order(tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "CHUNK", 2)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\nP1,Ann,never\nP2,Bo,2026-11-23\nP3,Cy,never\nP4,Di,2026-11-23\nP5,Ed,never\n")
    result = sheets.build_roster(AID_PATH, roster, CLINIC, SheetOptions(out_dir=tmp_path / "o"), workers=1)
    assert [p.where.line for p in result.failures] == [2, 4, 6]
    assert [p.name for p in result.written] == ["garden-care-P2.pdf", "garden-care-P4.pdf"] and result.sheets == 2


def test_a_name_taken_ten_thousand_times_is_an_error_and_leaves_nothing(tmp_path, monkeypatch):
    def taken(src, dst):
        raise FileExistsError(errno.EEXIST, "File exists")

    monkeypatch.setattr(sheets.os, "link", taken)
    with pytest.raises(FileExistsError) as caught:
        sheets.put_new(tmp_path, "s.pdf", b"x")
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == (
        errno.EEXIST, "too many sheets with this name", str(tmp_path / "s.pdf"))
    assert os.listdir(tmp_path) == []


def test_a_one_off_sheet_that_cannot_be_put_in_place_names_the_folder(tmp_path, monkeypatch):
    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sheets.os, "link", full)
    out = tmp_path / "p"
    with pytest.raises(Refused) as caught:
        aftercare(AftercareRequest(AID_PATH, fields=("name=Ann", "date=2026-11-23"), options=SheetOptions(out_dir=out)))
    assert [str(p) for p in caught.value.problems] == [
        f"{out}:1:1: error: cannot write the PDF: the disk is full (make room, or choose another folder)"]
    assert os.listdir(out) == []


# ── what the command line refuses before anything is read or written ───────────────────


def cli(*args):
    return CliRunner().invoke(main, ["aftercare", str(AID_PATH), *map(str, args)])


def test_field_values_and_a_roster_together_are_refused_before_anything_is_written(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\nP1,Ann,2026-11-23\n")
    result = cli("--roster", roster, "--field", "name=Bo", "--out", tmp_path / "o")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", "error: give either --field values or --roster, not both\n")
    assert os.listdir(tmp_path) == ["roster.csv"]


@pytest.mark.parametrize("flag", ["--merge", "--duplex"])
def test_merge_and_duplex_without_a_roster_are_refused_before_anything_is_written(tmp_path, flag):
    result = cli(flag, "--field", "name=Ann", "--field", "date=2026-11-23", "--out", tmp_path / "o",
                 "-o", tmp_path / "s.pdf")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "error: --merge and --duplex go with --roster\n")
    assert os.listdir(tmp_path) == []


def test_the_command_without_a_progress_bar_writes_the_sheet_and_prints_its_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no project here: the clinic is the default one
    said, told = [], []
    target = tmp_path / "s.pdf"
    status = sheets.command(AID_PATH, fields=("name=Ann Example", "date=2026-11-23"), roster=None, merge=False,
                            duplex=False, id_column=None, target=target, out_dir=None, clinic_path=None,
                            paper=None, large_print=False, console=Console(out=said.append, err=told.append))
    assert (status, said, told) == (0, [str(target)], [])
    assert "Ann Example" in read(target.read_bytes())[0].body and mode(target) == 0o600


def test_an_aid_that_cannot_be_read_is_refused_with_its_own_errors_and_nothing_written(tmp_path):
    roster = tmp_path / "roster.csv"  # a roster given in the aid's place
    roster.write_text("id,name,date\nP1,Ann,2026-11-23\n")
    with pytest.raises(Refused) as caught:
        aftercare(AftercareRequest(roster, fields=("name=Ann", "date=2026-11-23"), target=tmp_path / "s.pdf"))
    assert [str(p) for p in caught.value.problems] == [
        f"{roster}:1:1: error: not an aid file: aid files end in .yaml or .yml (patient rosters go to "
        "'aidpress aftercare AID --roster FILE')"]
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: checklist\nid: b\ntitle: T\nfields: [name]\nsections: 7\n")  # line 5 is wrong
    with pytest.raises(Refused) as caught:
        aftercare(AftercareRequest(broken, roster=roster, options=SheetOptions(out_dir=tmp_path / "o")))
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{broken}:5:11: error: sections: expected a list")  # at the 7
    assert sorted(os.listdir(tmp_path)) == ["broken.yaml", "roster.csv"]


def test_write_separately_takes_any_iterable_of_chunks_and_none_at_all(tmp_path):
    out = tmp_path / "o"
    out.mkdir(mode=0o700)
    rows = reader(tmp_path, "id,name,date\nP1,Ann,2026-11-23\nP2,Bo,never\nP3,Cy,2026-11-24\n")
    batch = list(rows)
    chunks = [Chunk.of(AID, CLINIC, SheetOptions(out_dir=out), rows.locator, batch[:2]),
              Chunk.of(AID, CLINIC, SheetOptions(out_dir=out), rows.locator, batch[2:])]
    seen = []

    def done(result: ChunkDone) -> ChunkDone:
        seen.append(result.rows)
        return result

    results = list(write_separately(chunks, 1, done))  # a list, not a generator
    assert [(r.rows, r.written, [p.where.line for p in r.problems]) for r in results] == [
        (2, [out / "garden-care-P1.pdf"], [3]), (1, [out / "garden-care-P3.pdf"], [])]
    assert seen == [2, 1]
    assert list(write_separately([], 2, done)) == [] and seen == [2, 1]  # no chunk: no worker, no result


def test_two_workers_are_kept_busy_but_the_roster_is_never_all_in_flight(monkeypatch):
    """write_separately's promise: chunks go to the workers a few at a time (more than one,
    so both work; never the whole roster at once, so memory stays bounded and progress shows
    while the run goes on), and results come back in roster order. A stand-in pool records
    when each chunk is sent and when its result is awaited."""
    import concurrent.futures

    events = []

    class Pool:
        def __init__(self, workers):
            assert workers == 2

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, chunk):
            assert fn is write_chunk
            events.append(("sent", chunk.rows))
            return Future(chunk.rows)

    class Future:
        def __init__(self, rows):
            self.rows = rows

        def result(self):
            events.append(("awaited", self.rows))
            return ChunkDone(self.rows)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool, raising=False)
    locator = Locator(Path("r.csv"), {})
    chunks = [Chunk(AID, CLINIC, SheetOptions(), locator, n, (), ()) for n in range(1, 11)]  # rows 1..10 tell them apart
    results = list(write_separately(iter(chunks), 2, lambda r: r))
    assert [r.rows for r in results] == list(range(1, 11))
    first = events.index(("awaited", 1))
    assert 1 < first < 10  # chunks sent before the first result is awaited: both workers busy, not all ten
    assert [n for kind, n in events if kind == "awaited"] == list(range(1, 11))


def test_a_merged_run_keeps_its_parts_in_a_hidden_folder_while_it_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "MERGE_CHUNK", 1)  # two rows: two parts, joined at the end
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\nP1,Ann,2026-11-23\nP2,Bo,2026-11-24\n")
    out = tmp_path / "o"
    seen = []
    outcome = aftercare(AftercareRequest(AID_PATH, roster=roster, merge=True, options=SheetOptions(out_dir=out)),
                        progress=lambda n, total: seen.append(sorted(os.listdir(out))))
    assert outcome.status == 0 and len(seen) == 2
    assert all(len(names) == 1 and names[0].startswith(".") for names in seen), seen  # the parts, hidden
    assert os.listdir(out) == ["garden-care-roster.pdf"]
    pages = [p.body for p in read((out / "garden-care-roster.pdf").read_bytes())]
    assert len(pages) == 2 and "Ann" in pages[0] and "Bo" in pages[1]  # both parts joined, in roster order


def test_outside_a_project_without_out_or_o_a_sheet_goes_to_patients_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no clinic.yaml or aids/ here or above: no project
    said = []
    status = sheets.command(AID_PATH, fields=("name=Ann Example", "date=2026-11-23"), roster=None, merge=False,
                            duplex=False, id_column=None, target=None, out_dir=None, clinic_path=None, paper=None,
                            large_print=False, console=Console(out=said.append, err=said.append))
    (made,) = os.listdir(tmp_path / "patients")
    assert (status, said, os.listdir(tmp_path)) == (0, [os.path.join("patients", made)], ["patients"])
    assert mode(tmp_path / "patients") == 0o700 and mode(tmp_path / "patients" / made) == 0o600
    assert "Ann Example" in read((tmp_path / "patients" / made).read_bytes())[0].body


def test_a_sheet_too_long_for_its_line_names_its_row_and_its_own_line(tmp_path):
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    # P1's area holds a line break inside quotes, so P2 is row 3 on line 4
    rows = reader(tmp_path, f'id,name,date,area\nP1,Ann,2026-11-23,"bed\nnorth"\nP2,{"Long " * 39}x,2026-11-24,\n')
    done = write_chunk(Chunk.of(AID, CLINIC, SheetOptions(out_dir=out), rows.locator, list(rows)))
    assert [(p.where.line, p.message.split(":")[0]) for p in done.problems] == [(2, "row 2, column 'area'"),
                                                                               (4, "row 3, column 'name'")]
    assert done.problems[1].message.startswith("row 3, column 'name': too long to fit its line")
    assert (done.written, os.listdir(out)) == ([], [])


def test_a_merged_run_reports_a_sheet_too_long_at_its_row_and_line_and_leaves_it_out(tmp_path):
    roster = tmp_path / "roster.csv"  # P1's area has a quoted line break: P2 is row 3 on line 4
    roster.write_text(f'id,name,date,area\nP1,Ann,2026-11-23,"bed\nnorth"\nP2,{"Long " * 39}x,2026-11-24,\n'
                      "P3,Cy Example,2026-11-25,\n")
    target = tmp_path / "run.pdf"
    outcome = aftercare(AftercareRequest(AID_PATH, roster=roster, merge=True, target=target))
    assert [(p.where.file, p.where.line, p.message.split(":")[0]) for p in outcome.messages] == [
        (str(roster), 2, "row 2, column 'area'"), (str(roster), 4, "row 3, column 'name'")]
    assert outcome.messages[1].message.startswith("row 3, column 'name': too long to fit its line")
    assert (outcome.summary, outcome.status) == (f"1 sheet written to {target}; 2 rows skipped", 1)
    pages = read(target.read_bytes())
    assert len(pages) == 1 and "Cy Example" in pages[0].body


def test_progress_counts_each_chunks_rows_out_of_the_rosters(tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "CHUNK", 2)  # three rows: chunks of 2 and 1
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\nP1,Ann,2026-11-23\nP2,Bo,never\nP3,Cy,2026-11-24\n")
    seen = []
    sheets.build_roster(AID_PATH, roster, CLINIC, SheetOptions(out_dir=tmp_path / "o"), workers=1,
                        progress=lambda n, total: seen.append((n, total)))
    assert seen == [(2, 3), (1, 3)]


def test_an_id_that_is_another_rows_number_name_is_refused_as_the_same_file_name(tmp_path):
    found = outcomes(tmp_path, "id,name,date\nrow00003,Ann,2026-11-23\n,Bo,2026-11-23\n")  # row 3 has no id
    assert found[0].file_name == "garden-care-row00003.pdf"
    assert [str(p) for p in found[1].problems] == [
        f"{tmp_path / 'roster.csv'}:3:1: error: row 3: the file name is the same as row 2's; this row is skipped, "
        "never written over the other (give each patient their own id)"]


def test_the_commands_progress_bar_is_given_each_chunks_rows(tmp_path, monkeypatch):
    import contextlib

    monkeypatch.chdir(tmp_path)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date\nP1,Ann,2026-11-23\nP2,Bo,2026-11-24\n")
    seen = []

    @contextlib.contextmanager
    def bar():
        yield lambda n, total: seen.append((n, total))

    said = []
    status = sheets.command(AID_PATH, fields=(), roster=roster, merge=False, duplex=False, id_column=None,
                            target=None, out_dir=tmp_path / "o", clinic_path=None, paper=None, large_print=False,
                            console=Console(out=said.append, err=said.append), progress=bar)
    assert (status, said, seen) == (0, [f"2 sheets written to {tmp_path / 'o'}"], [(2, 2)])


def test_a_sheet_whose_tree_cannot_be_built_is_refused_at_the_aid_and_nothing_is_written(tmp_path, monkeypatch):
    """A structure tree that cannot be built (layouts/sheet_tags.py) is never written half:
    the error is located at the aid's first line, says what to do, and names no patient."""
    from layouts import stamp

    monkeypatch.setattr(stamp.SheetCanvas, "write_tree", lambda self: None)  # the blank's tree never written
    target = tmp_path / "one.pdf"
    result = CliRunner().invoke(main, ["aftercare", str(AID_PATH), "--field", "name=Ann Example", "--field",
                                       "date=2026-11-23", "-o", str(target)])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{AID_PATH}:1:1: error: the sheet's structure tree (tagged PDF) cannot be built: ")
    assert line.endswith(" (report this as a bug of aidpress)") and "Ann" not in line
    assert not target.exists() and list(tmp_path.iterdir()) == []
