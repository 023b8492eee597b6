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
"""

from __future__ import annotations

import itertools

from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import ActionFlowable

from . import engine

TAGS = ("AidKeep", "AidRow", "AidHead", "AidHeadRow", "AidTrail", "AidTrailHead", "AidChrome", "AidValue", "AidBlock",
        "AidTie")


def new_ident() -> list:
    """An identity shared by every part of one unit (filled in when first drawn)."""
    return [None]


def begin(canv, tag: str, ident: list) -> None:
    if ident[0] is None:
        counter = getattr(canv, "unit_ids", None)
        if counter is None:
            counter = canv.unit_ids = itertools.count(1)
        ident[0] = next(counter)
    engine.add_operator(canv, f"/{tag} <</MCID {ident[0]}>> BDC")


def end(canv) -> None:
    engine.add_operator(canv, "EMC")


class Unit(Flowable):
    """Draws another flowable inside a marked-content sequence; its split parts share
    the unit's identity, so a split shows as one unit on two pages."""

    def __init__(self, inner: Flowable, tag: str, ident: list | None = None):
        self.inner, self.tag, self.ident = inner, tag, ident if ident is not None else new_ident()
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
        return [p if isinstance(p, ActionFlowable) else Unit(p, self.tag, self.ident) for p in parts]

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
        begin(canvas, self.tag, self.ident)
        self.inner.drawOn(canvas, x, y, _sW)
        end(canvas)


def mark(flowables, tag: str, ident: list | None = None) -> list:
    """Every flowable of a list marked as (part of) one unit."""
    ident = ident if ident is not None else new_ident()
    return [f if isinstance(f, str) else Unit(f, tag, ident) for f in flowables]


def marked_row(cells: list, tag: str = "AidRow", ident: list | None = None) -> list:
    """A table row whose cells are all marked as one unit (`ident`: shared with another)."""
    ident = ident if ident is not None else new_ident()
    return [mark(c, tag, ident) if isinstance(c, list) else mark([c], tag, ident)[0] for c in cells]
