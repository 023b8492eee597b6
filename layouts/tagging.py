"""Tagged PDF: the structure tree a screen reader follows (docs/accessibility.md).

A handout is tagged as its held pages are written (page.HandoutCanvas.emit_pages), in the
same pass as the rest of the PDF, from what each page's drawing already says:

- every unit mark of units.py (`/AidKeep <</MCID n>> BDC` …) is one content item: its
  MCID is the unit's identity, shared by the parts of a unit split over two pages, so the
  element gets one marked-content reference per page. Headings (AidHead, AidTrailHead)
  become H1–H3 from the level the heading notes here (`heading`), never skipping a level;
  a unit with one text object is a `P`, with several a `Div` (a question with its answer
  boxes, a table row, the clinic box: read in drawing order, not yet as a table or list);
- a table's header row repeated on a later page (AidHeadRow seen on an earlier page) is
  wrapped in `/Artifact <</Type /Pagination>>`, so it is read once;
- whatever is drawn outside any mark is wrapped here: each piece (a flowable's balanced
  q … Q) that shows text becomes a `P` (one text object) or a `Div` (several), a piece
  that only paints (rules, background fills, lines) an `/Artifact`;
- the running header and footer are drawn by page.Chrome inside pagination artifacts.

Elements follow the drawing order (the reading order of a handout: one frame per page),
all children of one `Document`. The unit marks stay as the page audit reads them
(aidpress/audit.py; pdfplumber sees each character's innermost tag and MCID).

MCIDs are the unit numbers, counted per document (from 0, see HandoutCanvas): a page's
ParentTree array is indexed by them, so entries for MCIDs drawn on other pages are null.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from . import engine

UNIT = re.compile(r"^/(\w+) <</MCID (\d+)>> BDC$")
BEGINS = ("BDC", "BMC")
SHOWS_TEXT = re.compile(r"\bT[jJ]\b|'\s*$")
PAINTS = re.compile(r"(?:^|\s)(?:re|S|s|f\*?|F|B\*?|b\*?|Do|sh)\s*$|(?:^|\s)(?:S|f\*?|B\*?|b\*?|Do|sh)\s")
TEXT_OBJECT = re.compile(r"\bBT\b")
HEADINGS = ("AidHead", "AidTrailHead")
PAGINATION = "/Artifact <</Type /Pagination>> BDC"
DECORATION = "/Artifact BMC"


def header_artifact() -> str:
    return "/Artifact <</Type /Pagination /Subtype /Header>> BDC"


def footer_artifact() -> str:
    return "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"


@dataclass
class Element:
    """One structure element: its type and the marked content it holds, page by page."""

    kind: str  # the structure type: H1, P, Div, …
    parts: list = field(default_factory=list)  # (page index, MCID), in drawing order


@dataclass
class Tree:
    """The structure gathered page by page as a document's pages are written."""

    elements: dict = field(default_factory=dict)  # MCID -> Element, in reading order
    levels: dict = field(default_factory=dict)  # MCID -> heading level (0 = the title)
    pages: list = field(default_factory=list)  # per page: its MCIDs in order
    seen_rows: set = field(default_factory=set)  # header-row MCIDs already read once

    def heading(self, mcid: int, level: int) -> None:
        self.levels[mcid] = level


def tree_of(canv) -> Tree:
    """The tree a canvas gathers (made on first use)."""
    tree = getattr(canv, "structure", None)
    if tree is None:
        tree = canv.structure = Tree()
    return tree


def heading(canv, mcid: int, level: int) -> None:
    """A heading's unit mark `mcid` is a heading of `level` (0: the title)."""
    tree_of(canv).heading(mcid, level)


def tag_page(canv, ops: list, page: int, fresh) -> None:
    """Tag the operators of one held page in place (before its header and footer are
    drawn); `fresh()` gives an MCID no unit uses."""
    tree = tree_of(canv)
    out: list = []
    on_page: list = []
    stack: list = []  # open marks: (tag, mcid or None, index in `out` of its start)
    gap: list = []  # operators drawn outside any mark, not yet wrapped

    def flush():
        for piece in _pieces(gap):
            out.extend(_wrapped(piece, tree, page, on_page, fresh))
        gap.clear()

    for op in ops:
        # (Marks are written as whole operators, "/Tag <<…>> BDC", "/Tag BMC", "EMC": only
        # an operator ending so is looked at further.)
        tail = op[-3:] if isinstance(op, str) else ""
        if tail not in ("BDC", "BMC", "EMC"):
            (gap if not stack else out).append(op)
            continue
        text = op.strip()
        unit = UNIT.match(text)
        if unit or text.endswith(BEGINS):
            if not stack:
                flush()
            tag, mcid = (unit.group(1), int(unit.group(2))) if unit else (text.split()[0].lstrip("/"), None)
            stack.append((tag, mcid, len(out)))
            out.append(op)
            continue
        if text == "EMC" and stack:
            tag, mcid, start = stack.pop()
            out.append(op)
            if mcid is not None:
                _unit(tree, tag, mcid, page, out, start, on_page)
            continue
        (gap if not stack else out).append(op)
    flush()
    while stack:  # a mark left open at the page's end: close it (never happens in aidpress)
        stack.pop()
        out.append("EMC")
    ops[:] = out
    tree.pages.append(on_page)


