"""Tagged PDF: the structure tree a screen reader follows (docs/accessibility.md).

A handout is tagged as its held pages are written (page.HandoutCanvas.emit_pages), in the
same pass as the rest of the PDF, from what each page's drawing already says:

- every unit mark of units.py (`/AidKeep <</MCID n>> BDC` … `EMC`, n the unit's number) is
  one structure element, whatever pages its parts are on; the renderer says what it is
  when it draws it (units.begin → `declare`): its structure type (TD, LI, Sect, …; else P
  for one text object, Div for several, H1–H3 for a heading), the elements it sits in
  that are no flowable of their own (a cell's row and table: units.Node), attributes
  (Scope, Alt, ActualText, Lang). A unit drawn inside another is its child; the audit's
  unit kind becomes the element's class (/C Keep, Row, …), which the page audit reads;
- the marks themselves are not written: what a unit draws directly is cut into pieces
  (each balanced q … Q), a piece that shows text becomes a marked-content sequence of
  the unit's element (`/P <</MCID k>> BDC … EMC`, k counted per page from 0), a piece that
  only paints (rules, fills, boxes, write-in lines) an `/Artifact`, so no MCID sequence
  holds another;
- text drawn outside any unit becomes a `P` (one text object) or `Div` (several) of its
  own, painting outside any unit an `/Artifact`;
- a table's header row repeated on a later page (a unit of kind AidHeadRow, or a unit in
  such a row, seen on an earlier page) is one `/Artifact <</Type /Pagination>>`, and so is
  a unit the renderer says is one (role "Artifact": "continued from page 1", a row's label
  repeated on its continuation);
- the running header and footer are drawn by page.Chrome inside pagination artifacts;
- a hyphen ReportLab added at a line end (drawn between engine.HYPHEN_MARKS, comments that
  are never written out) is an `/Artifact` between two sequences of its element, inside
  the text object (`_cut_at_hyphens`): the element reads the word whole.

Elements follow the drawing order, which is the reading order of a handout (one frame a
page); an element's kids (its text and the elements in it) keep the order they were drawn.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from . import engine

UNIT = re.compile(r"^/(\w+) <</MCID (\d+)>> BDC$")
BEGINS = ("BDC", "BMC")
MARK_ENDS = frozenset(("BDC", "BMC", "EMC"))
SHOWS_TEXT = re.compile(r"\bT[jJ]\b|'\s*$")
PAINTS = re.compile(r"(?:^|\s)(?:re|S|s|f\*?|F|B\*?|b\*?|Do|sh)\s*$|(?:^|\s)(?:S|f\*?|B\*?|b\*?|Do|sh)\s")
TEXT_OBJECT = re.compile(r"\bBT\b")
HEADINGS = ("AidHead", "AidTrailHead")
PAGINATION = "/Artifact <</Type /Pagination>> BDC"
DECORATION = "/Artifact BMC"
HYPHEN, HYPHEN_END = engine.HYPHEN_MARKS  # around a hyphen ReportLab added at a line end
# The audit's unit kinds (units.py) as element classes; each class is a UserProperties
# attribute object in the ClassMap, so a reader of the tree sees what the renderer kept.
CLASSES = {"AidKeep": "Keep", "AidRow": "Row", "AidHead": "Head", "AidHeadRow": "HeadRow", "AidTrail": "Trail",
           "AidTrailHead": "TrailHead", "AidBlock": "Block", "AidTie": "Tie", "AidValue": "Value"}
DRAWINGS = ("Lbl", "Figure")  # structure types whose painting is content (a tick box, a diagram)
TABLE_ATTRIBUTES = ("Scope", "RowSpan", "ColSpan", "Headers")
ENTRIES = ("Alt", "ActualText", "Lang", "E", "T")
# (attrs "ID": an element's identity's number, written as the string `id<number>` and listed
# in the IDTree; "Headers": the numbers of the TH elements a cell is read under)


SHOWS, PAINTS_ONLY, HYPHENATED = 1, 2, 4  # what an operator does (`_does`): bits


@functools.lru_cache(maxsize=8192)
def _does(op: str) -> int:
    """What one operator string does: shows text (SHOWS), else paints (PAINTS_ONLY), and
    whether it holds an added hyphen's comments (HYPHENATED); with the number of text
    objects it starts (to 2) in the bits above. Cached: a page repeats its state and
    painting operators ("q", "0 0 0 rg", a rule), and a tagged render asks this of every
    operator several times (docs/accessibility.md, "Cost")."""
    does = 0
    if "T" in op and SHOWS_TEXT.search(op):
        does = SHOWS
    elif PAINTS.search(op):
        does = PAINTS_ONLY
    if HYPHEN in op:
        does |= HYPHENATED
    if op.startswith("BT") and TEXT_OBJECT.match(op):
        does |= min(len(TEXT_OBJECT.findall(op)), 2) << 3
    return does


def header_artifact() -> str:
    return "/Artifact <</Type /Pagination /Subtype /Header>> BDC"


def footer_artifact() -> str:
    return "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"


@dataclass
class Element:
    """One structure element: its type, where it sits, and its kids in reading order."""

    kind: str  # the structure type: H (level settled at the end), P, Div, TR, …
    parent: int | None = None  # the element it sits in (None: the Document)
    kids: list = field(default_factory=list)  # ("m", page, mcid) or ("e", element number)
    tag: str = ""  # the audit's unit kind
    attrs: dict = field(default_factory=dict)
    texts: int = 0  # text objects among its marked content (P or Div, when it has no type)
    declared: bool = False  # its type came from the renderer


@dataclass
class Tree:
    """The structure gathered page by page as a document's pages are written."""

    elements: dict = field(default_factory=dict)  # element number -> Element, in order first seen
    top: list = field(default_factory=list)  # the Document's kids: element numbers
    declared: dict = field(default_factory=dict)  # unit number -> (tag, role, parents, attrs)
    levels: dict = field(default_factory=dict)  # unit number -> heading level (0 = the title)
    pages: list = field(default_factory=list)  # per page: the element of each MCID, by MCID
    header_rows: dict = field(default_factory=dict)  # header-row element -> the page it was first read on

    def heading(self, unit: int, level: int) -> None:
        self.levels[unit] = level

    def declare(self, unit: int, tag: str, role, parents: tuple, attrs: dict) -> None:
        if unit not in self.declared or role or parents or attrs:
            self.declared[unit] = (tag, role, parents, attrs)

    def element(self, number: int, parent: int | None, kind: str, tag: str = "", attrs: dict | None = None,
                declared: bool = False) -> Element:
        """The element `number`, made (as the last kid of `parent`) the first time it is seen."""
        found = self.elements.get(number)
        if found is None:
            found = self.elements[number] = Element(kind, parent, tag=tag, attrs=dict(attrs or {}), declared=declared)
            if parent is None:
                self.top.append(number)
            else:
                self.elements[parent].kids.append(("e", number))
        return found


