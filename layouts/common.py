"""Parts every aid kind prints around its own content: title block, intro, notes,
"About this leaflet" (or, on instruction sheets, one line of sources and dates) and the
clinic block. Kind modules call these; they never draw page chrome."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from aidpress.labels import labels_for
from aidpress.model import Aid, Checklist, Clinic

from .page import Heading
from .scale import REGULAR, Scale
from .text import para, para_parts


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
    out += [para(p, st.body) for p in aid.notes]
    out += about_line(aid, ctx) if isinstance(aid, Checklist) else about_block(aid, ctx)
    out.append(clinic_block(ctx))
    return out


def about_block(aid: Aid, ctx: Context) -> list[Flowable]:
    """On a decision aid, what a reader needs to trust it (IPDAS): who wrote it, the
    sources, when it was produced and is to be reviewed and how it is kept up to date,
    funding, conflicts of interest (the aid's and the clinic's), and the disclaimer."""
    st, labels, about = ctx.styles, ctx.labels, aid.about
    lines: list[Flowable] = []
    if about and about.written_by:
        lines.append(para(about.written_by, st.small, bold_lead=labels["written_by"]))
    if aid.sources:
        lines.append(para_parts([(labels["sources"] + ":", "")], st.small))
        lines += [para(s, st.small, bold_lead=f"{i}.") for i, s in enumerate(aid.sources, 1)]
    dates = _dates(aid, ctx) + ([("", about.update_policy)] if about and about.update_policy else [])
    if dates:
        lines.append(para_parts(dates, st.small))
    if about and about.funding:
        lines.append(para(about.funding, st.small, bold_lead=labels["funding"]))
    conflicts = " ".join(t for t in (about and about.conflicts, ctx.clinic.interests) if t)
    if conflicts:
        lines.append(para(conflicts, st.small, bold_lead=labels["conflicts"]))
    if aid.disclaimer:
        lines.append(para(aid.disclaimer, st.small))
    if not lines:
        return []
    return [KeepTogether([Heading(labels["about_heading"], st.heading, level=1)] + lines)]


def about_line(aid: Aid, ctx: Context) -> list[Flowable]:
    """On an instruction sheet, one compact line: sources · produced · review by."""
    numbered = " ".join(f"{i}. {s}" for i, s in enumerate(aid.sources, 1))
    parts = [(ctx.labels["sources"] + ":", numbered)] if aid.sources else []
    parts += _dates(aid, ctx)
    return [Spacer(0, ctx.scale.gap), para_parts(parts, ctx.styles.small)] if parts else []


def _dates(aid: Aid, ctx: Context) -> list[tuple[str, str]]:
    return [(ctx.labels[key], date.isoformat()) for key, date in
            (("produced", aid.updated), ("review_by", aid.review_by)) if date]


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
