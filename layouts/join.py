"""Join ReportLab PDFs into one, streaming: one part in memory at a time.

Used for a print run of thousands of sheets, made as parts of a thousand sheets each:
ReportLab keeps every page of a document in memory until it saves, and general PDF
libraries load every part they merge, so memory would grow with the roster. ReportLab's
output is regular (PDF 1.4, a classic cross-reference table, one flat page tree, no
object streams), so the parts' objects can be copied through with their numbers shifted
and the pages re-parented under one page tree.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import BinaryIO, Iterable

from .engine import REF, WrittenPdf
from .text import pdf_string

PAGES, CATALOG, INFO = 1, 2, 3  # the joined file's own objects


def join_streaming(parts: Iterable[Path], out: BinaryIO, *, title: str, language: str) -> int:
    """Write the parts as one PDF to `out`; return the number of pages."""
    digest = hashlib.md5()
    offsets: dict[int, int] = {}
    kids: list[int] = []
    position = 0

    def emit(chunk: bytes) -> None:
        nonlocal position
        out.write(chunk)
        digest.update(chunk)
        position += len(chunk)

    emit(b"%PDF-1.4\n%\x93\x8c\x8b\x9e aidpress\n")
    shift = INFO  # the part's objects are numbered after the joined file's own
    for path in parts:
        part = WrittenPdf(path.read_bytes())
        skip = {part.root, part.info, part.pages}

        def renumber(match: re.Match) -> bytes:
            number = int(match.group(1))
            return b"%d 0 R" % (PAGES if number == part.pages else number + shift)

        for number, body in part.objects.items():
            if number in skip:
                continue
            split = body.find(b">>\nstream\n")
            head, tail = (body, b"") if split < 0 else (body[:split], body[split:])
            offsets[number + shift] = position
            emit(b"%d 0 obj\n" % (number + shift) + REF.sub(renumber, head) + tail + b"endobj\n")
        kids += [kid + shift for kid in part.kids]
        shift += max(part.objects)

    own = {
        PAGES: b"<<\n/Count %d /Kids [ %s ] /Type /Pages\n>>\n" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids)),
        CATALOG: b"<<\n/Lang %s /PageMode /UseNone /Pages %d 0 R /Type /Catalog\n>>\n" % (pdf_string(language), PAGES),
        INFO: b"<<\n/Creator (aidpress) /Producer (aidpress) /Title %s\n>>\n" % pdf_string(title),
    }
    for number, body in own.items():
        offsets[number] = position
        emit(b"%d 0 obj\n" % number + body + b"endobj\n")
    size = max(offsets) + 1
    xref = position
    lines = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
    lines += [b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n" for n in range(1, size)]
    identifier = digest.hexdigest().encode()
    lines.append(b"trailer\n<<\n/ID [<%s><%s>] /Info %d 0 R /Root %d 0 R /Size %d\n>>\nstartxref\n%d\n%%%%EOF\n"
                 % (identifier, identifier, INFO, CATALOG, size, xref))
    out.write(b"".join(lines))
    return len(kids)