def tree_of(canv) -> Tree:
    """The tree a canvas gathers (made on first use)."""
    tree = getattr(canv, "structure", None)
    if tree is None:
        tree = canv.structure = Tree()
    return tree


def heading(canv, unit: int, level: int) -> None:
    """A heading's unit `unit` is a heading of `level` (0: the title)."""
    tree_of(canv).heading(unit, level)


def declare(canv, unit: int, tag: str, role, parents: tuple, attrs: dict) -> None:
    """What the renderer says about unit `unit` as it draws it (units.begin)."""
    tree_of(canv).declare(unit, tag, role, parents, attrs)


@dataclass
class _Open:
    """A mark open on the page being read."""

    unit: int | None  # the unit's element; None: a mark that is not a unit (a Span, …)
    artifact: bool = False  # a repeated header row: written as one artifact


def tag_page(canv, ops: list, page: int, fresh) -> None:
    """Tag the operators of one held page in place (before its header and footer are
    drawn); `fresh()` gives an element number no unit uses."""
    tree = tree_of(canv)
    out: list = []
    mcids: list = []  # this page's MCIDs: the element each belongs to
    stack: list[_Open] = []
    gap: list = []  # operators drawn directly in the innermost open unit (or outside any), not yet wrapped

    def owner() -> int | None:
        return next((o.unit for o in reversed(stack) if o.unit is not None), None)

    artifacts = [0]  # how many of the open marks are artifacts (a repeated header row)

    def in_artifact() -> bool:
        return artifacts[0] > 0

    def flush() -> None:
        if gap:
            inside = owner()
            for piece in _pieces(gap):
                out.extend(_wrapped(piece, tree, inside, page, mcids, fresh))
            gap.clear()

    for op in ops:
        # (Marks are written as whole operators, "/Tag <<…>> BDC", "/Tag BMC", "EMC": only
        # an operator ending so is looked at further.)
        tail = op[-3:] if isinstance(op, str) else ""
        if tail not in MARK_ENDS:
            if artifacts[0]:
                out.append(_unmarked(op))  # (a repeated header row: read once, elsewhere)
            else:
                gap.append(op)
            continue
        text = op.strip()
        unit = UNIT.match(text)
        if text == "EMC":
            if not stack:
                (out if in_artifact() else gap).append(op)
                continue
            closing = stack[-1]
            if closing.unit is not None and closing.unit >= 0 and not in_artifact():
                flush()  # what the unit drew directly, as its own
            stack.pop()
            if closing.artifact:
                artifacts[0] -= 1
                out.append(op)
            elif closing.unit is None:
                (out if in_artifact() else gap).append(op)  # a Span's end, inside its piece
            continue
        if not text.endswith(BEGINS):
            (out if in_artifact() else gap).append(op)
            continue
        if unit is None or in_artifact():
            # A mark that is no unit (a Span with ActualText): part of the piece it is in.
            # Inside a repeated header row, every mark is dropped but its balance kept.
            if in_artifact():
                stack.append(_Open(None))
                if unit is None:
                    out.append(op)
                else:
                    stack[-1] = _Open(-1)  # a unit's mark inside the artifact: not written, nor its EMC
                continue
            stack.append(_Open(None))
            gap.append(op)
            continue
        flush()
        number = int(unit.group(2))
        if tree.declared.get(number, ("", None))[1] == "Artifact":
            # printed only to guide the eye on paper ("continued from page 1", a label
            # repeated on a continuation): read once where it belongs, here an artifact
            stack.append(_Open(None, artifact=True))
            artifacts[0] += 1
            out.append(PAGINATION)
            continue
        element = _enter(tree, number, unit.group(1), owner())
        if element is None:  # a header row repeated on a continuation page
            stack.append(_Open(None, artifact=True))
            artifacts[0] += 1
            out.append(PAGINATION)
            continue
        stack.append(_Open(number))
    flush()
    while stack:  # a mark left open at the page's end: close it (never happens in aidpress)
        if stack.pop().artifact:
            out.append("EMC")
    ops[:] = out
    tree.pages.append(mcids)


