"""Things a patient fills in by pen: tick boxes, number boxes and write-in lines.

Each is drawn as a stroked, unfilled rectangle or line, so tests (and print shops) can
find them in the PDF's geometry. In a tagged handout a write-in line's label is a
paragraph of its own (`labelled`) and its rule an artifact; a tick box is painting only
(an artifact) unless it is the label (Lbl) of a list item (`list_item`, TickBox.listed).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable

from .scale import INK, REGULAR, Scale
from .units import Node, Unit, begin, end, new_ident

LABEL = "AidLabel"  # the unit kind of a write-in line's label: no audit kind (tagging.CLASSES)
CELL = "AidCell"  # the unit kind of a part of a list item or box: no audit kind either
# What a tick box is to a screen reader (the Lbl of a list item it stands before). Plain
# English: aidpress's labels (aidpress/labels.py) have no wording for it yet.
TICK_BOX = "Tick box"


def labelled(canv, draw) -> None:
    """`draw()` (a write-in line's label) as a paragraph (P) of its own, apart from the
    line drawn after it: the line, painting only, is then an artifact."""
    begin(canv, LABEL, new_ident(), role="P")
    draw()
    end(canv)


def list_item(cells: list, items: Node, item: Node) -> list:
    """[label, body] cells as the parts of list item `item` of list `items`: the label
    (a tick box, read by its Alt text, or a bullet) its Lbl, the body its LBody; a body
    with points under it (an item's details, bulleted in the same cell) holds its text
    (P) and a list of the points, each an item (LI) drawn by its paragraph, which draws
    its bullet as the item's Lbl and its text as the LBody (text.Para.listed)."""
    label, body = cells
    parents = (items, item)
    attrs = {"Alt": TICK_BOX} if isinstance(label, TickBox) else None
    out = [Unit(label, CELL, role="Lbl", parents=parents, attrs=attrs)]
    body = list(body) if isinstance(body, (list, tuple)) else [body]
    points = [f for f in body if getattr(f, "bulletText", None)]
    if not points:
        return out + [[Unit(f, CELL, role="LBody", parents=parents) for f in body]]
    whole, inner = Node("LBody"), Node("L")
    return out + [[Unit(f, CELL, role="LI", parents=parents + (whole, inner))
                   if getattr(f, "bulletText", None) else Unit(f, CELL, role="P", parents=parents + (whole,))
                   for f in body]]


class TickBox(Flowable):
    """An empty square to tick, optionally followed by a short label (e.g. "Yes").
    `listed` (a units.Node of role L): to a reader the box and its label are an item of
    that list, the box its Lbl (read by its Alt text) and the label its LBody; else the
    box is painting only (an artifact) and the label the text of the unit it is drawn in."""

    listed: Node | None = None

    def __init__(self, scale: Scale, label: str = ""):
        super().__init__()
        self.scale, self.label = scale, label
        self.spaceAfter = scale.pad  # stacked answer boxes must not touch

    def wrap(self, avail_width, avail_height):
        s = self.scale
        self.width = s.tick + (s.pad + _text_width(self.label, s.body) if self.label else 0)
        self.height = s.tick
        return self.width, self.height

    def draw(self):
        s, c = self.scale, self.canv
        parents = (self.listed, Node("LI")) if self.listed is not None else None
        c.setStrokeColor(INK)
        c.setLineWidth(s.rule * 1.2)
        if parents:
            begin(c, CELL, new_ident(), role="Lbl", parents=parents, attrs={"Alt": TICK_BOX})
        c.rect(0, 0, s.tick, s.tick, stroke=1, fill=0)
        if parents:
            end(c)
        if self.label:
            c.setFont(REGULAR, s.body)
            c.setFillColor(INK)
            if parents:
                begin(c, CELL, new_ident(), role="LBody", parents=parents)
            c.drawString(s.tick + s.pad, (s.tick - s.body * 0.7) / 2, self.label)
            if parents:
                end(c)


class WriteBox(Flowable):
    """A square to write a number in (quiz points and totals)."""

    def __init__(self, scale: Scale, heavy: bool = False):
        super().__init__()
        self.scale, self.heavy = scale, heavy
        self.width = self.height = scale.write_box

    def draw(self):
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(self.scale.rule * (2.2 if self.heavy else 1.2))
        self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)


@dataclass(frozen=True)
class Slot:
    """Where a write-in line's value goes: page (1-based), baseline start and room."""

    page: int
    x: float
    y: float
    width: float
    field: str


class WriteInLine(Flowable):
    """'Label: ______'. With `slots`, it records where a value would be written on it,
    so per-patient sheets can print values on the same line of the same layout.
    `label_apart`: the label is a paragraph of its own to a reader and the line an
    artifact (`labelled`); where it is off, label and line are the content of the unit
    the line is drawn in (a flowchart step's, whose other text is its own content: an
    element holding both text and elements is more than some readers of the tree take)."""

    label_apart = False

    def __init__(self, scale: Scale, label: str, field_id: str = "", slots: list | None = None):
        super().__init__()
        self.scale, self.label, self.field_id, self.slots = scale, label, field_id, slots

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = self.scale.body * 2.2
        return self.width, self.height

    def draw(self):
        s, c = self.scale, self.canv
        baseline = s.body * 0.5
        c.setFont(REGULAR, s.body)
        c.setFillColor(INK)
        label = self.label + ":"
        if self.label_apart:
            labelled(c, lambda: c.drawString(0, baseline, label))
        else:
            c.drawString(0, baseline, label)
        start = _text_width(label, s.body) + s.pad
        c.setStrokeColor(INK)
        c.setLineWidth(s.rule)
        c.line(start, baseline - s.body * 0.25, self.width, baseline - s.body * 0.25)
        if self.slots is not None:
            x, y = c.absolutePosition(start + s.pad, baseline)
            self.slots.append(Slot(c.getPageNumber(), x, y, self.width - start - s.pad, self.field_id))


def _text_width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, REGULAR, size)
