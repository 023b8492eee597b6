"""Parts every aid kind prints around its own content: title block, intro, notes,
sources and the clinic block. Kind modules call these; they never draw page chrome."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from aidpress.labels import labels_for
from aidpress.model import Aid, Clinic

from .page import Heading
from .scale import REGULAR, Scale
from .text import para
from .units import Unit, mark


@dataclass(frozen=True)
class Context:
    """What a kind renderer needs besides its model: the type scale and the frame."""

    scale: Scale
    clinic: Clinic
    frame_width: float
    frame_height: float
    slots: list | None = None  # when set, write-in lines record where values would go

    @property
    def styles(self):
        return self.scale.styles

    @functools.cached_property
    def labels(self) -> dict[str, str]:
        return labels_for(self.clinic)


def opening(aid: Aid, ctx: Context) -> list[Flowable]:
    st = ctx.styles
    out: list[Flowable] = [Heading(aid.title, st.title)]
    if aid.subtitle:
        out.append(para(aid.subtitle, st.subtitle))
    out += [para(p, st.body) for p in aid.intro]
    return out


def closing(aid: Aid, ctx: Context) -> list[Flowable]:
    st = ctx.styles
    out: list[Flowable] = [Spacer(0, ctx.scale.gap * 0.5)]
    out += [Unit(para(p, st.body), "AidTrail") for p in aid.notes]
    if aid.sources:
        heading = Heading(ctx.labels["sources"], st.heading, level=1)
        heading.unit_tag = "AidTrailHead"
        block = [heading] + [Unit(para(s, st.small, bold_lead=f"{i}."), "AidTrail")
                             for i, s in enumerate(aid.sources, 1)]
        out.append(KeepTogether(block[:2]))
        out += block[2:]
    out.append(Unit(clinic_block(ctx), "AidTrail"))
    return out


class RowSplittingTable(Table):
    """A table that keeps ordinary rows whole and splits only tall ones.

    ReportLab tries whole rows first: a tall row that does not fit goes to the next
    frame, even if most of a page is left empty above it, and then splits there under a
    second copy of the header. Here a row is split in place only when it is tall (over a
    third of a page) and moving it would leave more than `gap_limit` empty, or when it is
    taller than a whole page; any other row moves to the next page whole."""

    gap_limit = 0.0
    page_height = 0.0

    def split(self, avail_width, avail_height):
        self._calc(avail_width, avail_height)
        by_rows = self._splitRows(avail_height, doInRowSplit=0)
        n = self._getFirstPossibleSplitRowPosition(avail_height)
        if n >= len(self._rowHeights):
            return by_rows
        row = self._rowHeights[n]
        used = sum(self._rowHeights[:n])
        wasted = avail_height - used
        # Split only a tall row, only to fill a real gap, and never to leave a stub of a
        # line or two on either page.
        tall = row > self.page_height / 3 and wasted > self.gap_limit
        stub = min(wasted, row - wasted) < self.gap_limit * 0.6
        too_tall_for_any_page = row > self.page_height - sum(self._rowHeights[:self.repeatRows or 0])
        if (tall and not stub) or too_tall_for_any_page:
            in_row = self._splitRows(avail_height, doInRowSplit=1)
            if in_row:
                return in_row
        return by_rows


@functools.cache
def row_splitting_table(gap_limit: float, page_height: float) -> type[RowSplittingTable]:
    # ReportLab makes the parts of a split table with self.__class__(...), so the limits
    # live on a class, not on the instance, to reach every part.
    return type("RowSplittingTable", (RowSplittingTable,), {"gap_limit": gap_limit, "page_height": page_height})


def table(rows: list, widths: list[float], ctx: Context, commands: list, **options) -> Table:
    """Every table in a handout: left-aligned, and set in the embedded font even in empty
    cells (ReportLab's default cell font is an unembedded Helvetica)."""
    kind = Table
    if options.get("splitInRow"):
        kind = row_splitting_table(ctx.scale.leading * 5, ctx.frame_height)
    t = kind(rows, colWidths=widths, hAlign="LEFT", **options)
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, ctx.scale.body)] + commands))
    return t


def clinic_block(ctx: Context) -> Flowable:
    """The clinic's full contact details in a ruled box, at the end of every handout."""
    c, st, s = ctx.clinic, ctx.styles, ctx.scale
    if c.name:
        lines = [para(c.name, st.cell_bold)]
        lines += [para(v, st.cell) for v in (c.address, c.phone and f"{ctx.labels['phone']}: {c.phone}", c.website) if v]
    else:
        lines = [para(ctx.labels["clinic_blank"], st.cell)]
    box = table([[lines]], [ctx.frame_width], ctx, [
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad * 2),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad * 1.5),
    ])
    return KeepTogether([Spacer(0, s.gap), box])