def _lineage(tree: Tree, number: int) -> list[int]:
    """The element and every element it sits in."""
    found = []
    while number is not None:
        found.append(number)
        number = tree.elements[number].parent
    return found


def _enter(tree: Tree, number: int, tag: str, inside: int | None) -> Element | None:
    """The element of unit `number`, drawn inside element `inside` (None: the Document),
    made with the elements it sits in the first time; None when it is (in) a table's
    header row read on an earlier page."""
    _, role, parents, attrs = tree.declared.get(number, (tag, None, (), {}))
    parent = inside
    for node_number, node in parents:
        tree.element(node_number, parent, node.role, node.tag, node.attrs, declared=True)
        parent = node_number
    element = tree.element(number, parent, role or ("H" if tag in HEADINGS else "P"), tag, attrs,
                           declared=bool(role))
    page = len(tree.pages)
    for n in _lineage(tree, number):
        if tree.elements[n].tag == "AidHeadRow":
            first = tree.header_rows.setdefault(n, page)  # (a header row is read on the page it is first drawn)
            if first < page:
                return None
    return element


def _pieces(ops: list) -> list[list]:
    """Operators drawn directly in one place, cut where the graphics state returns to
    where it began: each top-level q … Q is one flowable's (or one cell's) drawing."""
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


