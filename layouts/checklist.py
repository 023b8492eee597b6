"""kind: checklist — sections of items with tick boxes (things to do) or plain points
(`tick: false`, things to know); warning sections boxed in red with the clinic's phone
and the emergency route; optional write-in lines for the patient's details."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Table

from aidpress.model import Checklist, Item, Section

from .boxes import TickBox, WriteInLine
from . import engine
from .common import Context, table
from .page import Heading
from .scale import WARNING, WARNING_TINT
from .text import para, unbroken
from .units import marked_row


def render(aid: Checklist, ctx: Context) -> list[Flowable]:
    out: list[Flowable] = []
    if aid.fields:
        out += patient_fields(aid, ctx)
    parts = [warning_section(section, ctx) if section.warning else plain_section(section, ctx)
             for section in aid.sections]
    for i, (section, flowables) in enumerate(zip(aid.sections, parts)):
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
    st = ctx.styles
    content = [para(item.text, st.cell)]
    content += [para(d, st.bullet) for d in item.details]
    for p in content[1:]:
        p.bulletText = "•"
    return marked_row([TickBox(ctx.scale) if tick else para("•", st.cell_bold), content])


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


def warning_section(section: Section, ctx: Context) -> list[Flowable]:
    """A red bar heading with a warning sign over a red-bordered, tinted box of items."""
    s, st = ctx.scale, ctx.styles
    heading = Heading(f"{ctx.labels['warning_mark']} {section.heading}", st.warning_heading, level=1)
    heading.outline_text = section.heading
    rows = []
    if section.intro:
        rows.append(marked_row(["", para(section.intro, st.cell_bold)]))
    rows += [item_row(item, ctx, section.tick) for item in section.items]
    contact = len(rows)
    rows += [marked_row([contact_line(ctx, "call_clinic", unbroken(ctx.clinic.phone)), ""]),
             marked_row([contact_line(ctx, "emergency", ctx.clinic.emergency), ""])]
    edge, tint = s.rule * 2.5, [("BACKGROUND", (0, 0), (-1, -1), WARNING_TINT)]

    def contact_rows(start: int) -> list:  # the phone and emergency lines span the box, ruled off
        at = contact - start
        return [("LINEABOVE", (0, at), (-1, at), s.rule, WARNING), ("SPAN", (0, at), (-1, at)),
                ("SPAN", (0, at + 1), (-1, at + 1))]

    box = _items_table(rows, ctx, [("BOX", (0, 0), (-1, -1), edge, WARNING)] + tint + contact_rows(0))
    first = 2 if section.intro else 1
    # Two lines of what it heads below the heading: the second item too, after a one-line first.
    if first == 1 and contact >= 2 and _lines(_items_table([rows[0]], ctx, []), ctx) < 2:
        first = 2
    if box.wrap(ctx.frame_width, ctx.frame_height)[1] < ctx.frame_height / 3 or contact <= first:
        return [heading, box]
    # A long box: the heading keeps with its first item only, not the whole box (which
    # would move to the next page and leave this one empty). Two tables, one outline.
    sides = [("LINEBEFORE", (0, 0), (0, -1), edge, WARNING), ("LINEAFTER", (-1, 0), (-1, -1), edge, WARNING)]
    top = _items_table(rows[:first], ctx, sides + tint + [("LINEABOVE", (0, 0), (-1, 0), edge, WARNING)])
    rest = _items_table(rows[first:], ctx, sides + tint + [("LINEBELOW", (0, -1), (-1, -1), edge, WARNING)]
                        + contact_rows(first))
    return [heading, top, rest]


def contact_line(ctx: Context, label: str, value: str | None) -> Flowable:
    """'Phone the clinic: 020 …' from the clinic profile, or a line to write it on."""
    if value:
        return para(value, ctx.styles.cell, bold_lead=ctx.labels[label] + ":")
    return WriteInLine(ctx.scale, ctx.labels[label])
