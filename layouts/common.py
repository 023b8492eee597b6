"""Parts every aid kind prints around its own content: title block, intro, notes,
"About this leaflet" (or, on instruction sheets, one line of sources and dates) and the
clinic block. Kind modules call these; they never draw page chrome."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from aidpress.labels import labels_for
from aidpress.model import Aid, Checklist, Clinic

from . import engine
from .page import Heading
from .scale import BOLD, REGULAR, Scale
from .text import para, para_parts
from .units import Unit


@dataclass(frozen=True)
class Context:
    """What a kind renderer needs besides its model: the type scale and the frame."""

    scale: Scale
    clinic: Clinic
    frame_width: float
    frame_height: float
    slots: list | None = None  # when set, write-in lines record where values would go
    warnings: list = field(default_factory=list)  # Problems (severity "warning") the build reports
    # Printed page of each flowchart box: from the layout before (known_pages, used in
    # references), and as drawn in this one (drawn_pages).
    known_pages: dict = field(default_factory=dict)
    drawn_pages: dict = field(default_factory=dict)
    referenced: set = field(default_factory=set)  # boxes whose page a reference prints (known_pages)

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
    """Notes, then About this leaflet (or a checklist's one line) beside the clinic's box:
    set side by side, the address takes no lines of its own, so a handout does not grow a
    page for it."""
    st = ctx.styles
    out: list[Flowable] = [Spacer(0, ctx.scale.gap * 0.5)]
    out += [Unit(para(p, st.body), "AidTrail") for p in aid.notes]
    heading, lines = about(aid, ctx)
    if not lines:
        out.append(clinic_block(ctx))
        return out
    head = []
    if heading is not None:
        heading.unit_tag = "AidTrailHead"
        head = [heading]
    # Beside the box when that is short; a text that cannot be short there is not tried.
    if height_at_least(lines, ctx.frame_width * (0.55 if ctx.scale.large else 0.62)) < ctx.frame_height * 0.4:
        side_by_side = beside(lines, clinic_lines(ctx), ctx)
        if side_by_side.wrap(ctx.frame_width, ctx.frame_height)[1] < ctx.frame_height * 0.4:
            out.append(KeepTogether(head + [Unit(side_by_side, "AidTrail")]))
            return out
    # Too long to sit beside the box: the width of the page, then the box. Kept together
    # when it fits on a page (a back page of its own is worth it then); when taller, the
    # box takes at least a third of a page of lines with it, so it never stands alone.
    _, lines = about(aid, ctx)  # fresh paragraphs: the first ones were wrapped inside the table
    box = engine.kept_together(clinic_block(ctx))
    whole = head + [Unit(p, "AidTrail") for p in lines] + box
    if sum(f.wrap(ctx.frame_width, ctx.frame_height)[1] for f in whole) < ctx.frame_height * 0.9:
        out.append(KeepTogether(whole))
        return out
    tail, height = len(lines), sum(f.wrap(ctx.frame_width, ctx.frame_height)[1] for f in box)
    while tail > 1 and height < ctx.frame_height / 3:
        tail -= 1
        height += lines[tail].wrap(ctx.frame_width, ctx.frame_height)[1]
    out.append(KeepTogether(head + [Unit(lines[0], "AidTrail")]))
    out += [Unit(p, "AidTrail") for p in lines[1:tail]]
    out.append(KeepTogether([Unit(p, "AidTrail") for p in lines[max(tail, 1):]] + box))
    return out


def about(aid: Aid, ctx: Context) -> tuple[Heading | None, list[Flowable]]:
    """The closing lines: on a decision aid the About block (a heading and its lines), on
    an instruction sheet one compact line and no heading."""
    if isinstance(aid, Checklist):
        return None, about_line(aid, ctx)[1:]
    lines = about_block(aid, ctx)
    return (Heading(ctx.labels["about_heading"], ctx.styles.heading, level=1), lines) if lines else (None, [])


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
    return lines


def about_line(aid: Aid, ctx: Context) -> list[Flowable]:
    """On an instruction sheet, one compact line: sources · produced · review by."""
    numbered = " ".join(f"{i}. {s}" for i, s in enumerate(aid.sources, 1))
    parts = [(ctx.labels["sources"] + ":", numbered)] if aid.sources else []
    parts += _dates(aid, ctx)
    return [Spacer(0, ctx.scale.gap), para_parts(parts, ctx.styles.small)] if parts else []


def _dates(aid: Aid, ctx: Context) -> list[tuple[str, str]]:
    return [(ctx.labels[key], date.isoformat()) for key, date in
            (("produced", aid.updated), ("review_by", aid.review_by)) if date]


def height_at_least(flowables: list[Flowable], width: float) -> float:
    """A height the paragraphs among `flowables` are sure to need, set one under another
    in a column at most `width` wide, from the width of their words alone (no line
    breaking): a line holds at most `width` of words, plus the little ReportLab lets the
    spaces of a line shrink by. Anything else counts as nothing. Cheap enough to skip
    laying out a table (in `closing`) that is sure to be too tall."""
    total = 0.0
    for flowable in flowables:
        runs = engine.text_runs(flowable) if isinstance(flowable, Paragraph) else None
        style = getattr(flowable, "style", None)
        leading_of_lines = getattr(flowable, "autoLeading", getattr(style, "autoLeading", ""))
        if not runs or not style.splitLongWords or leading_of_lines not in ("", "off"):
            continue  # not a paragraph, already broken into lines, or lines of any height
        words = spaces = 0.0
        count = 0
        for text, font, size in runs:
            words += stringWidth("".join(text.split()), font, size)
            spaces = max(spaces, stringWidth(" ", font, size))
            count += len(text.split())
        if count:
            lines_needed = max(1, math.ceil((words - (style.spaceShrinkage or 0) * spaces * count) / width - 1e-9))
            total += lines_needed * style.leading
    return total


def beside(left: list[Flowable], box: list[Flowable], ctx: Context) -> Table:
    """`left` in a column, the clinic box to its right, its top level with the first line."""
    s = ctx.scale
    # Wide enough for the box's longest word (a web address must not break mid-word).
    words = [w for p in box for w in p.text.split()]
    longest = max((stringWidth(w, BOLD, s.body) for w in words), default=0) + s.pad * 4 + 2
    box_width = min(max(ctx.frame_width * (0.45 if s.large else 0.38), longest), ctx.frame_width * 0.6)
    return table([[left, box]], [ctx.frame_width - box_width, box_width], ctx, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
        ("RIGHTPADDING", (0, 0), (0, 0), s.gap),
        ("TOPPADDING", (0, 0), (0, 0), 0),
        ("BOX", (1, 0), (1, 0), s.rule, s.accent),
        ("LEFTPADDING", (1, 0), (1, 0), s.pad * 2),
        ("TOPPADDING", (1, 0), (1, 0), s.pad * 1.5),
        ("BOTTOMPADDING", (1, 0), (1, 0), s.pad * 1.5),
    ], splitInRow=1)


class RowSplittingTable(Table):
    """A table that keeps every row whole and splits only a row taller than a page.

    ReportLab splits a row in place whenever splitInRow is on. Here a row that does not
    fit moves to the next page whole, unless it alone is taller than a page; then it
    splits with at least two lines on each side, and the continuation repeats the row's
    label (first cell) under the repeated header row, so its option names are there too."""

    gap_limit = 0.0
    page_height = 0.0

    def split(self, avail_width, avail_height):
        heights = engine.row_heights(self, avail_width, avail_height)
        by_rows = engine.split_rows(self, avail_height, in_row=False)
        n = engine.first_split_row(self, avail_height)
        if n >= len(heights):
            return by_rows
        row = heights[n]
        wasted = avail_height - sum(heights[:n])
        header = sum(heights[:self.repeatRows or 0])
        if row > self.page_height - header and wasted > self.gap_limit and row - wasted > self.gap_limit:
            in_row = engine.split_rows(self, avail_height, in_row=True)
            if len(in_row) == 2:
                _repeat_label(engine.cell_values(self)[n][0], in_row[1], self.repeatRows or 0)
                return in_row
        return by_rows


def _repeat_label(label, rest: Table, row: int) -> None:
    """Put a copy of a split row's label in its continuation (ReportLab leaves it empty)."""
    first = label[0] if isinstance(label, (list, tuple)) and label else label
    inner = getattr(first, "inner", first)
    text = getattr(inner, "text", None)
    if not text or row >= len(engine.cell_values(rest)):
        return
    from reportlab.platypus import Paragraph

    copy = Paragraph(text, inner.style)
    engine.cell_values(rest)[row][0] = [type(first)(copy, first.tag, first.ident)] if first is not inner else [copy]


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
        kind = row_splitting_table(ctx.scale.leading * 2.5, ctx.frame_height)
    t = kind(rows, colWidths=widths, hAlign="LEFT", **options)
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, ctx.scale.body)] + commands))
    return t


def clinic_lines(ctx: Context) -> list[Flowable]:
    """The clinic's name, address, phone and website, a paragraph each."""
    c, st = ctx.clinic, ctx.styles
    if not c.name:
        return [para(ctx.labels["clinic_blank"], st.cell)]
    lines = [para(c.name, st.cell_bold)]
    return lines + [para(v, st.cell) for v in (c.address, c.phone and f"{ctx.labels['phone']}: {c.phone}", c.website) if v]


def clinic_block(ctx: Context) -> Flowable:
    """The clinic's full contact details in a ruled box, at the end of every handout
    (marked as closing matter, see units.py)."""
    s = ctx.scale
    box = table([[clinic_lines(ctx)]], [ctx.frame_width], ctx, [
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad * 2),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad * 1.5),
    ])
    return KeepTogether([Spacer(0, s.gap), Unit(box, "AidTrail")])
