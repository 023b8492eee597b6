"""Read a roster CSV as spreadsheets really export it, and refuse what it cannot read for sure.

Handles UTF-8 with or without a BOM, UTF-16 with a BOM ("Unicode text"), Windows-1252
from older spreadsheets, comma, semicolon or tab delimiters, quoted fields with commas
and line breaks, and blank lines. The encoding is decided from evidence for the whole
file, never guessed per character: a file that mixes UTF-8 and another encoding is an
error, not mojibake on every sheet. Rows are numbered as a spreadsheet shows them (the
header is row 1) and carry the physical line they start on, so a message points at a
place a person can find. No message ever quotes a cell: the header's column names at most.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import Location, Problem, Refusal

MAX_ROW = 10_000  # characters in one row: far more than any patient's details need

_MULTIBYTE = re.compile(  # one well-formed UTF-8 sequence of two to four bytes
    rb"[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}"
    rb"|\xED[\x80-\x9F][\x80-\xBF]|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}"
    rb"|\xF4[\x80-\x8F][\x80-\xBF]{2}")
# Control characters no spreadsheet types: one refuses its row. (A vertical tab, form feed or
# line separator is a line break inside a cell: aidpress/patient.py judges those by field.)
_CONTROL = re.compile(r"[\x00-\x08\x0E-\x1F\x7F\x80-\x84\x86-\x9F]")
BINARY_SHARE = 0.3  # a file this much unprintable is binary data, not a roster with a few bad cells
SIGNATURES = {b"%PDF": "a PDF", b"PK\x03\x04": "a ZIP archive (an .xlsx or .ods workbook?)",
              b"\xd0\xcf\x11\xe0": "an Excel workbook (.xls)", b"GIF8": "a GIF image", b"\x89PNG": "a PNG image",
              b"\xff\xd8\xff": "a JPEG image", b"\x1f\x8b": "a gzip archive"}
_YAML = re.compile(r"(---|%YAML|#|[A-Za-z_][\w-]*:(\s|$))")
SAVE_AS_CSV = "export the spreadsheet as CSV, one patient per row under a header row naming the fields"


class RosterError(Refusal):
    """The roster as a whole cannot be used; carries its problems (never a cell's text)."""


@dataclass(frozen=True)
class RosterRow:
    """One data row, its cells lined up with the header's columns."""

    number: int  # spreadsheet row number (header = 1)
    line: int  # the physical line the row starts on
    cells: tuple[str, ...]  # as many as the header has columns, stripped


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be read as the header says; the message names no value."""

    number: int
    line: int
    message: str
    hint: str


def problem(path: Path, line: int, message: str, hint: str = "") -> Problem:
    return Problem(Location(str(path), line, 1), (), message, hint)


def decode(data: bytes, path: Path) -> str:
    """The text of the file: BOM, else UTF-8 if all of it is, else Windows-1252 if none
    of it is UTF-8 beyond ASCII. Anything else is an error naming the first bad row."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise RosterError([problem(path, 1, f"the file starts with a {encoding.upper()} mark but is "
                                                    f"not {encoding.upper()} text (byte {exc.start + 1})",
                                           SAVE_AS_CSV)]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not _MULTIBYTE.search(data):
            return data.decode("cp1252", errors="replace")  # an older spreadsheet's export
        good = data[:exc.start].decode("utf-8")
        row = _row_at(good)
        raise RosterError([problem(
            path, len(re.split(r"\r\n|\r|\n", good)), f"row {row}: the file mixes UTF-8 with another encoding, so its "
            "accented letters cannot be read for sure", "save the whole roster again as CSV UTF-8")]) from None


def _row_at(text: str) -> int:
    """The spreadsheet row number of the record that goes on at the end of `text`."""
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(first_line(text))))
    ended = not text or text.endswith(("\n", "\r"))
    return max(1, len(records) + (1 if ended else 0))


def first_line(text: str) -> str:
    """The first line with something on it: the header's, as the CSV reader will find it."""
    return next((line for line in re.split(r"\r\n|\r|\n", text) if line.strip()), "")


