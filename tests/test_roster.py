"""Reading a roster: exports as spreadsheets write them, and refusals that quote nothing.

Expected rows, numbers and lines are counted by hand from the literal files below.
"""

from __future__ import annotations

import codecs

import pytest

from aidpress.roster import MAX_ROW, BadRow, RosterError, RosterRow, decode, delimiter, read_roster


def write(tmp_path, data: bytes | str, name: str = "roster.csv"):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def rows(path):
    return list(read_roster(path).rows())


def refusal(path) -> list[str]:
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    return [str(p) for p in caught.value.problems]


def test_header_rows_lines_and_total(tmp_path):
    path = write(tmp_path, "id,name\nA1,Ann\n\nA2,\"Bo\nBo\"\nA3,Cy\n")
    roster = read_roster(path)
    assert roster.header == ("id", "name") and roster.header_line == 1 and roster.total == 3
    assert rows(path) == [RosterRow(2, 2, ("A1", "Ann")), RosterRow(4, 4, ("A2", "Bo\nBo")),
                          RosterRow(5, 6, ("A3", "Cy"))]


def test_a_leading_blank_line_moves_the_header_down(tmp_path):
    path = write(tmp_path, "\n\nid,name\nA1,Ann\n")
    roster = read_roster(path)
    assert roster.header == ("id", "name") and roster.header_line == 3 and roster.total == 1
    assert rows(path) == [RosterRow(4, 4, ("A1", "Ann"))]


def test_a_whitespace_line_before_the_header_does_not_hide_its_delimiter(tmp_path):
    path = write(tmp_path, "  \t \nid;name\nA1;Ann, B\n")
    assert read_roster(path).header == ("id", "name")
    assert rows(path) == [RosterRow(3, 3, ("A1", "Ann, B"))]


def test_cells_and_header_are_stripped_and_whitespace_rows_skipped(tmp_path):
    path = write(tmp_path, " id ; name \n A1 ; Ann \n  ;  \n")
    roster = read_roster(path)
    assert roster.header == ("id", "name") and roster.total == 1
    assert rows(path) == [RosterRow(2, 2, ("A1", "Ann"))]


@pytest.mark.parametrize("cells, expected", [
    ("A1,Ann,x", "row 2: has 3 cells but the header has 2 columns"),
    ("A1", "row 2: has 1 cells but the header has 2 columns"),
])
def test_a_row_with_more_or_fewer_cells_is_a_bad_row(tmp_path, cells, expected):
    path = write(tmp_path, f"id,name\n{cells}\nA2,Bo\n")
    got = rows(path)
    assert got[0] == BadRow(2, 2, expected, "a value with a comma in it must be in double quotes")
    assert got[1] == RosterRow(3, 3, ("A2", "Bo"))


def test_an_oversized_row_is_reported_and_the_next_row_still_read(tmp_path):
    path = write(tmp_path, "id,name\nA1," + "x" * MAX_ROW + "\nA2,Bo\nA3," + "y" * (MAX_ROW - 2) + "\n")
    got = rows(path)
    assert [type(r) for r in got] == [BadRow, RosterRow, RosterRow]
    assert got[0] == BadRow(2, 2, "row 2: longer than 10,000 characters",
                            "a quote mark left open runs a row on into the next ones")
    assert got[1].cells == ("A2", "Bo")


def test_a_bad_row_after_a_cell_of_two_lines_names_its_row_and_its_own_line(tmp_path):
    """Row 2's quoted cell takes lines 2 and 3: row 3 starts on line 4 and row 4 on line 5.
    A refused row is named by its row number, and located at its own first line."""
    path = write(tmp_path, 'id,name\nA1,"Ann\nAnn"\nA2,Bo,x\nA3,' + "x" * MAX_ROW + "\nA4,Di\n")
    got = rows(path)
    assert got[0] == RosterRow(2, 2, ("A1", "Ann\nAnn"))
    assert got[1] == BadRow(3, 4, "row 3: has 3 cells but the header has 2 columns",
                            "a value with a comma in it must be in double quotes")
    assert got[2] == BadRow(4, 5, "row 4: longer than 10,000 characters",
                            "a quote mark left open runs a row on into the next ones")
    assert got[3] == RosterRow(5, 6, ("A4", "Di"))


