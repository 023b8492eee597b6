"""kind: checklist — sections of items with tick boxes (things to do) or plain points
(`tick: false`, things to know); warning sections boxed in red with the clinic's phone
and the emergency route; optional write-in lines for the patient's details."""

from __future__ import annotations

from dataclasses import replace

from reportlab.platypus import Flowable, KeepTogether, Table

from aidpress.errors import UnfitContent
from aidpress.model import Checklist, Item, Section

from .boxes import TickBox, WriteInLine
from . import engine
from .common import Context, opening, table
from .page import Heading
from .scale import DENSITY, WARNING, WARNING_TINT, Scale
from .text import para, unbroken
from .units import Unit, marked_row


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
    spacing closed up as far as it goes (layouts.fit closes it up to keep them there).
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
    """Write-in lines, two to a row on regular print, one per row on large print."""
    s = ctx.scale
    lines = [WriteInLine(s, f.shown_label, field_id=f.id, slots=ctx.slots) for f in aid.fields]
    per_row = 1 if s.large else 2
    rows = [lines[i:i + per_row] for i in range(0, len(lines), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    lines_table = table(rows, [ctx.frame_width / per_row] * per_row, ctx, [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), s.gap),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad)])
    return [Heading(ctx.labels["patient_details"], ctx.styles.heading, level=1), lines_table]


def item_row(item: Item, ctx: Context, tick: bool = True) -> list:
    return marked_row(_cells(item, ctx, tick))


def _cells(item: Item, ctx: Context, tick: bool = True) -> list:
    st = ctx.styles
    content = [para(item.text, st.cell)]
    content += [para(d, st.bullet) for d in item.details]
    for p in content[1:]:
        p.bulletText = "•"
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
    items = [_items_table([item_row(item, ctx, section.tick)], ctx, []) for item in section.items]
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


def warning_section(aid: Checklist, index: int, ctx: Context) -> Flowable:
    """The warning section at `index`: a red bar heading with a warning sign over a red-
    bordered, tinted box of its items, the clinic's phone and the emergency route; one
    unit kept on page 1 (spacing closes up to keep it there). A box too tall for a page
    at the handout's spacing is set closed up; too tall even so, it is an error."""
    section = aid.sections[index]
    for density in range(ctx.scale.density, len(DENSITY)):
        unit = _warning_unit(section, _at_density(ctx, density))
        if _fits(unit, ctx):
            keep = KeepTogether(unit)
            unit[0].on_first_page = True
            return keep
    raise UnfitContent(section.where.file, ("sections", index),
                       f"the warning section '{section.heading}' of '{aid.title}' is taller than a page, "
                       "and a warning box is never split across pages",
                       "shorten its items, or move the ones that are not warnings to another section")


def _warning_unit(section: Section, ctx: Context) -> list[Flowable]:
    s, st = ctx.scale, ctx.styles
    heading = Heading(f"{ctx.labels['warning_mark']} {section.heading}", st.warning_heading, level=1)
    heading.outline_text = section.heading
    rows = []
    if section.intro:
        rows.append(["", para(section.intro, st.cell_bold)])
    rows += [_cells(item, ctx, section.tick) for item in section.items]
    contact = len(rows)
    rows += [[contact_line(ctx, "call_clinic", unbroken(ctx.clinic.phone)), ""],
             [contact_line(ctx, "emergency", ctx.clinic.emergency), ""]]
    edge = s.rule * 2.5
    # The phone and emergency lines span the box, ruled off from the items.
    box = _items_table(rows, ctx, [
        ("BOX", (0, 0), (-1, -1), edge, WARNING), ("BACKGROUND", (0, 0), (-1, -1), WARNING_TINT),
        ("LINEABOVE", (0, contact), (-1, contact), s.rule, WARNING), ("SPAN", (0, contact), (-1, contact)),
        ("SPAN", (0, contact + 1), (-1, contact + 1))])
    return [heading, WholeBox(box, "AidKeep")]


def contact_line(ctx: Context, label: str, value: str | None) -> Flowable:
    """'Phone the clinic: 020 …' from the clinic profile, or a line to write it on."""
    if value:
        return para(value, ctx.styles.cell, bold_lead=ctx.labels[label] + ":")
    return WriteInLine(ctx.scale, ctx.labels[label])
