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

Print runs are tagged (layouts/sheet_tags.py): a joined file gets one structure tree (one
Document holding every part's elements, one parent tree, each page's key its index in the
file) and each split file the elements whose content is on its pages, under its own
Document; the elements themselves are copied through like any object, references
renumbered. pikepdf was measured for both and is slower at splitting; it keeps no
structure tree when it copies pages (docs/performance.md, "Per-patient sheets").
"""

from __future__ import annotations

import hashlib
from array import array
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .engine import WrittenPdf, copied_object
from .sheet_tags import STRUCT_PARENTS, TagError, Tree, dictionary, entry, reach, refs_in, tree_of, write
from .tagging import xmp
from .text import pdf_string

PAGES, CATALOG, INFO = 1, 2, 3  # the joined file's own objects
ROOT, PARENTS, DOCUMENT, METADATA = 4, 5, 6, 7  # and its structure tree's (a tagged file)
OWN = 7
HEADER = b"%PDF-1.4\n%\x93\x8c\x8b\x9e aidpress\n"
TREE_OWN = (b"/Type", b"/K", b"/ParentTree", b"/ParentTreeNextKey")  # what the new tree root sets itself
DOCUMENT_OWN = (b"/Type", b"/S", b"/K", b"/P")  # and its Document


def join_streaming(parts: Iterable[Path], out: BinaryIO, *, title: str, language: str) -> int:
    """Write the parts as one PDF to `out`; return the number of pages. Tagged parts
    (every print run is) give one structure tree: one Document holding every part's
    elements, a parent tree entry for every page (its key the page's index)."""
    digest = hashlib.md5()
    offsets = _Offsets()  # the joined file's objects are many (a structure tree per sheet): 8 bytes each
    kids: list[int] = []
    position = 0
    structure = _Joined()

    def emit(chunk: bytes) -> None:
        nonlocal position
        out.write(chunk)
        digest.update(chunk)
        position += len(chunk)

    emit(HEADER)
    shift = OWN  # the part's objects are numbered after the joined file's own
    for path in parts:
        part = WrittenPdf(path.read_bytes())
        tree = tree_of(part)
        skip = {part.root, part.info, part.pages}
        if tree is not None:
            skip |= {tree.root, tree.parent_tree, tree.document, *(e for e in tree.entries.values() if isinstance(e, int))}

        document = tree.document if tree is not None else None

        def renumber(number: int, part=part, shift=shift, document=document) -> int:
            if number == part.pages:
                return PAGES
            if number == document:
                return DOCUMENT
            return number + shift

        structure.add(part, tree, renumber, len(kids))
        pages = set(part.kids)
        for number, body in part.objects.items():
            if number in skip:
                continue
            offsets[number + shift] = position
            chunk = copied_object(number + shift, body, renumber)
            if tree is not None and number in pages:  # its parent tree key: its index in the joined file
                chunk = _keyed(chunk, tree.page_keys[number] + len(kids))
            emit(chunk)
        kids += [kid + shift for kid in part.kids]
        shift += max(part.objects)

    for number, body in own_objects(kids, title, language, structure.tree(len(kids))).items():
        offsets[number] = position
        emit(b"%d 0 obj\n" % number + body + b"endobj\n")
    for chunk in xref_chunks(offsets, position, digest.hexdigest().encode()):
        out.write(chunk)
    return len(kids)


class _Offsets:
    """Where each object starts, by object number (0: no such object), as an array."""

    def __init__(self):
        self.at = array("Q")

    def __setitem__(self, number: int, position: int) -> None:
        if number >= len(self.at):
            self.at.frombytes(bytes(self.at.itemsize * (number + 1 - len(self.at))))
        self.at[number] = position

    def __contains__(self, number: int) -> bool:
        return number < len(self.at) and self.at[number] != 0

    def __getitem__(self, number: int) -> int:
        return self.at[number]

    def __iter__(self):
        return (n for n, at in enumerate(self.at) if at)


class _Joined:
    """The structure tree of a joined file, gathered part by part: every tagged or none."""

    def __init__(self):
        self.tagged: bool | None = None
        self.kids: list[bytes] = []
        self.nums: list[bytes] = []
        self.root_extra = self.document_extra = b""

    def add(self, part: WrittenPdf, tree: Tree | None, renumber, first_page: int) -> None:
        if self.tagged is None:
            self.tagged = tree is not None
            if tree is not None:
                self.root_extra = _extra(tree.root_dict, TREE_OWN, renumber)
                self.document_extra = _extra(dictionary(part.objects[tree.document]), DOCUMENT_OWN, renumber)
        if self.tagged != (tree is not None):
            raise TagError("some parts are tagged and some not: the joined file would be half tagged")
        if tree is None:
            return
        # One string per part (not per element): the joined tree of 10,000 sheets stays a few MB.
        self.kids.append(b" ".join(write(k, renumber) for k in _listed(dictionary(part.objects[tree.document]).get(b"/K"))))
        self.nums.append(b"\n".join(b"%d %s" % (key + first_page, write(entry(part, tree, key), renumber))
                                    for key in sorted(tree.entries)))

    def tree(self, pages: int) -> dict[int, bytes] | None:
        if not self.tagged:
            return None
        return tree_objects(self.kids, self.nums, pages, self.root_extra, self.document_extra)


def _listed(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def _extra(d: dict, own: tuple, renumber) -> bytes:
    """A dictionary's entries other than `own`, written (references renumbered)."""
    return b"".join(b" " + k + b" " + write(v, renumber) for k, v in d.items() if k not in own)


def _keyed(chunk: bytes, key: int) -> bytes:
    """A page object with its /StructParents set to `key`."""
    return STRUCT_PARENTS.sub(b"/StructParents %d" % key, chunk, count=1)


def tree_objects(kids: list[bytes], nums: list[bytes], pages: int, root_extra: bytes = b"",
                 document_extra: bytes = b"") -> dict[int, bytes]:
    """The structure tree root, parent tree and Document of a file this module writes."""
    return {
        ROOT: b"<<\n/Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d%s\n>>\n"
              % (DOCUMENT, PARENTS, pages, root_extra),
        PARENTS: b"<<\n/Nums [ " + b"\n".join(nums) + b" ]\n>>\n",
        DOCUMENT: b"<<\n/Type /StructElem /S /Document /P %d 0 R /K [ %s ]%s\n>>\n"
                  % (ROOT, b" ".join(kids), document_extra),
    }


def own_objects(kids: list[int], title: str, language: str, tree: dict[int, bytes] | None = None) -> dict[int, bytes]:
    """The page tree, catalog and info of a PDF this module writes; with `tree` (its
    structure tree's objects), the catalog says it is tagged and the XMP packet says PDF/UA."""
    catalog = b"/Lang %s /PageMode /UseNone /Pages %d 0 R /Type /Catalog /ViewerPreferences << /DisplayDocTitle true >>" % (
        pdf_string(language), PAGES)
    own = {PAGES: b"<<\n/Count %d /Kids [ %s ] /Type /Pages\n>>\n" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids))}
    if tree is not None:
        catalog += b" /MarkInfo << /Marked true >> /StructTreeRoot %d 0 R /Metadata %d 0 R" % (ROOT, METADATA)
    own[CATALOG] = b"<<\n" + catalog + b"\n>>\n"
    own[INFO] = b"<<\n/Creator (aidpress) /Producer (aidpress) /Title %s\n>>\n" % pdf_string(title)
    if tree is not None:
        packet = xmp(title, language).encode("utf-8")
        own.update(tree)
        own[METADATA] = (b"<<\n/Length %d /Subtype /XML /Type /Metadata\n>>\nstream\n" % len(packet)
                         + packet + b"\nendstream\n")
    return own


