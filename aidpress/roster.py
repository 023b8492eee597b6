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
from typing import Iterator

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


def read_roster(path: Path) -> tuple[list[str], Iterator[RosterRow], int]:
    """The header, the data rows (read lazily, as the caller goes), and how many there are."""
    try:
        text = decode(Path(path).read_bytes())
    except OSError as exc:
        raise RosterError(f"{path}: error: cannot read roster: {exc.strerror}")
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    sep = delimiter(first_line)

    def records():  # (spreadsheet row number, cells) for every non-blank record; a blank line is a row too
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=sep), start=1):
            if any(cell.strip() for cell in record):
                yield number, record

    head = next(records(), None)
    if head is None:
        raise RosterError(f"{path}: error: the roster is empty (expected a header row naming the fields)")
    header = [h.strip() for h in head[1]]
    if len({h.lower() for h in header}) != len(header):
        raise RosterError(f"{path}: error: the header row names a column twice")

    def rows() -> Iterator[RosterRow]:
        data = records()
        next(data)  # the header
        for number, record in data:
            yield RosterRow(number, {h: (record[i].strip() if i < len(record) else "")
                                     for i, h in enumerate(header) if h})

    total = sum(1 for _ in records()) - 1
    return header, rows(), total
