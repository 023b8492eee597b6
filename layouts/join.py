"""Join ReportLab PDFs into one, streaming: one part in memory at a time; and split one
into a file per sheet (split_pages), copying each sheet's objects through unparsed.

Used for a print run of thousands of sheets, made as parts of a thousand sheets each:
ReportLab keeps every page of a document in memory until it saves, and general PDF
libraries load every part they merge, so memory would grow with the roster. ReportLab's
output is regular (PDF 1.4, a classic cross-reference table, one flat page tree, no
object streams), so the parts' objects can be copied through with their numbers shifted
and the pages re-parented under one page tree. Reading ReportLab's bytes (its objects,
their references) is layouts/engine.py's, behind its contract test; this module decides
which objects go where and writes the new file's own page tree, catalog and xref.
pikepdf was measured for both and is slower here (docs/performance.md, "Per-patient sheets").
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .engine import WrittenPdf, copied_object, references
from .text import pdf_string

PAGES, CATALOG, INFO = 1, 2, 3  # the joined file's own objects
HEADER = b"%PDF-1.4\n%\x93\x8c\x8b\x9e aidpress\n"


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

    emit(HEADER)
    shift = INFO  # the part's objects are numbered after the joined file's own
    for path in parts:
        part = WrittenPdf(path.read_bytes())
        skip = {part.root, part.info, part.pages}

        def renumber(number: int, part=part, shift=shift) -> int:
            return PAGES if number == part.pages else number + shift

        for number, body in part.objects.items():
            if number in skip:
                continue
            offsets[number + shift] = position
            emit(copied_object(number + shift, body, renumber))
        kids += [kid + shift for kid in part.kids]
        shift += max(part.objects)

    for number, body in own_objects(kids, title, language).items():
        offsets[number] = position
        emit(b"%d 0 obj\n" % number + body + b"endobj\n")
    out.write(xref_and_trailer(offsets, position, digest.hexdigest().encode()))
    return len(kids)


def own_objects(kids: list[int], title: str, language: str) -> dict[int, bytes]:
    """The page tree, catalog and info of a PDF this module writes."""
    return {
        PAGES: b"<<\n/Count %d /Kids [ %s ] /Type /Pages\n>>\n" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids)),
        CATALOG: b"<<\n/Lang %s /PageMode /UseNone /Pages %d 0 R /Type /Catalog\n>>\n" % (pdf_string(language), PAGES),
        INFO: b"<<\n/Creator (aidpress) /Producer (aidpress) /Title %s\n>>\n" % pdf_string(title),
    }


def xref_and_trailer(offsets: dict[int, int], xref: int, identifier: bytes) -> bytes:
    size = max(offsets) + 1
    lines = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
    lines += [b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n" for n in range(1, size)]
    lines.append(b"trailer\n<<\n/ID [<%s><%s>] /Info %d 0 R /Root %d 0 R /Size %d\n>>\nstartxref\n%d\n%%%%EOF\n"
                 % (identifier, identifier, INFO, CATALOG, size, xref))
    return b"".join(lines)


def split_pages(data: bytes, per: int, *, title: str, language: str) -> Iterator[bytes]:
    """One self-contained PDF for each run of `per` pages of a ReportLab PDF (a print run
    → a file per sheet): each gets copies of just the objects its pages reach (their
    forms, fonts, images), renumbered from 4, and its own page tree, catalog and info.
    Deterministic: the same pages make the same bytes."""
    part = WrittenPdf(data)
    outside = {part.root, part.info}
    for first in range(0, len(part.kids), per):
        kids = part.kids[first:first + per]
        order, seen, todo = [], set(kids), list(kids)
        while todo:  # every object the pages reach, in the order first reached
            number = todo.pop(0)
            order.append(number)
            for ref in references(part.objects[number]):
                if ref in outside or (ref in part.kids and ref not in kids):
                    raise ValueError("a page refers outside its sheet")
                if ref != part.pages and ref not in seen:
                    seen.add(ref)
                    todo.append(ref)
        new = {old: n for n, old in enumerate(order, start=INFO + 1)}

        def renumber(number: int, new=new) -> int:
            return PAGES if number == part.pages else new[number]

        chunks, offsets = [HEADER], {}
        position = len(HEADER)
        for number, body in own_objects([new[k] for k in kids], title, language).items():
            offsets[number] = position
            chunks.append(b"%d 0 obj\n" % number + body + b"endobj\n")
            position += len(chunks[-1])
        for old in order:
            offsets[new[old]] = position
            chunks.append(copied_object(new[old], part.objects[old], renumber))
            position += len(chunks[-1])
        chunks.append(xref_and_trailer(offsets, position, hashlib.md5(b"".join(chunks)).hexdigest().encode()))
        yield b"".join(chunks)