def test_a_field_over_the_csv_limit_is_a_bad_row_not_a_traceback(tmp_path):
    path = write(tmp_path, 'id,name\nA1,"' + "x" * 200_000 + '"\nA2,Bo\n')
    got = rows(path)
    assert isinstance(got[0], BadRow) and got[0].number == 2 and "x" not in got[0].message
    assert got[-1] == RosterRow(3, 3, ("A2", "Bo"))


@pytest.mark.parametrize("header, sep", [
    ("id,name", ","), ("id;name", ";"), ("id\tname", "\t"), ('"a,b";c', ";"), ('"a;b;c",d', ","),
    ("name", ","), ("a;b,c;d", ";"), ("a\tb,c\td", "\t"), ("a,b,c;d", ","), ("a;b;c\td", ";"),
])
def test_delimiter_is_the_one_used_most_outside_quotes(header, sep):
    assert delimiter(header) == sep


def test_a_quoted_header_with_commas_does_not_fool_the_delimiter(tmp_path):
    path = write(tmp_path, '"name, full";date\n"Ann, B";2026-11-23\n')
    assert read_roster(path).header == ("name, full", "date")
    assert rows(path) == [RosterRow(2, 2, ("Ann, B", "2026-11-23"))]


def test_a_single_column_roster(tmp_path):
    path = write(tmp_path, "name\nAnn\nBo\n")
    assert read_roster(path).header == ("name",)
    assert [r.cells for r in rows(path)] == [("Ann",), ("Bo",)]


@pytest.mark.parametrize("data", [b"", b"\n\n \n", codecs.BOM_UTF8])
def test_an_empty_roster_is_refused(tmp_path, data):
    path = write(tmp_path, data)
    assert refusal(path) == [f"{path}:1:1: error: the roster is empty (expected a header row naming the fields)"]


def test_a_header_only_roster_has_no_rows(tmp_path):
    roster = read_roster(write(tmp_path, "id,name\n"))
    assert roster.total == 0 and list(roster.rows()) == []


@pytest.mark.parametrize("data, text", [
    (codecs.BOM_UTF8 + "id,name\nZoë\n".encode(), "id,name\nZoë\n"),
    (codecs.BOM_UTF16_LE + "id,name\nZoë\n".encode("utf-16-le"), "id,name\nZoë\n"),
    (codecs.BOM_UTF16_BE + "id,name\nZoë\n".encode("utf-16-be"), "id,name\nZoë\n"),
    ("id,name\nZoë\n".encode(), "id,name\nZoë\n"),
    ("id,name\nZoë Müller\n".encode("cp1252"), "id,name\nZoë Müller\n"),
    (b"id,name\n\x80 5\n", "id,name\n€ 5\n"),
])
def test_encodings_decided_from_evidence(tmp_path, data, text):
    assert decode(data, tmp_path / "r.csv") == text


def test_utf16_big_endian_roster_reads_whole(tmp_path):
    path = write(tmp_path, codecs.BOM_UTF16_BE + "id\tname\r\nA1\tJosé\r\n".encode("utf-16-be"))
    assert rows(path) == [RosterRow(2, 2, ("A1", "José"))]


def test_a_file_mixing_utf8_and_windows_1252_names_its_first_bad_row(tmp_path):
    data = "id,name\nA1,Zoë\nA2,\"two\nlines\"\n".encode() + "A3,Zoë\n".encode("cp1252") + "A4,Zoë\n".encode()
    path = write(tmp_path, data)
    assert refusal(path) == [f"{path}:5:1: error: row 4: the file mixes UTF-8 with another encoding, so its accented "
                             "letters cannot be read for sure (save the whole roster again as CSV UTF-8)"]


def test_a_bad_byte_at_the_start_of_a_row_names_that_row(tmp_path):
    path = write(tmp_path, "id,name\nA1,Zoë\n".encode() + b"\xe9,x\n")
    assert refusal(path)[0].startswith(f"{path}:3:1: error: row 3: the file mixes UTF-8")


def test_a_bom_that_lies_is_refused(tmp_path):
    path = write(tmp_path, codecs.BOM_UTF8 + b"id,name\n\xff\n")  # \xff is byte 9 after the mark
    assert refusal(path) == [f"{path}:1:1: error: the file starts with a UTF-8-SIG mark but is not UTF-8-SIG text "
                             "(byte 9) (export the spreadsheet as CSV, one patient per row under a header row "
                             "naming the fields)"]


