"""Parts every aid kind prints around its own content: title block, intro, notes,
"About this leaflet" (or, on instruction sheets, one line of sources and dates) and the
clinic block. Kind modules call these; they never draw page chrome."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from aidpress.dates import printed
from aidpress.labels import clinic_words, labels_for
from aidpress.model import Aid, Checklist, Clinic

from . import engine
from .page import Heading
from .scale import BOLD, REGULAR, Scale
from .text import para, para_parts, unbroken
from .units import Node, Unit

CELL = "AidCell"  # the unit kind of a paragraph in a box or column: no audit kind (tagging.CLASSES)


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
    landscape: tuple[float, float] = (0.0, 0.0)  # the frame's width and height on a landscape page
    lists_split: bool = False  # a list kept whole as designed may split (fitting.Attempt.lists_split)
    rule_gap: float = 0.0  # the page between the header and footer rules is this much taller than the frame

    @property
    def page_height(self) -> float:
        """The page as a reader, and the page audit, sees it: from the header's rule to the
        footer's. "Half a page" is half of this, not of the (shorter) frame."""
        return self.frame_height + self.rule_gap

    @property
    def styles(self):
        return self.scale.styles

    @functools.cached_property  # cache: on this Context; lifetime: the one attempt it is made for
    def labels(self) -> dict[str, str]:
        return labels_for(self.clinic)


def opening(aid: Aid, ctx: Context) -> list[Flowable]:
    st = ctx.styles
    out: list[Flowable] = [Heading(aid.title, st.title)]
    if aid.subtitle:
        out.append(para(aid.subtitle, st.subtitle))
    out += [para(p, st.body) for p in aid.intro]
    return out


def closing(aid: Aid, ctx: Context, compact: bool = False) -> list[Flowable]:
    """Notes, then About this leaflet (or a checklist's one line) beside the clinic's box:
    set side by side, the address takes no lines of its own, so a handout does not grow a
    page for it. `compact` (when nothing else pulls it onto the last page of content):
    the heading heads the left column, level with the box, taking no line of its own."""
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
    title = None
    if compact and heading is not None:
        # (A paragraph in the column, a heading to a reader; the bookmark stays with an
        # anchor that draws nothing.)
        title = para(heading.outline_text, heading.style)
        lines = [title] + lines
        head = [Anchor(heading.outline_text, heading.style, level=heading.outline_level)]
    # Beside the box when that is short; a text that cannot be short there is not tried.
    if height_at_least(lines, ctx.frame_width * (0.55 if ctx.scale.large else 0.62)) < ctx.frame_height * 0.4:
        column = [Unit(f, "AidTrailHead") if f is title else f for f in lines]
        side_by_side = beside(column, clinic_lines(ctx), ctx)
        if side_by_side.wrap(ctx.frame_width, ctx.frame_height)[1] < ctx.frame_height * 0.4:
            out.append(KeepTogether(head + [Unit(side_by_side, "AidTrail")]))
            return out
    if compact:
        return closing(aid, ctx)
    # Too long to sit beside the box: the width of the page, then the box. Kept together
    # when it fits on a page (a back page of its own is worth it then); when taller, the
    # box takes at least a third of a page of lines with it, so it never stands alone.
    _, lines = about(aid, ctx)  # fresh paragraphs: the first ones were wrapped inside the table
    box = engine.kept_together(clinic_block(ctx))
    whole = head + [Unit(p, "AidTrail") for p in lines] + box
    # (Unless that would leave the page before under half full: Attempt.lists_split.)
    if not ctx.lists_split and sum(f.wrap(ctx.frame_width, ctx.frame_height)[1] for f in whole) < ctx.frame_height * 0.9:
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


class Anchor(Heading):
    """A heading's bookmark where the heading itself is drawn inside a table: takes no
    space and draws nothing (closing matter, like the heading it stands for)."""

    unit_tag = "AidTrailHead"

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def split(self, avail_width, avail_height):
        return []

    def getSpaceBefore(self):
        return 0

    def getSpaceAfter(self):
        return 0

    def drawOn(self, canvas, x, y, _sW=0):
        pass


IN_PACK = "_aidpress_in_pack"  # an attribute marking an aid bound in a pack (see bound_in_pack)


def bound_in_pack(aid: Aid) -> Aid:
    """The aid, marked as bound in a pack: it prints no closing lines of its own (About
    block, sources line), as the pack prints one About block with one source list at its
    end (layouts/pack.py). A mark, not a field: it is no key of the aid format."""
    object.__setattr__(aid, IN_PACK, True)
    return aid


