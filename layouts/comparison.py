"""kind: comparison — options side by side, one row per aspect.

Cells are paragraphs so they wrap; the header row repeats on every page; a row taller
than a page splits inside its cells (splitInRow) instead of failing; rows are banded
with per-row backgrounds, which survive page breaks (ROWBACKGROUNDS restarts).
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from aidpress.model import Comparison

from .common import Context, table
from .scale import BOLD, RULE, tint
from .text import para
from .units import marked_row


def column_widths(aid: Comparison, ctx: Context) -> list[float]:
    """The aspect column is wide enough for its longest word (bold), so no label breaks
    mid-word; the options share the rest equally."""
    s, total, options = ctx.scale, ctx.frame_width, len(aid.options)
    words = [w for row in aid.rows for w in row.aspect.split()] + aid.aspect_label.split()
    longest = max(stringWidth(w, BOLD, s.body) for w in words) + 4 * s.pad  # padding, and slack
    aspect = min(max(total * (0.24 if options <= 3 else 0.2), longest), total * 0.4)
    return [aspect] + [(total - aspect) / options] * options


def cell_padding(s) -> list:
    return [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad * 2),
    ]


def words_fit(aid: Comparison, ctx: Context, widths: list[float]) -> bool:
    """Whether every word of every cell fits its column without breaking mid-word."""
    room = min(widths[1:]) - 3 * ctx.scale.pad
    words = {w for row in aid.rows for cell in row.cells.values() for w in cell.split()}
    words |= {w for name in aid.options.values() for w in name.split()}
    return all(stringWidth(w, BOLD, ctx.scale.body) <= room for w in words)


def render(aid: Comparison, ctx: Context) -> list[Flowable]:
    """Side by side when the columns are wide enough for the words; otherwise (many
    options in large print) each aspect becomes a block listing every option in turn,
    which a low-vision reader can follow more easily than slivers of columns."""
    widths = column_widths(aid, ctx)
    return side_by_side(aid, ctx, widths) if words_fit(aid, ctx, widths) else stacked(aid, ctx)


def side_by_side(aid: Comparison, ctx: Context, widths: list[float]) -> list[Flowable]:
    st, s = ctx.styles, ctx.scale
    head = marked_row([para(aid.aspect_label, st.cell_head)] + [para(n, st.cell_head) for n in aid.options.values()],
                      "AidHeadRow")
    body = [
        marked_row([para(row.aspect, st.cell_bold)]
                   + [para(row.cells[o] or ctx.labels["empty_cell"], st.cell) for o in aid.options])
        for row in aid.rows
    ]
    band = tint(s.accent, 0.9)
    commands = [("BACKGROUND", (0, 0), (-1, 0), s.accent)] + cell_padding(s) + [
        ("LINEBELOW", (0, 1), (-1, -1), s.rule / 2, RULE),
        ("LINEAFTER", (0, 0), (-2, -1), s.rule / 2, RULE),
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), band) for r in range(2, len(body) + 1, 2)]
    return [table([head] + body, widths, ctx, commands, repeatRows=1, splitInRow=1)]


def stacked(aid: Comparison, ctx: Context) -> list[Flowable]:
    """One small table per aspect: the aspect as a heading row (repeated if the block
    splits), then a row per option with its name and its text."""
    st, s = ctx.styles, ctx.scale
    name_width = max(stringWidth(w, BOLD, s.body) for n in aid.options.values() for w in n.split()) + 4 * s.pad
    widths = [min(name_width, ctx.frame_width * 0.4), ctx.frame_width - min(name_width, ctx.frame_width * 0.4)]
    blocks: list[Flowable] = []
    for row in aid.rows:
        rows = [marked_row([para(row.aspect, st.cell_head), ""], "AidHeadRow")]
        rows += [marked_row([para(name, st.cell_bold), para(row.cells[o] or ctx.labels["empty_cell"], st.cell)])
                 for o, name in aid.options.items()]
        commands = [("SPAN", (0, 0), (1, 0)), ("BACKGROUND", (0, 0), (-1, 0), s.accent)] + cell_padding(s) + [
            ("LINEBELOW", (0, 1), (-1, -2), s.rule / 2, RULE),
            ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
        ]
        block = table(rows, widths, ctx, commands, repeatRows=1, splitInRow=1)
        block.spaceAfter = s.gap
        blocks.append(block)
    return blocks
