"""Invisible unit marks, so a built PDF can be checked page by page (aidpress/audit.py).

Each unit a page must not split (a quiz question with its boxes, a flowchart step, a
checklist item), each table row, each heading and the closing matter is drawn inside a
PDF marked-content sequence (`/AidKeep <</MCID n>> BDC … EMC`). Marked content is not
printed and does not change the extracted text; it only lets a reader of the PDF tell
which drawn text and boxes belong together. The tag names are the audit's vocabulary:

  AidKeep   never split across pages
  AidRow    a table row: split only when it alone is taller than a page
  AidHead   a heading: at least two lines of what it heads follow on its page
  AidHeadRow a table's header row (repeated on each page the table spans)
  AidTrail  closing matter (sources, notes, clinic block); AidTrailHead its heading
  AidBlock  a block of rows that never splits when shorter than half a page (thresholds.SHORT_BLOCK)
  AidTie    separate pieces that share one page (a quiz's totals row and its scoring rules)
  AidChrome the running header and footer

A unit may also say what it is to a reader (layouts/tagging.py): its structure type
(`role`: TD, TH, LI, Lbl, Sect, …, else P or Div from what it draws), the elements it
sits in that are not flowables of their own (`parents`: a cell's row, a row's table), and
attributes (`attrs`: Scope, Alt, ActualText, Lang, tie). In a tagged PDF the marks are
rewritten into the structure tree: each unit is an element with the audit's unit kind as
its class (/C), and the audit reads that tree (aidpress/audit.py).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import ActionFlowable

from . import engine

TAGS = ("AidKeep", "AidRow", "AidHead", "AidHeadRow", "AidTrail", "AidTrailHead", "AidChrome", "AidValue", "AidBlock",
        "AidTie")


def new_ident() -> list:
    """An identity shared by every part of one unit (filled in when first drawn)."""
    return [None]


@dataclass(eq=False)
class Node:
    """A structure element that is not drawn by one flowable of its own: a table row (its
    cells are the flowables), a table or list around rows drawn by one flowable. Units
    name it among their `parents`; it is one element however many units sit in it."""

    role: str  # structure type: TR, Table, L, LI, Sect, Div, …
    tag: str = ""  # the audit's unit kind (AidRow, AidKeep, …), if it is a unit
    attrs: dict = field(default_factory=dict)
    ident: list = field(default_factory=lambda: [None])


def _number(canv, ident: list) -> int:
    if ident[0] is None:
        counter = getattr(canv, "unit_ids", None)
        if counter is None:
            counter = canv.unit_ids = itertools.count(1)
        ident[0] = next(counter)
    return ident[0]


def _attributes(canv, attrs: dict) -> dict:
    """Attributes as written: an identity among them (a tie shared by elements, an element's
    ID, new_ident()) becomes its number, unique in the document like every unit's; Headers
    is a tuple of identities (the heads a cell is read under)."""
    return {k: tuple(_number(canv, i) for i in v) if k == "Headers" else _number(canv, v) if isinstance(v, list) else v
            for k, v in attrs.items()}


def begin(canv, tag: str, ident: list, role: str | None = None, parents: tuple = (), attrs: dict | None = None) -> None:
    number = _number(canv, ident)
    declare = getattr(canv, "declare_unit", None)
    if declare is not None:  # a tagged canvas (page.HandoutCanvas): what the unit is, for its tree
        for node in parents:
            if node.attrs and any(isinstance(v, (list, tuple)) for v in node.attrs.values()):
                node.attrs = _attributes(canv, node.attrs)
        declare(number, tag, role, tuple((_number(canv, n.ident), n) for n in parents) if parents else (),
                _attributes(canv, attrs) if attrs else {})
    engine.add_operator(canv, f"/{tag} <</MCID {number}>> BDC")


def end(canv) -> None:
    engine.add_operator(canv, "EMC")


class Unit(Flowable):
    """Draws another flowable inside a marked-content sequence; its split parts share
    the unit's identity, so a split shows as one unit on two pages."""

    def __init__(self, inner: Flowable, tag: str, ident: list | None = None, role: str | None = None,
                 parents: tuple = (), attrs: dict | None = None):
        self.inner, self.tag, self.ident = inner, tag, ident if ident is not None else new_ident()
        self.sole = ident is None  # its unit holds this flowable only (and its split parts)
        self.role, self.parents, self.attrs = role, tuple(parents), attrs
        self.hAlign = getattr(inner, "hAlign", "LEFT")
        self.vAlign = getattr(inner, "vAlign", "BOTTOM")
        engine.set_fixed_size(self, engine.fixed_size(inner))
        self.width = getattr(inner, "width", 0)
        self.height = getattr(inner, "height", 0)

    def __getattr__(self, name):  # anything else (keepWithNext, spaceBefore, …) is the inner's
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def wrap(self, avail_width, avail_height):
        engine.share_canvas(self, self.inner)
        self.width, self.height = self.inner.wrap(avail_width, avail_height)
        return self.width, self.height

    def wrapOn(self, canv, avail_width, avail_height):
        self.width, self.height = self.inner.wrapOn(canv, avail_width, avail_height)
        return self.width, self.height

    def splitOn(self, canv, avail_width, avail_height):
        return self._parts(self.inner.splitOn(canv, avail_width, avail_height))

    def _parts(self, parts: list) -> list:
        # Page-break actions a split may return (KeepTogether does) stay as they are.
        made = [p if isinstance(p, ActionFlowable) else Unit(p, self.tag, self.ident, self.role, self.parents, self.attrs)
                for p in parts]
        for part in made:
            if isinstance(part, Unit):
                part.sole = self.sole
        return made

    def minWidth(self):
        return self.inner.minWidth()

    def split(self, avail_width, avail_height):
        engine.share_canvas(self, self.inner)
        return self._parts(self.inner.split(avail_width, avail_height))

    def getSpaceBefore(self):
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):
        return self.inner.getSpaceAfter()

    def getKeepWithNext(self):
        return self.inner.getKeepWithNext()

    def identity(self, maxLen=None):
        return self.inner.identity(maxLen)

    def drawOn(self, canvas, x, y, _sW=0):
        attrs = self.attrs
        # A paragraph in another language than the aid's (layouts/text.py Para.lang), the
        # only thing this unit holds: the unit's element takes its /Lang.
        own = getattr(self.inner, "own_language", None)
        lang = own(canvas) if own is not None and self.sole and not (attrs or {}).get("ActualText") else ""
        if lang:
            attrs = {**(attrs or {}), "Lang": lang}
            self.inner.lang_taken = True
        begin(canvas, self.tag, self.ident, self.role, self.parents, attrs)
        self.inner.drawOn(canvas, x, y, _sW)
        end(canvas)


def mark(flowables, tag: str, ident: list | None = None, role: str | None = None, parents: tuple = (),
         attrs: dict | None = None) -> list:
    """Every flowable of a list marked as (part of) one unit."""
    ident = ident if ident is not None else new_ident()
    return [f if isinstance(f, str) else Unit(f, tag, ident, role, parents, attrs) for f in flowables]


def marked_row(cells: list, tag: str = "AidRow", ident: list | None = None) -> list:
    """A table row whose cells are all marked as one unit (`ident`: shared with another)."""
    ident = ident if ident is not None else new_ident()
    return [mark(c, tag, ident) if isinstance(c, list) else mark([c], tag, ident)[0] for c in cells]


def cell(content, role: str, parents: tuple, attrs: dict | None = None):
    """One table cell as an element of its own (`role` TH or TD, `parents` its table and row
    as Nodes): a flowable, or a list of flowables drawn as one; an empty cell ("") stays
    as it is (no content: no element)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return mark(content, "AidCell", None, role, parents, attrs)
    return Unit(content, "AidCell", None, role, parents, attrs)