def about(aid: Aid, ctx: Context) -> tuple[Heading | None, list[Flowable]]:
    """The closing lines: on a decision aid the About block (a heading and its lines), on
    an instruction sheet one compact line and no heading; none on an aid bound in a pack."""
    if getattr(aid, IN_PACK, False):
        return None, []
    if isinstance(aid, Checklist):
        return None, about_line(aid, ctx)[1:]
    lines = about_block(aid, ctx)
    return (Heading(ctx.labels["about_heading"], ctx.styles.heading, level=1), lines) if lines else (None, [])


def about_block(aid: Aid, ctx: Context, concerns: list[Aid] | None = None) -> list[Flowable]:
    """On a decision aid, what a reader needs to trust it (IPDAS): who wrote it, the
    sources, when it was produced and is to be reviewed and how it is kept up to date,
    funding, conflicts of interest (the aid's, and the clinic's where its `interests:`
    concern this aid — or, in a pack, any of `concerns`), and the disclaimer."""
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
    conflicts = " ".join(t for t in (about and about.conflicts, ctx.clinic.interests_for(concerns or [aid])) if t)
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
    return [(ctx.labels[key], printed(date, weekday=False)) for key, date in
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
    """`left` in a column, the clinic box to its right, its top level with the first line.
    To a reader, each of the column's paragraphs is one (P), and the box one group (Div)
    of its lines (a P each); its rule is an artifact."""
    s = ctx.scale
    left = [f if isinstance(f, Unit) else Unit(f, CELL, role="P") for f in left]
    group = Node("Div")
    box = [f if isinstance(f, Unit) else Unit(f, CELL, role="P", parents=(group,)) for f in box]
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


NEARLY_A_PAGE = 0.8  # of a frame; the page audit tolerates a split from 0.75 (of its slightly taller frame)


class RowSplittingTable(Table):
    """A table that keeps every row whole and splits only a row taller than a page.

    ReportLab splits a row in place whenever splitInRow is on. Here a row that does not
    fit moves to the next page whole, unless it alone is taller than a page (or nearly,
    where moving it would leave most of the page empty); then it splits with at least two
    lines on each side, and the continuation repeats the row's label (first cell) under
    the repeated header row, so its option names are there too."""

    gap_limit = 0.0
    page_height = 0.0
    splits_again = False  # set on the continuation of a row split across pages

    def split(self, avail_width, avail_height):
        heights = engine.row_heights(self, avail_width, avail_height)
        by_rows = engine.split_rows(self, avail_height, in_row=False)
        n = engine.first_split_row(self, avail_height)
        if n >= len(heights):
            return by_rows
        row = heights[n]
        wasted = avail_height - sum(heights[:n])
        header = sum(heights[:self.repeatRows or 0])
        # A row taller than a page (or the continuation of one, `splits_again`) splits
        # here, keeping at least gap_limit (two lines and padding) for the next page:
        # when less would follow, it breaks a little higher. A row nearly a page tall
        # that would leave most of this page empty (under a heading, say) splits too:
        # moving it would strand what is above it.
        # (Its text alone, less padding — what the audit measures — is that tall.)
        nearly = row - self.gap_limit / 2 > NEARLY_A_PAGE * self.page_height and wasted > self.page_height / 2
        cut = avail_height - max(0.0, self.gap_limit - (row - wasted))
        taller = row > self.page_height - header or self.splits_again and n == (self.repeatRows or 0)
        if (taller or nearly) and wasted - (avail_height - cut) > self.gap_limit:
            in_row = engine.split_rows(self, cut, in_row=True)
            if len(in_row) == 2:
                _repeat_label(engine.cell_values(self)[n][0], in_row[1], self.repeatRows or 0)
                in_row[1].splits_again = True  # its first row is the continuation
                return in_row
        return by_rows


def _repeat_label(label, rest: Table, row: int) -> None:
    """Put a copy of a split row's label in its continuation (ReportLab leaves it empty)."""
    first = label[0] if isinstance(label, (list, tuple)) and label else label
    inner = getattr(first, "inner", first)
    text = getattr(inner, "text", None)
    if not text or row >= len(engine.cell_values(rest)):
        return
    from .text import Para  # a paragraph like any other: its line ends are read (text.Para)

    copy = Para(text, inner.style)
    # (read once, where the row begins: tagged, the copy is an artifact)
    engine.cell_values(rest)[row][0] = [type(first)(copy, first.tag, None, "Artifact")] if first is not inner else [copy]
    engine.free_row_height(rest, row)  # the label may be taller than what is left of the row


# Cache: key (gap limit, frame height): a few values per type scale and paper; lifetime: the
# process (a class, small; its parts must share it, see below).
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
    phone = c.phone and ctx.labels["phone"] + ": " + unbroken(c.phone)
    return lines + [para(v, st.cell) for v in (clinic_words(c, c.address), phone, c.website) if v]


def clinic_block(ctx: Context) -> Flowable:
    """The clinic's full contact details in a ruled box, at the end of every handout
    (marked as closing matter, see units.py). To a reader one group (Div) of its lines,
    a paragraph (P) each; its rule is an artifact."""
    s = ctx.scale
    lines = [Unit(f, CELL, role="P") for f in clinic_lines(ctx)]
    box = table([[lines]], [ctx.frame_width], ctx, [
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad * 2),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad * 1.5),
    ])
    return KeepTogether([Spacer(0, s.gap), Unit(box, "AidTrail", role="Div")])