def test_a_bad_byte_in_the_header_names_row_1(tmp_path):
    path = write(tmp_path, "id,n\xe4me\n".encode("cp1252") + "A1,Zoë\n".encode())
    assert refusal(path)[0].startswith(f"{path}:1:1: error: row 1: the file mixes UTF-8")


def test_a_bad_byte_after_old_mac_line_ends_names_its_row_and_line(tmp_path):
    path = write(tmp_path, "id,name\rA1,Zoë\r".encode() + b"\xc9mile,x\r")  # the bad byte starts row 3
    assert refusal(path)[0].startswith(f"{path}:3:1: error: row 3: the file mixes UTF-8")


def test_a_bad_byte_after_windows_line_ends_names_its_row_and_line(tmp_path):
    path = write(tmp_path, "id,name\r\nA1,\"Zoë\r\nB\"\r\n".encode() + b"\xc9mile,x\r\n")
    assert refusal(path)[0].startswith(f"{path}:4:1: error: row 3: the file mixes UTF-8")


def test_bytes_windows_1252_leaves_undefined_are_replaced_not_fatal(tmp_path):
    assert decode(b"id,name\n\x81\n", tmp_path / "r.csv") == "id,name\n\ufffd\n"


def test_the_delimiter_comes_from_the_header_line_only(tmp_path):
    path = write(tmp_path, "id;name\nA1;Smith, John, Jr, and, more\n")
    assert read_roster(path).header == ("id", "name")
    assert rows(path) == [RosterRow(2, 2, ("A1", "Smith, John, Jr, and, more"))]


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.4\n%secret Ann Smith\n", "this is a PDF, not a CSV roster"),
    (b"id,name\n" + bytes(range(32)) * 8 + b"Ann Smith\n", "this file holds binary data, not a CSV roster"),
    (b"\x89PNG\r\n\x1a\nAnn Smith", "this is a PNG image, not a CSV roster"),
    (b"PK\x03\x04Ann Smith", "this is a ZIP archive (an .xlsx or .ods workbook?), not a CSV roster"),
    (b"GIF89aAnn Smith", "this is a GIF image, not a CSV roster"),
    (b"kind: checklist\ntitle: Ann Smith, aftercare\n", "this looks like a YAML file (an aid?), not a CSV roster"),
    (b"# a comment\nname,date\n", "this looks like a YAML file (an aid?), not a CSV roster"),
    (b"---\nname,date\n", "this looks like a YAML file (an aid?), not a CSV roster"),
])
def test_a_file_that_is_not_a_roster_is_one_error_that_quotes_nothing(tmp_path, data, message):
    path = write(tmp_path, data)
    (got,) = refusal(path)
    assert got.startswith(f"{path}:1:1: error: {message} (")
    assert "Ann" not in got and "Smith" not in got


@pytest.mark.parametrize("name", ["aid.yaml", "aid.YML"])
def test_a_yaml_file_is_refused_by_its_name(tmp_path, name):
    path = write(tmp_path, "name,date\nAnn,2026-11-23\n", name=name)
    assert refusal(path) == [f"{path}:1:1: error: this looks like a YAML file (an aid?), not a CSV roster "
                             "(give the aid first and the roster after --roster)"]


def test_a_missing_roster_is_a_located_error(tmp_path):
    assert refusal(tmp_path / "gone.csv") == [f"{tmp_path / 'gone.csv'}:1:1: error: cannot read the roster: "
                                              "No such file or directory"]


def test_a_header_the_csv_reader_refuses(tmp_path):
    path = write(tmp_path, '\n"' + "x" * 200_000 + '"\n')
    assert refusal(path) == [f"{path}:2:1: error: row 2: the header row cannot be read as CSV (export the spreadsheet "
                             "as CSV, one patient per row under a header row naming the fields)"]


# ── a control character touches only its row ──────────────────────────────────────────