def _wrapped(piece: list, tree: Tree, owner: int | None, page: int, mcids: list, fresh) -> list:
    """One piece drawn directly in element `owner` (None: outside any unit)."""
    does = 0  # what the piece's operators do, together; the text objects they start, summed
    texts = 0
    for op in piece:
        if type(op) is str:
            bits = _does(op)
            does |= bits
            texts += bits >> 3
    shows, paints = does & SHOWS, does & PAINTS_ONLY
    drawing = owner is not None and tree.elements[owner].kind in DRAWINGS
    if not shows and not (paints and drawing):
        return [DECORATION, *piece, "EMC"] if paints else piece  # else: state only (a colour, a font)
    if owner is None:
        owner = fresh()
        tree.element(owner, None, "P")
    element = tree.elements[owner]
    element.texts += texts
    kind = element.kind if element.declared or element.kind != "H" else "P"

    def begin() -> str:
        mcid = len(mcids)
        mcids.append(owner)
        element.kids.append(("m", page, mcid))
        return f"/{kind} <</MCID {mcid}>> BDC"

    if does & HYPHENATED:
        return _cut_at_hyphens(piece, begin)
    if kind not in DRAWINGS and shows and paints:
        return _text_apart_from_painting(piece, begin)
    return [begin(), *piece, "EMC"]


def _text_apart_from_painting(piece: list, begin) -> list:
    """A piece that shows text and paints (a write-in line drawn with its label, a tick
    box with its answer): the text the element's content, each run of painting an
    /Artifact, side by side (the state operators between them as they are)."""
    out: list = []
    open_as = None  # what the open sequence is: "text", "paint" or None
    for op in piece:
        if type(op) is not str:
            out.append(op)
            continue
        bits = _does(op)
        kind = "text" if bits & SHOWS else "paint" if bits & PAINTS_ONLY else None
        if kind is not None and kind != open_as:
            if open_as is not None:
                out.append("EMC")
            out.append(begin() if kind == "text" else DECORATION)
            open_as = kind
        elif kind is None and open_as is not None and op in ("q", "Q"):
            out.append("EMC")  # (a sequence never straddles a change of graphics state level)
            open_as = None
        out.append(op)
    if open_as is not None:
        out.append("EMC")
    return out


def _cut_at_hyphens(piece: list, begin) -> list:
    """A piece of an element's content whose text holds hyphens ReportLab added at line
    ends (engine.spoken_line_ends): each such hyphen an /Artifact, the text around it
    sequences of the element (`begin()` opens the next), so the element reads the word
    whole ("hos" + "pital") and no marked content holds another. A sequence begun in a text
    object ends in it: a text object that holds hyphens is marked inside its BT … ET; what
    the piece draws outside it is marked around, as a piece is."""
    out: list = []
    run: list = []  # operators outside text objects with hyphens, not yet written

    def flush() -> None:
        # marked from the first operator that shows or paints to the last; the graphics
        # state around them (q, a colour, Q) as it is
        drawn = [i for i, op in enumerate(run) if isinstance(op, str) and _does(op) & (SHOWS | PAINTS_ONLY)]
        if drawn:
            out.extend([*run[:drawn[0]], begin(), *run[drawn[0]:drawn[-1] + 1], "EMC", *run[drawn[-1] + 1:]])
        else:
            out.extend(run)
        run.clear()

    for op in piece:
        if not (isinstance(op, str) and HYPHEN in op):
            run.append(op)
            continue
        flush()
        start = op.index("BT") + 2  # (ReportLab writes a text object as one operator string)
        stop = op.rindex("ET")
        out.append(op[:start])
        first, *rest = op[start:stop].split(HYPHEN)
        for i, text in enumerate([first, *(r.split(HYPHEN_END, 1)[1] for r in rest)]):
            if i:
                hyphen = rest[i - 1].split(HYPHEN_END, 1)[0]
                out.extend([DECORATION, hyphen.strip(), "EMC"])
            text = text.strip()
            if SHOWS_TEXT.search(text):
                out.extend([begin(), text, "EMC"])
            elif text:
                out.append(text)  # a text state or position only
        out.append(op[stop:])
    flush()
    return out


