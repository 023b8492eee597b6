"""Read a roster CSV as spreadsheets really export it.

Handles UTF-8 with or without a BOM, UTF-16 with a BOM ("Unicode text"), Windows-1252
from older spreadsheets, comma, semicolon or tab delimiters, quoted fields with commas
and line breaks, and blank lines. Rows are numbered as a spreadsheet shows them
(the header is row 1), so errors point at the row a person can find.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import AidpressError


class RosterError(AidpressError):
    pass


@dataclass(frozen=True)
class RosterRow:
    number: int  # spreadsheet row number (header = 1)
    cells: dict[str, str]  # column name → text


def decode(data: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # older Excel exports


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


def read_roster(path: Path) -> tuple[list[str], list[RosterRow]]:
    try:
        text = decode(Path(path).read_bytes())
    except OSError as exc:
        raise RosterError(f"{path}: error: cannot read roster: {exc.strerror}")
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(first_line))
    header: list[str] | None = None
    rows: list[RosterRow] = []
    for number, record in enumerate(reader, start=1):  # a blank line is a row too
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [h.strip() for h in record]
            if len(set(h.lower() for h in header)) != len(header):
                raise RosterError(f"{path}: error: the header row names a column twice")
            continue
        cells = {h: (record[i].strip() if i < len(record) else "") for i, h in enumerate(header) if h}
        rows.append(RosterRow(number, cells))
    if header is None:
        raise RosterError(f"{path}: error: the roster is empty (expected a header row naming the fields)")
    return header, rows