def _unit(tree: Tree, tag: str, mcid: int, page: int, out: list, start: int, on_page: list) -> None:
    """A unit mark just closed at out[start:]."""
    if tag == "AidHeadRow" and mcid in tree.seen_rows and mcid not in on_page:
        out.insert(start, PAGINATION)  # a header row repeated on a continuation page
        out.append("EMC")
        return
    if tag == "AidHeadRow":
        tree.seen_rows.add(mcid)
    element = tree.elements.get(mcid)
    if element is None:
        if tag in HEADINGS:
            kind = "H"  # its level is settled with the others (`_heading_kinds`)
        else:
            kind = "P" if _text_objects(out[start:]) == 1 else "Div"
        element = tree.elements[mcid] = Element(kind)
    if (page, mcid) not in element.parts:
        element.parts.append((page, mcid))
        on_page.append(mcid)
    elif element.kind == "P":
        element.kind = "Div"  # several sequences on one page: a table row's cells


def _text_objects(ops: list) -> int:
    """How many text objects (BT … ET) the operators hold, counted to 2 (ReportLab starts
    each operator that holds one with BT)."""
    count = 0
    for op in ops:
        if isinstance(op, str) and op.startswith("BT") and TEXT_OBJECT.match(op):
            count += len(TEXT_OBJECT.findall(op))
            if count > 1:
                break
    return count


def _pieces(ops: list) -> list[list]:
    """Operators drawn outside any mark, cut where the graphics state returns to where
    it began: each top-level q … Q is one flowable's drawing."""
    pieces, current, depth = [], [], 0
    for op in ops:
        current.append(op)
        if op == "q":
            depth += 1
        elif op == "Q":
            depth -= 1
            if depth <= 0:
                pieces.append(current)
                current, depth = [], 0
    if current:
        pieces.append(current)
    return pieces


def _wrapped(piece: list, tree: Tree, page: int, on_page: list, fresh) -> list:
    strings = [op for op in piece if isinstance(op, str)]
    if any(("T" in op and SHOWS_TEXT.search(op)) for op in strings):
        mcid = fresh()
        tree.elements[mcid] = Element("P" if _text_objects(strings) <= 1 else "Div", [(page, mcid)])
        on_page.append(mcid)
        return [f"/{tree.elements[mcid].kind} <</MCID {mcid}>> BDC", *piece, "EMC"]
    if any(PAINTS.search(op) for op in strings):
        return [DECORATION, *piece, "EMC"]
    return piece  # state only (a colour, a font): nothing to read or see


def _heading_kinds(tree: Tree) -> None:
    """H1 for the title, H2/H3 below it, a level never deeper than one under the last."""
    last = 0
    for mcid, element in tree.elements.items():
        if element.kind != "H":
            continue
        wanted = tree.levels.get(mcid, 1) + 1
        level = max(1, min(wanted, last + 1, 3))
        element.kind, last = f"H{level}", level


def write(canv, title: str, language: str) -> None:
    """The structure tree, /MarkInfo and the XMP metadata, into the document the canvas is
    about to save (after every page is written)."""
    tree = tree_of(canv)
    _heading_kinds(tree)
    lib = engine.pdf_objects()
    document_name = "AidStructDocument"
    names = {mcid: f"AidStruct{i}" for i, mcid in enumerate(tree.elements)}
    kids = []
    for mcid, element in tree.elements.items():
        refs = [lib.Dictionary({"Type": lib.Name("MCR"), "Pg": engine.page_reference(canv, page), "MCID": m})
                for page, m in element.parts]
        node = lib.Dictionary({
            "Type": lib.Name("StructElem"), "S": lib.Name(element.kind),
            "P": lib.Reference(document_name),
            "Pg": engine.page_reference(canv, element.parts[0][0]),
            "K": lib.Array(refs) if len(refs) > 1 else refs[0],
        })
        kids.append(engine.register(canv, node, names[mcid]))
    document = lib.Dictionary({"Type": lib.Name("StructElem"), "S": lib.Name("Document"),
                               "P": lib.Reference("AidStructTreeRoot"), "K": lib.Array(kids)})
    if language:
        document["Lang"] = lib.String(language)
    engine.register(canv, document, document_name)
    nums = []
    for page, mcids in enumerate(tree.pages):
        slots = ["null"] * (max(mcids) + 1 if mcids else 0)
        for m in mcids:
            slots[m] = lib.Reference(names[m])
        nums += [page, lib.Array(slots)]
    parent_tree = engine.register(canv, lib.Dictionary({"Nums": lib.Array(nums)}), "AidParentTree")
    root = lib.Dictionary({"Type": lib.Name("StructTreeRoot"), "K": lib.Reference(document_name),
                           "ParentTree": parent_tree, "ParentTreeNextKey": len(tree.pages)})
    engine.register(canv, root, "AidStructTreeRoot")
    engine.set_catalog(canv, "StructTreeRoot", lib.Reference("AidStructTreeRoot"))
    engine.set_catalog(canv, "MarkInfo", lib.Dictionary({"Marked": "true"}))
    engine.set_catalog(canv, "Metadata", lib.Stream(xmp(title, language), {"Type": lib.Name("Metadata"),
                                                                            "Subtype": lib.Name("XML")}))


def xmp(title: str, language: str) -> str:
    """The XMP packet: the title (as in the document information) and PDF/UA-1."""
    lang = escape(language or "x-default", {'"': "&quot;"})
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>\n'
        f'<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>\n'
        '<pdfuaid:part>1</pdfuaid:part>\n'
        '</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="w"?>'
    )