def delimiter(header_line: str) -> str:
    """The delimiter is whichever of , ; tab the header line uses most (outside quotes)."""
    outside, quoted = [], False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(ch)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def records(text: str, sep: str) -> Iterator[tuple[int, int, list[str] | None]]:
    """(row number, first physical line, cells) for every record, blank ones too;
    cells is None for a record the CSV reader refuses (e.g. a field over its limit)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    number, line = 0, 1
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            record = None
        yield number, line, record
        line = reader.line_num + 1


def _blank(record: list[str] | None) -> bool:
    return record is not None and not any(cell.strip() for cell in record)


@dataclass(frozen=True)
class Roster:
    """A CSV roster as read: its header, and its rows read on demand."""

    path: Path
    header: tuple[str, ...]  # column names, stripped ("" for an unnamed column)
    header_line: int
    total: int  # data rows, blank lines not counted
    text: str
    sep: str

    def rows(self) -> Iterator[RosterRow | BadRow]:
        """Every non-blank data row, read lazily; a row that does not match the header is a BadRow."""
        width = len(self.header)
        for number, line, record in records(self.text, self.sep):
            if line <= self.header_line or _blank(record):
                continue
            if record is None or sum(map(len, record)) > MAX_ROW:
                yield BadRow(number, line, f"row {number}: longer than {MAX_ROW:,} characters",
                             "a quote mark left open runs a row on into the next ones")
            elif len(record) != width:
                yield BadRow(number, line, f"row {number}: has {len(record)} cells but the header has {width} "
                                           "columns", "a value with a comma in it must be in double quotes")
            elif any(_CONTROL.search(cell) for cell in record):
                yield self._control(number, line, record)
            else:
                yield RosterRow(number, line, tuple(cell.strip() for cell in record))

    def problem(self, line: int, message: str, hint: str = "") -> Problem:
        return problem(self.path, line, message, hint)

    def _control(self, number: int, line: int, record: list[str]) -> BadRow:
        """The row refused for the first control character in it, by row and column (never the value)."""
        i, found = next((i, m) for i, m in enumerate(map(_CONTROL.search, record)) if m)
        column = f"column '{self.header[i]}'" if self.header[i] else f"column {i + 1}"
        return BadRow(number, line, f"row {number}, {column}: holds a control character "
                                    f"(U+{ord(found.group()):04X}) that no one types",
                      "retype the value in the spreadsheet, then export it again as CSV")


def read_roster(path: Path) -> Roster:
    """The roster's header and rows; RosterError if the file is not a roster at all."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterError([problem(path, 1, f"cannot read the roster: {exc.strerror}")]) from None
    kind = next((what for mark, what in SIGNATURES.items() if data.startswith(mark)), None)
    if kind:
        raise RosterError([problem(path, 1, f"this is {kind}, not a CSV roster", SAVE_AS_CSV)])
    text = decode(data, path)
    if len(_CONTROL.findall(text)) > BINARY_SHARE * len(text):
        raise RosterError([problem(path, 1, "this file holds binary data, not a CSV roster", SAVE_AS_CSV)])
    line = first_line(text)
    if path.suffix.lower() in (".yaml", ".yml") or _YAML.match(line):
        raise RosterError([problem(path, 1, "this looks like a YAML file (an aid?), not a CSV roster",
                                   "give the aid first and the roster after --roster")])
    sep = delimiter(line)
    head = next(((n, ln, r) for n, ln, r in records(text, sep) if not _blank(r)), None)
    if head is None:
        raise RosterError([problem(path, 1, "the roster is empty", "expected a header row naming the fields")])
    number, header_line, cells = head
    if cells is None:
        raise RosterError([problem(path, header_line, f"row {number}: the header row cannot be read as CSV",
                                   SAVE_AS_CSV)])
    if any(_CONTROL.search(cell) for cell in cells):
        raise RosterError([problem(path, header_line, f"row {number}: the header row holds a control character",
                                   "retype the column names, then export the spreadsheet again as CSV")])
    total = sum(1 for n, ln, r in records(text, sep) if ln > header_line and not _blank(r))
    return Roster(path, tuple(c.strip() for c in cells), header_line, total, text, sep)