class KeepWithClosing(Flowable):
    """The last piece of a handout's content with the closing matter after it.

    Used when closing up the spacing cannot pull the closing matter back onto the last
    page of content: rather than let it stand alone on a page, the end of the content
    goes over with it — the last lines of a paragraph, the last table row (or, after a
    row taller than a page, its last lines), the last whole step or item. Never moves
    what starts a page, so it cannot leave a page empty."""

    locChanger = 1  # never grouped into a KeepTogether (see keep_with_closing for headings)

    def __init__(self, last: Flowable, closing: list[Flowable], frame_height: float):
        super().__init__()
        self.last, self.closing, self.frame_height = last, closing, frame_height

    def wrap(self, avail_width, avail_height):
        return avail_width, 0xFFFFFF  # always asks to be split, as KeepTogether does

    def split(self, avail_width, avail_height):
        canv = getattr(self, "canv", None)
        last_h = flowables_height([self.last], avail_width, canv)
        closing_h = flowables_height(self.closing, avail_width, canv)
        at_top = engine.frame_at_top(self)
        # A group kept together is placed by its parts (ReportLab places the first thing
        # a split returns without splitting it, and a KeepTogether always asks to split).
        whole = engine.contained(self.last) or [self.last]
        if last_h + closing_h <= avail_height:
            return whole + self.closing  # all fits here
        if last_h > avail_height:  # the content splits here anyway; its end stays with the closing
            parts = self.last.splitOn(canv, avail_width, avail_height)
            return parts[:-1] + [KeepWithClosing(parts[-1], self.closing, self.frame_height)] if parts else []
        if closing_h > self.frame_height * 0.9:
            return whole + self.closing  # the closing is a page in itself
        # The content fits here and the closing does not: take the end of it over too
        # (a group kept together goes over whole).
        kept = engine.contained(self.last) is not None
        parts = [] if kept else self.last.splitOn(canv, avail_width, last_h - 0.5)
        if len(parts) >= 2:
            return parts[:-1] + [KeepWithClosing(parts[-1], self.closing, self.frame_height)]
        if at_top or last_h + closing_h > self.frame_height:
            return whole + self.closing  # cannot move without leaving a page empty
        return []  # the whole piece goes to the next page with the closing


def flowables_height(flowables: list, width: float, canv) -> float:
    total = 0.0
    for f in flowables:
        inner = engine.contained(f)
        if inner is not None:
            total += flowables_height(inner, width, canv)
            continue
        total += f.wrapOn(canv, width, 0xFFFFFF)[1] + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def keep_with_closing(content: list[Flowable], closing_matter: list[Flowable], ctx: Context) -> list[Flowable]:
    """`content` then `closing_matter`, the last drawn piece of content kept with it."""
    from reportlab.platypus.doctemplate import ActionFlowable

    i = len(content) - 1
    while i >= 0 and isinstance(content[i], (Spacer, ActionFlowable)):
        i -= 1
    if i < 0:
        return content + closing_matter
    if isinstance(content[i], KeepWithClosing):  # content ending in a piece already kept with what follows it
        held = content[i]
        return content[:i] + [KeepWithClosing(held.last, held.closing + content[i + 1:] + closing_matter,
                                              ctx.frame_height)]
    first = i  # a heading kept with what follows stays with it
    while first > 0 and content[first - 1].getKeepWithNext():
        first -= 1
    last = content[i] if first == i else KeepTogether(content[first:i + 1])
    return content[:first] + [KeepWithClosing(last, content[i + 1:] + closing_matter, ctx.frame_height)]
