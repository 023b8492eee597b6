"""Parts every aid kind prints around its own content: title block, intro, notes,
sources and the clinic block. Kind modules call these; they never draw page chrome."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from aidpress.model import Aid, Clinic

from .labels import LABELS
from .page import Heading
from .scale import REGULAR, Scale
from .text import para


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
    out += [para(p, st.body) for p in aid.notes]
    if aid.sources:
        block = [Heading(LABELS["sources"], st.heading, level=1)]
        block += [para(s, st.small, bold_lead=f"{i}.") for i, s in enumerate(aid.sources, 1)]
        out.append(KeepTogether(block[:2]))
        out += block[2:]
    out.append(clinic_block(ctx))
    return out


class RowSplittingTable(Table):
    """A table that splits inside a tall row rather than leave a large gap.

    ReportLab tries whole rows first: a tall row that does not fit goes to the next
    frame, even if most of a page is left empty above it, and then splits there under a
    second copy of the header. Here, when moving whole rows would leave more than
    `gap_limit` empty, the row is split in place instead."""

    gap_limit = 0.0

    def split(self, avail_width, avail_height):
        self._calc(avail_width, avail_height)
        by_rows = self._splitRows(avail_height, doInRowSplit=0)
        if len(by_rows) == 2 and avail_height - by_rows[0].wrap(avail_width, avail_height)[1] > self.gap_limit:
            in_row = self._splitRows(avail_height, doInRowSplit=1)
            if in_row:
                return in_row
        return by_rows or super().split(avail_width, avail_height)


def table(rows: list, widths: list[float], ctx: Context, commands: list, **options) -> Table:
    """Every table in a handout: left-aligned, and set in the embedded font even in empty
    cells (ReportLab's default cell font is an unembedded Helvetica)."""
    kind = RowSplittingTable if options.get("splitInRow") else Table
    t = kind(rows, colWidths=widths, hAlign="LEFT", **options)
    t.gap_limit = ctx.scale.leading * 5
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, ctx.scale.body)] + commands))
    return t


def clinic_block(ctx: Context) -> Flowable:
    """The clinic's full contact details in a ruled box, at the end of every handout."""
    c, st, s = ctx.clinic, ctx.styles, ctx.scale
    if c.name:
        lines = [para(c.name, st.cell_bold)]
        lines += [para(v, st.cell) for v in (c.address, c.phone and f"{LABELS['phone']}: {c.phone}", c.website) if v]
    else:
        lines = [para(LABELS["clinic_blank"], st.cell)]
    box = table([[lines]], [ctx.frame_width], ctx, [
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad * 2),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad * 1.5),
    ])
    return KeepTogether([Spacer(0, s.gap), box])
