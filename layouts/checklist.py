"""kind: checklist — sections of items with tick boxes (things to do) or plain points
(`tick: false`, things to know); warning sections boxed in red with the clinic's phone
and the emergency route, first and whole on page 1; optional write-in lines for the
patient's details. The warning box (warning_box) serves a quiz's red-flag question too."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Table

from aidpress.errors import UnfitContent
from aidpress.labels import clinic_words
from aidpress.model import Checklist, Item, Section

from .boxes import CELL, TickBox, WriteInLine, list_item
from . import engine, tagging
from .common import Context, opening, table
from .page import Heading
from .scale import DENSITY, INK, REGULAR, WARNING, WARNING_TINT, Scale
from .text import Para, para, unbroken
from .units import Node, Unit, begin, end, new_ident


def render(aid: Checklist, ctx: Context) -> list[Flowable]:
    """Warning sections first, each one unit on page 1; then the other sections in their
    YAML order. The patient's details go between title and warnings when all fit on page
    1, else after the warnings: what to do when something goes wrong comes first."""
    warnings = [warning_section(aid, i, ctx) for i, section in enumerate(aid.sections) if section.warning]
    fields = patient_fields(aid, ctx) if aid.fields else []
    out: list[Flowable] = []
    if warnings and fields and not _room_for_fields(aid, ctx):
        out += warnings + fields
    else:
        out += fields + warnings
    sections = [s for s in aid.sections if not s.warning]
    parts = [plain_section(section, ctx) for section in sections]
    for i, (section, flowables) in enumerate(zip(sections, parts)):
        if i + 1 < len(parts) and _one_line(section, flowables, ctx):
            # A section of a single line cannot give its heading two lines: it keeps with
            # the start of the next section instead, so the heading never ends a page.
            following = parts[i + 1]
            lead = engine.contained(following[0]) or following[:2]
            rest = following[1:] if engine.contained(following[0]) else following[2:]
            parts[i + 1] = [KeepTogether(engine.contained(flowables[0]) + lead)] + rest
            continue
        out += flowables
    return out


def _room_for_fields(aid: Checklist, ctx: Context) -> bool:
    """Whether title, intro, the patient's details and every warning fit on page 1 with
    spacing closed up as far as it goes (layouts/fitting.py closes it up to keep them there).
    Decided at the tightest spacing, so every density lays the sections out in one order."""
    tight = _at_density(ctx, len(DENSITY) - 1)
    warnings = [_warning_unit(s, tight) for s in aid.sections if s.warning]
    return _fits(opening(aid, tight) + patient_fields(aid, tight) + [f for w in warnings for f in w], tight)


def _at_density(ctx: Context, density: int) -> Context:
    if density == ctx.scale.density:
        return ctx
    return replace(ctx, scale=Scale(ctx.scale.body, ctx.scale.accent_hex, density))


def _height(flowables: list, ctx: Context) -> float:
    """The height flowables take stacked in the frame, spaces between them included."""
    total = 0.0
    flat = [g for f in flowables for g in (engine.contained(f) or [f])]
    for i, f in enumerate(flat):
        total += f.wrap(ctx.frame_width, ctx.frame_height)[1] + f.getSpaceAfter()
        total += f.getSpaceBefore() if i else 0
    return total


def _fits(flowables: list, ctx: Context) -> bool:
    return _height(flowables, ctx) <= ctx.frame_height


def _one_line(section: Section, flowables: list, ctx: Context) -> bool:
    """A plain section with no intro and one item of one line (its only flowable)."""
    if section.warning or section.intro or len(section.items) != 1 or len(flowables) != 1:
        return False
    content = engine.contained(flowables[0])
    return content is not None and _lines(content[-1], ctx) < 2


def patient_fields(aid: Checklist, ctx: Context) -> list[Flowable]:
    """Write-in lines in field order, one a row across the frame, so a realistic value
    ("Dr Siobhán O'Connor-Fitzgerald, MCSP, HCPC-registered physiotherapist") prints at
    full size. A free-text field (a name, an area, a practitioner) has a second ruled line
    that a long value wraps onto; a typed one (a date, a date and time) is short: one line."""
    s = ctx.scale
    rows = [[PatientLine(s, f.shown_label, field_id=f.id, slots=ctx.slots, lines=2 if f.value_type == "text" else 1)]
            for f in aid.fields]
    lines_table = table(rows, [ctx.frame_width], ctx, [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad)])
    return [Heading(ctx.labels["patient_details"], ctx.styles.heading, level=1), lines_table]


def second_line_pitch(scale: Scale) -> float:
    """How far below a write-in line its second ruled line is (baseline to baseline):
    room for a value at body size without touching the line above."""
    return scale.body * 1.35


class PatientLine(WriteInLine):
    """A patient's write-in line; with `lines=2`, a second ruled line under it, from the
    label's left edge to the end, onto which a long value wraps (see layouts/stamp.py).
    The slot log (stamp.SlotLog) is told where that second line is. To a reader its label
    is a paragraph (P) of its own; its lines are artifacts."""

    label_apart = True

    def __init__(self, scale: Scale, label: str, field_id: str = "", slots: list | None = None, lines: int = 1):
        super().__init__(scale, label, field_id=field_id, slots=slots)
        self.lines = lines

    def wrap(self, avail_width, avail_height):
        # Tighter than a plain write-in line (2.2 × body): the rows of fields are spaced by
        # the table's padding, and a field may have a second line below.
        width, _ = super().wrap(avail_width, avail_height)
        self.height = self.scale.body * 1.8 + (self.lines - 1) * second_line_pitch(self.scale)
        return width, self.height

    def draw(self):
        s, c = self.scale, self.canv
        below = (self.lines - 1) * second_line_pitch(s)
        c.saveState()
        c.translate(0, below)
        super().draw()  # the label, the first line, and its slot
        c.restoreState()
        if self.lines < 2:
            return
        baseline = s.body * 0.5
        c.setStrokeColor(INK)
        c.setLineWidth(s.rule)
        c.line(0, baseline - s.body * 0.25, self.width, baseline - s.body * 0.25)
        record = getattr(self.slots, "second_line", None)
        if record is not None:
            x, y = c.absolutePosition(s.pad, baseline)
            record(x, y, self.width - s.pad)


def item_row(item: Item, ctx: Context, tick: bool = True, items: Node | None = None) -> list:
    """An item's row: its tick box or bullet, then its text. To a reader, a list item (LI,
    of the list `items`) whose label (Lbl) is the box or bullet and whose body (LBody) is
    the text; the item keeps its audit kind (AidRow), so a split shows as a split row."""
    return list_item(_cells(item, ctx, tick), items or Node("L"), Node("LI", "AidRow"))


def _cells(item: Item, ctx: Context, tick: bool = True) -> list:
    st = ctx.styles
    content = [para(item.text, st.cell)]
    content += [para(d, st.bullet) for d in item.details]
    for p in content[1:]:  # each a point: to a reader its bullet the Lbl, its text the LBody
        p.bulletText, p.listed = "•", True
    return [TickBox(ctx.scale) if tick else para("•", st.cell_bold), content]


def _items_table(rows: list, ctx: Context, extra: list) -> Table:
    s = ctx.scale
    return table(rows, [s.tick + s.gap, ctx.frame_width - s.tick - s.gap], ctx, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), s.pad),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad),
    ] + extra, splitInRow=1)


def plain_section(section: Section, ctx: Context) -> list[Flowable]:
    head: list[Flowable] = [Heading(section.heading, ctx.styles.heading, level=1)]
    if section.intro:
        head.append(para(section.intro, ctx.styles.lead_in))  # kept with the first item, as the heading is
    # One table per item. The heading keeps with the first item, and with the second too
    # when the first is a single line: a heading needs two lines of what it heads below it.
    listed = Node("L")  # the section's items: one list, however many tables they are set in
    items = [_items_table([item_row(item, ctx, section.tick, listed)], ctx, []) for item in section.items]
    first = 1 if section.intro or len(items) < 2 or _lines(items[0], ctx) >= 2 else 2
    return [KeepTogether(head + items[:first])] + items[first:]


def _lines(item: Table, ctx: Context) -> int:
    return round((item.wrap(ctx.frame_width, ctx.frame_height)[1] - 2 * ctx.scale.pad) / ctx.scale.leading)


class WholeBox(Unit):
    """A warning box: drawn as one unit (AidKeep, so the page audit sees a split), and never
    split across pages. The box as a whole moves to the next page instead; one taller than
    a page is refused before layout (warning_section)."""

    def split(self, avail_width, avail_height):
        return []

    def splitOn(self, canv, avail_width, avail_height):
        return []


class BoxHeading(Heading):
    """A heading that a reader finds inside the element it heads (`group`, a units.Node:
    a warning box's section), though it is drawn before and apart from it. Its band (the
    style's backColor) is painted first and apart from its text, so it is an artifact;
    the text is then drawn over it as ReportLab would (same rectangle, same order)."""

    group: Node | None = None

    def drawOn(self, canvas, x, y, _sW=0):
        band, style = self.style.backColor, self.style
        if band:  # (a heading is set flush left in the frame: x is where ReportLab draws it)
            pad = style.borderPadding
            canvas.saveState()
            canvas.translate(x, y)
            canvas.setFillColor(band)
            canvas.rect(style.leftIndent - pad, -pad, self.width - style.leftIndent - style.rightIndent + 2 * pad,
                        self.height + 2 * pad, fill=1, stroke=0)
            canvas.restoreState()
            self.style = ParagraphStyle(style.name, parent=style, backColor=None)
        ident = new_ident()
        begin(canvas, self.unit_tag, ident, parents=(self.group,) if self.group is not None else ())
        tagging.heading(canvas, ident[0], self.outline_level)
        try:
            Para.drawOn(self, canvas, x, y, _sW)
        finally:
            self.style = style
        end(canvas)

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        for part in parts:
            part.group = self.group
        return parts


def warning_section(aid: Checklist, index: int, ctx: Context) -> Flowable:
    """The warning section at `index`: a red bar heading with a warning sign over a red-
    bordered, tinted box of its items, the clinic's phone and the emergency route; one
    unit kept on page 1 (spacing closes up to keep it there)."""
    section = aid.sections[index]
    whole = kept_whole(lambda at: _warning_unit(section, at), ctx)
    if whole is None:
        raise UnfitContent(section.where.file, ("sections", index),
                           f"the warning section '{section.heading}' of '{aid.title}' is taller than a page, "
                           "and a warning box is never split across pages",
                           "shorten its items, or move the ones that are not warnings to another section")
    return whole


def kept_whole(make, ctx: Context) -> Flowable | None:
    """A warning unit (`make(ctx)`: its heading and WholeBox) kept together and asked for on
    page 1. Too tall for a page at the handout's spacing, it is set closed up; still too
    tall at the tightest spacing: None (the caller names what to shorten)."""
    for density in range(ctx.scale.density, len(DENSITY)):
        unit = make(_at_density(ctx, density))
        if _fits(unit, ctx):
            unit[0].on_first_page = True
            return KeepTogether(unit)
    return None


def _warning_unit(section: Section, ctx: Context) -> list[Flowable]:
    st = ctx.styles
    rows = []
    if section.intro:
        rows.append(["", para(section.intro, st.cell_bold)])
    rows += [_cells(item, ctx, section.tick) for item in section.items]
    return warning_box(section.heading, rows, ctx)


def warning_box(heading_text: str, rows: list, ctx: Context, compact: bool = False) -> list[Flowable]:
    """A red bar heading with a warning sign over a red-bordered, tinted box: `rows` of
    [tick or bullet, content] (or [content] across the box), then the clinic's phone and
    the emergency route, ruled off. The box is one unit that never splits (WholeBox).
    `compact` (where the box shares page 1 with much else): the heading is the box's first
    row, reversed out of the same dark red, and phone and route share a line if they fit.

    To a reader the heading and the box are one section (Sect, of the audit's kind AidKeep):
    the heading (H2/H3), the rows of [tick or bullet, content] as a list (L of LI, each a Lbl
    and a LBody), any other row, the phone and the route as paragraphs. The box's fill and
    rules are drawn apart from its text: artifacts."""
    s, st = ctx.scale, ctx.styles
    mark = f"{ctx.labels['warning_mark']} {heading_text}"
    lines = [contact_line(ctx, "call_clinic", unbroken(ctx.clinic.phone)),
             contact_line(ctx, "emergency", clinic_words(ctx.clinic, ctx.clinic.emergency))]
    if compact:
        lines = _contacts_on_one_line(ctx) or lines
        rows = [[Unit(para(mark, st.cell_head), "AidHead")]] + rows
    contact = len(rows)
    rows = _box_rows(rows) + [[_text(line)] for line in lines]
    edge = s.rule * 2.5
    # A row of one cell (the phone, the route, or a caller's own) spans the box.
    spans = [("SPAN", (0, r), (-1, r)) for r, row in enumerate(rows) if len(row) == 1]
    rows = [row + [""] * (2 - len(row)) for row in rows]
    if compact:
        spans.append(("BACKGROUND", (0, 0), (-1, 0), WARNING))
    # The section is the box's own unit: the box is drawn as the Node the heading sits in
    # (one identity: one element), so heading and box are one element, and a split of the
    # box still shows as a split unit of the audit's kind AidKeep.
    section = Node("Sect", "AidKeep")
    box = WholeBox(_items_table(rows, ctx, [
        ("BOX", (0, 0), (-1, -1), edge, WARNING), ("BACKGROUND", (0, 0), (-1, -1), WARNING_TINT),
        ("LINEABOVE", (0, contact), (-1, contact), s.rule, WARNING)] + spans), "AidKeep", section.ident, role="Sect")
    if compact:
        return [box]
    heading = BoxHeading(mark, st.warning_heading, level=1)
    heading.outline_text = heading_text
    heading.group = section
    return [heading, box]


def _box_rows(rows: list) -> list:
    """A warning box's rows with each cell marked for a reader: each run of rows of [tick
    or bullet, content] one list, a row of ["", content] or [content] a paragraph."""
    out, items = [], None
    for row in rows:
        if len(row) == 2 and not isinstance(row[0], str):
            items = items or Node("L")
            out.append(list_item(row, items, Node("LI")))
            continue
        items = None
        out.append([_text(cell) if cell != "" else cell for cell in row])
    return out


def _text(cell):
    """A cell's text as a paragraph of its own (P); a write-in line's label is one
    already (boxes.WriteInLine), and a cell already marked stays as it is."""
    if isinstance(cell, (list, tuple)):
        return [_text(c) for c in cell]
    if isinstance(cell, (WriteInLine, Unit)):
        return cell
    if isinstance(cell, Table):  # boxes side by side (a red flag's Yes and No): a list
        _mark_ticks(cell)
        return cell
    return Unit(cell, CELL, role="P")


def _mark_ticks(grid: Table) -> None:
    """The cells of a table of [tick box, its meaning] pairs side by side, marked as the
    items of one list (read across, then down: the order they are drawn in)."""
    items = Node("L")
    for row in engine.cell_values(grid):
        for i, cell in enumerate(row):
            if isinstance(cell, TickBox) and i + 1 < len(row):
                row[i:i + 2] = list_item(row[i:i + 2], items, Node("LI"))
            elif isinstance(cell, Flowable) and not isinstance(cell, Unit):
                row[i] = Unit(cell, CELL, role="P")


def _contacts_on_one_line(ctx: Context) -> list[Flowable] | None:
    """'Phone the clinic: 020 … · In an emergency: call 999 …' as one line (a line to
    write the route on when the profile gives none), or None when it would not fit one."""
    s, labels, clinic = ctx.scale, ctx.labels, ctx.clinic
    if not clinic.phone:
        return None
    width = ctx.frame_width - 2 * s.pad
    lead = labels["call_clinic"] + ": " + unbroken(clinic.phone) + " · " + labels["emergency"]
    if clinic.emergency:
        together = para(clinic_words(clinic, clinic.emergency), ctx.styles.cell, bold_lead=lead + ":")
        return [together] if together.wrap(width, ctx.frame_height)[1] <= s.leading * 1.5 else None
    room = width - stringWidth(lead + ":", REGULAR, s.body) - s.pad  # the line to write on
    return [_apart(WriteInLine(s, lead))] if room >= width * 0.3 else None


def contact_line(ctx: Context, label: str, value: str | None) -> Flowable:
    """'Phone the clinic: 020 …' from the clinic profile, or a line to write it on."""
    if value:
        return para(value, ctx.styles.cell, bold_lead=ctx.labels[label] + ":")
    return _apart(WriteInLine(ctx.scale, ctx.labels[label]))


def _apart(line: WriteInLine) -> WriteInLine:
    """A write-in line whose label a reader reads as a paragraph of its own (in a box of
    paragraphs), its rule an artifact."""
    line.label_apart = True
    return line