CONTROL_HINT = "retype the value in the spreadsheet, then export it again as CSV"


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x9b"])
def test_a_control_character_refuses_its_row_by_row_and_column_only(tmp_path, char):
    """Rows 2 and 4 are read; row 3 (line 3) is refused naming column 'name', never the value."""
    path = write(tmp_path, f"id,name,date\nA1,Ann,2026-11-23\nA2,Secret{char}Person,2026-11-23\nA3,Bo,2026-11-24\n")
    found = rows(path)
    assert found[0] == RosterRow(2, 2, ("A1", "Ann", "2026-11-23"))
    assert found[2] == RosterRow(4, 4, ("A3", "Bo", "2026-11-24"))
    assert found[1] == BadRow(3, 3, f"row 3, column 'name': holds a control character (U+{ord(char):04X}) that "
                                    "no one types", CONTROL_HINT)
    assert "Secret" not in found[1].message + found[1].hint


def test_a_control_character_in_an_unnamed_column_names_the_column_by_number(tmp_path):
    path = write(tmp_path, "id,name,\nA1,Ann,x\x00y\n")
    assert rows(path) == [BadRow(2, 2, "row 2, column 3: holds a control character (U+0000) that no one types",
                                 CONTROL_HINT)]


@pytest.mark.parametrize("sep", ["\x0b", "\u2028", "\u2029", "\x0c"])
def test_a_line_break_inside_a_cell_stays_inside_its_value(tmp_path, sep):
    """How FileMaker (a vertical tab) and others write a new line in a field: the row is
    read whole, the break kept in its cell (aidpress/patient.py judges it by field)."""
    path = write(tmp_path, f"id,name,area\nA1,Ann,lower back{sep}and neck\nA2,Bo,knee\n")
    assert read_roster(path).header == ("id", "name", "area")
    assert rows(path) == [RosterRow(2, 2, ("A1", "Ann", f"lower back{sep}and neck")), RosterRow(3, 3, ("A2", "Bo", "knee"))]


def test_a_control_character_in_the_header_refuses_the_file_at_its_row(tmp_path):
    path = write(tmp_path, "\n id,na\x00me\nA1,Ann\n")
    assert refusal(path) == [f"{path}:2:1: error: row 2: the header row holds a control character (retype the "
                             "column names, then export the spreadsheet again as CSV)"]


def test_a_file_is_binary_only_when_more_than_30_percent_of_it_is_unprintable(tmp_path):
    """100 characters: 30 control characters are still a roster (rows refused one by one), 31 are not."""
    head = "id,name\n"  # 8 characters
    for controls, binary in ((30, False), (31, True)):
        text = head + "A," + "\x01" * controls + "x" * (100 - len(head) - 2 - controls - 1) + "\n"
        assert len(text) == 100
        path = write(tmp_path, text)
        if binary:
            assert refusal(path) == [f"{path}:1:1: error: this file holds binary data, not a CSV roster (export the "
                                     "spreadsheet as CSV, one patient per row under a header row naming the fields)"]
        else:
            (row,) = rows(path)
            assert isinstance(row, BadRow) and row.number == 2


@pytest.mark.parametrize("data, kind", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1Ann", "an Excel workbook (.xls)"), (b"\xff\xd8\xff\xe0Ann", "a JPEG image"),
    (b"\x1f\x8b\x08\x00Ann", "a gzip archive"), (b"%PDF-1.7", "a PDF"),
])
def test_a_known_binary_file_is_named_by_its_signature(tmp_path, data, kind):
    path = write(tmp_path, data)
    assert refusal(path) == [f"{path}:1:1: error: this is {kind}, not a CSV roster (export the spreadsheet as CSV, "
                             "one patient per row under a header row naming the fields)"]


def test_a_control_character_row_keeps_its_number_and_its_line_apart(tmp_path):
    """Row 2 spans lines 2-3 (a quoted line break), so row 3 starts on line 4."""
    path = write(tmp_path, 'id,name\nA1,"a\nb"\nA2,x\x00y\n')
    assert rows(path)[1] == BadRow(3, 4, "row 3, column 'name': holds a control character (U+0000) that no one "
                                         "types", CONTROL_HINT)


def test_a_roster_problem_without_a_hint_has_none(tmp_path):
    roster = read_roster(write(tmp_path, "id,name\nA1,Ann\n"))
    assert str(roster.problem(2, "m")) == f"{tmp_path / 'roster.csv'}:2:1: error: m"