def _unmarked(op):
    """An operator with any hyphen comments (engine.HYPHEN_MARKS) taken out."""
    if isinstance(op, str) and HYPHEN in op:
        return op.replace(HYPHEN_END, "").replace(HYPHEN, "")
    return op


def _settle_kinds(tree: Tree) -> None:
    """Headings: H1 for the title, H2/H3 below it, never more than one level under the
    last. An element with no type of its own: P for one text object, else Div."""
    last = 0
    for number, element in tree.elements.items():
        if element.kind == "H":
            wanted = tree.levels.get(number, 1) + 1
            level = max(1, min(wanted, last + 1, 3))
            element.kind, last = f"H{level}", level
        elif not element.declared and element.kind == "P":
            if element.texts > 1 or any(kind == "e" for kind, *_ in element.kids):
                element.kind = "Div"


def _kept(tree: Tree) -> list[int]:
    """The elements worth writing: those with content, or with kept elements in them."""
    keep: set[int] = set()

    def visit(number: int) -> bool:
        element = tree.elements[number]
        has = any(k[0] == "m" for k in element.kids)
        for kid in element.kids:
            if kid[0] == "e" and visit(kid[1]):
                has = True
        if has:
            keep.add(number)
        return has

    for number in tree.top:
        visit(number)
    return [n for n in tree.elements if n in keep]


def write(canv, title: str, language: str) -> None:
    """The structure tree, /MarkInfo and the XMP metadata, into the document the canvas is
    about to save (after every page is written). The tree's objects are reserved first, so
    each one's number is known, and each is written as one string (engine.reserve_raw):
    formatting thousands of small dictionaries through ReportLab's object classes cost a
    third of a tagged render."""
    tree = tree_of(canv)
    _settle_kinds(tree)
    lib = engine.pdf_objects()
    kept = _kept(tree)
    names = [f"AidStruct{i}" for i in range(len(kept))]
    document_name, parents_name, root_name = "AidStructDocument", "AidParentTree", "AidStructTreeRoot"
    numbers = engine.reserve_raw(canv, [*names, document_name, parents_name, root_name])
    ref = {number: f"{numbers[name]} 0 R" for number, name in zip(kept, names)}
    document_ref = f"{numbers[document_name]} 0 R"
    pages = [f"{engine.object_number(canv, engine.page_name(i))} 0 R" for i in range(len(tree.pages))]
    ids: dict[str, str] = {}  # an element's /ID -> its object's reference, for the IDTree
    for number, name in zip(kept, names):
        element = tree.elements[number]
        attrs = element.attrs
        if attrs.get("ID") is not None:
            ids[_id(attrs["ID"])] = ref[number]
        first = None  # the page of its first content item
        kids = []  # (each content item a marked-content reference naming its page)
        for kid in element.kids:
            if kid[0] == "e":
                if kid[1] in ref:
                    kids.append(ref[kid[1]])
            else:
                if first is None:
                    first = kid[1]
                kids.append(f"<< /Type /MCR /Pg {pages[kid[1]]} /MCID {kid[2]} >>")
        text = f"<< /Type /StructElem /S /{element.kind} /P {ref.get(element.parent, document_ref)}"
        if first is not None:
            text += f" /Pg {pages[first]}"
        cls = CLASSES.get(element.tag)
        if cls:
            text += f" /C /{cls}"
        text += f" /K {kids[0]}" if len(kids) == 1 else f" /K [{' '.join(kids)}]"
        if attrs:
            extra: dict = {}
            _attributes(extra, attrs)
            for key, value in extra.items():
                text += f" /{key} {_pdf(value)}"
        engine.fill_raw(canv, name, text + " >>")
    document = {"Type": _Name("StructElem"), "S": _Name("Document"), "P": _Ref(f"{numbers[root_name]} 0 R"),
                "K": [_Ref(ref[n]) for n in tree.top if n in ref]}
    if language:
        document["Lang"] = _Text(language)
    engine.fill_raw(canv, document_name, _pdf(document))
    nums = []
    for page, mcids in enumerate(tree.pages):
        nums += [page, [_Ref(ref[m]) for m in mcids]]
    engine.fill_raw(canv, parents_name, _pdf({"Nums": nums}))
    root = {"Type": _Name("StructTreeRoot"), "K": _Ref(document_ref), "ParentTree": _Ref(f"{numbers[parents_name]} 0 R"),
            "ParentTreeNextKey": len(tree.pages)}
    if ids:
        root["IDTree"] = {"Names": [x for key in sorted(ids) for x in (_Text(key), _Ref(ids[key]))]}
    # Every class, used or not (a sheet's values are given theirs after, layouts/sheet_tags.py).
    root["ClassMap"] = {c: {"O": _Name("UserProperties"),
                            "P": [{"N": _Text("aidpress-unit"), "V": _Text(c)}]} for c in sorted(CLASSES.values())}
    engine.fill_raw(canv, root_name, _pdf(root))
    engine.set_catalog(canv, "StructTreeRoot", lib.Reference(root_name))
    engine.set_catalog(canv, "MarkInfo", lib.Dictionary({"Marked": "true", "UserProperties": "true"}))
    engine.set_catalog(canv, "Metadata", lib.Stream(xmp(title, language), {"Type": lib.Name("Metadata"),
                                                                            "Subtype": lib.Name("XML")}))


