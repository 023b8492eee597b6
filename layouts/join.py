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

from .text import pdf_string

REF = re.compile(rb"(\d+) 0 R\b")
PAGES, CATALOG, INFO = 1, 2, 3  # the joined file's own objects


class PdfFile:
    """The objects of one ReportLab PDF, by number, split into dictionary and stream."""

    def __init__(self, data: bytes):
        start = int(data[data.rindex(b"startxref") + 9:].split()[0])
        lines = data[start:].split(b"\n")
        count = int(lines[1].split()[1])
        offsets = [int(line[:10]) for line in lines[2:2 + count]][1:]  # entry 0 is the free head
        trailer = data[data.rindex(b"trailer"):]
        self.root = int(re.search(rb"/Root (\d+) 0 R", trailer).group(1))
        self.info = int(re.search(rb"/Info (\d+) 0 R", trailer).group(1))
        ends = offsets[1:] + [start]
        self.objects = {}
        for number, (begin, end) in enumerate(zip(offsets, ends), start=1):
            body = data[begin:end]
            body = body[body.index(b"obj\n") + 4:body.rindex(b"endobj")]
            self.objects[number] = body
        self.pages = int(re.search(rb"/Pages (\d+) 0 R", self.objects[self.root]).group(1))
        self.kids = [int(n) for n in REF.findall(re.search(rb"/Kids \[([^\]]*)\]", self.objects[self.pages]).group(1))]


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
        part = PdfFile(path.read_bytes())
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
