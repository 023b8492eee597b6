"""kind: comparison — options side by side, one row per aspect.

Cells are paragraphs so they wrap; the header row repeats on every page; a row taller
than a page splits inside its cells (splitInRow) instead of failing; rows are banded
with per-row backgrounds, which survive page breaks (ROWBACKGROUNDS restarts).
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from aidpress.model import Comparison

from .common import Context, table
from .labels import LABELS
from .scale import RULE, tint
from .text import para


def column_widths(total: float, options: int) -> list[float]:
    aspect = total * (0.24 if options <= 3 else 0.2)
    return [aspect] + [(total - aspect) / options] * options


def render(aid: Comparison, ctx: Context) -> list[Flowable]:
    st, s = ctx.styles, ctx.scale
    head = [para(aid.aspect_label, st.cell_head)] + [para(n, st.cell_head) for n in aid.options.values()]
    body = [
        [para(row.aspect, st.cell_bold)]
        + [para(row.cells[o] or LABELS["empty_cell"], st.cell) for o in aid.options]
        for row in aid.rows
    ]
    band = tint(s.accent, 0.9)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), s.accent),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad * 2),
        ("LINEBELOW", (0, 1), (-1, -1), s.rule / 2, RULE),
        ("LINEAFTER", (0, 0), (-2, -1), s.rule / 2, RULE),
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), band) for r in range(2, len(body) + 1, 2)]
    return [table([head] + body, column_widths(ctx.frame_width, len(aid.options)), ctx, commands,
                  repeatRows=1, splitInRow=1)]