def xref_and_trailer(offsets, xref: int, identifier: bytes) -> bytes:
    return b"".join(xref_chunks(offsets, xref, identifier))


def xref_chunks(offsets, xref: int, identifier: bytes, lines: int = 8192) -> Iterator[bytes]:
    """The cross-reference table and trailer, a few thousand entries at a time."""
    size = max(offsets) + 1
    yield b"xref\n0 %d\n0000000000 65535 f \n" % size
    for first in range(1, size, lines):
        yield b"".join(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
                       for n in range(first, min(first + lines, size)))
    yield (b"trailer\n<<\n/ID [<%s><%s>] /Info %d 0 R /Root %d 0 R /Size %d\n>>\nstartxref\n%d\n%%%%EOF\n"
           % (identifier, identifier, INFO, CATALOG, size, xref))


def split_pages(data: bytes, per: int, *, title: str, language: str) -> Iterator[bytes]:
    """One self-contained PDF for each run of `per` pages of a ReportLab PDF (a print run
    → a file per sheet): each gets copies of just the objects its pages reach (their
    forms, fonts, images), renumbered after its own, and its own page tree, catalog and
    info; a tagged run's file gets the structure elements that hold its pages' content
    (those only) under its own Document, and its own parent tree.
    Deterministic: the same pages make the same bytes."""
    part = WrittenPdf(data)
    tree = tree_of(part)
    outside = {part.root, part.info}
    sheets = _sheets_of_elements(part, tree, per) if tree is not None else {}
    first_own = OWN if tree is not None else INFO
    if tree is not None:
        root_extra = {k: v for k, v in tree.root_dict.items() if k not in TREE_OWN}
        document_extra = {k: v for k, v in dictionary(part.objects[tree.document]).items() if k not in DOCUMENT_OWN}
        # (entries that name no object, such as the ClassMap, are written the same in every file: once)
        fixed_root = None if refs_in(root_extra) else _extra(root_extra, (), None)
        fixed_document = None if refs_in(document_extra) else _extra(document_extra, (), None)
    for sheet, first in enumerate(range(0, len(part.kids), per)):
        kids = part.kids[first:first + per]
        order, seen, todo = [], set(kids), list(kids)
        while todo:  # every object the pages reach, in the order first reached
            number = todo.pop(0)
            order.append(number)
            for ref in part.references(number):
                if ref in outside or (ref in part.kids and ref not in kids):
                    raise ValueError("a page refers outside its sheet")
                if ref != part.pages and ref not in seen:
                    seen.add(ref)
                    todo.append(ref)
        tops = sheets.get(sheet, [])
        if tree is not None:
            order += [n for n in reach(part, tops + refs_in(root_extra),
                                       {tree.document, part.pages, tree.root, *part.kids}) if n not in seen]
        new = {old: n for n, old in enumerate(order, start=first_own + 1)}

        def renumber(number: int, new=new, document=tree.document if tree is not None else None) -> int:
            if number == part.pages:
                return PAGES
            if number == document:
                return DOCUMENT
            if number not in new:
                raise TagError("a structure element of a sheet refers to another sheet's pages")
            return new[number]

        structure = None
        if tree is not None:
            nums = [b"%d %s" % (i, write(entry(part, tree, tree.page_keys[k]), renumber)) for i, k in enumerate(kids)]
            structure = tree_objects([b"%d 0 R" % renumber(t) for t in tops], nums, len(kids),
                                     fixed_root or _extra(root_extra, (), renumber),
                                     fixed_document or _extra(document_extra, (), renumber))
        chunks, offsets = [HEADER], {}
        position = len(HEADER)
        for number, body in own_objects([new[k] for k in kids], title, language, structure).items():
            offsets[number] = position
            chunks.append(b"%d 0 obj\n" % number + body + b"endobj\n")
            position += len(chunks[-1])
        keys = {k: i for i, k in enumerate(kids)}
        for old in order:
            offsets[new[old]] = position
            chunk = copied_object(new[old], part.objects[old], renumber)
            chunks.append(_keyed(chunk, keys[old]) if tree is not None and old in keys else chunk)
            position += len(chunks[-1])
        chunks.append(xref_and_trailer(offsets, position, hashlib.md5(b"".join(chunks)).hexdigest().encode()))
        yield b"".join(chunks)


def _sheets_of_elements(part: WrittenPdf, tree: Tree, per: int) -> dict[int, list[int]]:
    """Each sheet's top-level structure elements (the Document's kids), by the pages their
    content is on (found through references at any depth); an element whose content is on
    two sheets' pages, or on none, cannot go to one file: TagError."""
    index = {page: i // per for i, page in enumerate(part.kids)}
    stop = {tree.document, part.pages, tree.root, tree.parent_tree}
    sheets: dict[int, list[int]] = {}
    for top in refs_in(dictionary(part.objects[tree.document]).get(b"/K")):
        found, seen, todo = set(), set(stop), [top]
        while todo:
            number = todo.pop()
            if number in seen:
                continue
            seen.add(number)
            if number in index:
                found.add(index[number])
                continue
            todo += part.references(number)
        if len(found) != 1:
            raise TagError(f"structure element {top} holds content of {len(found)} sheets, not one")
        sheets.setdefault(found.pop(), []).append(top)
    return sheets