class _Name(str):
    """A PDF name in a value for `_parts`."""


class _Text(str):
    """A PDF text string in a value for `_parts`."""


class _Ref(str):
    """A reference ("12 0 R") in a value for `_pdf`."""


def _pdf(value) -> str:
    """A PDF value (dicts, lists, ints, _Name, _Text, _Ref) in PDF syntax."""
    kind = type(value)
    if kind is dict:
        return "<<" + "".join(f" /{key} {_pdf(item)}" for key, item in value.items()) + " >>"
    if kind is list:
        return "[" + " ".join(_pdf(item) for item in value) + "]"
    if kind is _Ref:
        return value
    if kind is _Name:
        return "/" + value
    if kind is _Text:
        return _pdf_text(value)
    if kind is bool:
        return "true" if value else "false"
    return str(int(value))


def _pdf_text(text: str) -> str:
    """A PDF text string: literal when it is printable ASCII, else UTF-16BE with its mark."""
    if all(" " <= c <= "~" for c in text):
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _id(number: int) -> str:
    return f"id{number}"


def _attributes(node: dict, attrs: dict) -> None:
    """An element's attributes: entries of its own (Alt, ActualText, Lang), table
    attributes (Scope, …), and a tie shared with other elements (UserProperties)."""
    for key in ENTRIES:
        if attrs.get(key):
            node[key] = _Text(attrs[key])
    if attrs.get("ID") is not None:
        node["ID"] = _Text(_id(attrs["ID"]))
    owned = []
    table = {k: (_Name(v) if k == "Scope" else [_Text(_id(h)) for h in v] if k == "Headers" else v)
             for k, v in attrs.items() if k in TABLE_ATTRIBUTES}
    if table:
        owned.append({"O": _Name("Table"), **table})
    if attrs.get("tie") is not None:
        owned.append({"O": _Name("UserProperties"), "P": [{"N": _Text("aidpress-tie"), "V": attrs["tie"]}]})
    if owned:
        node["A"] = owned[0] if len(owned) == 1 else owned


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
