"""Blocks any aid with options may add after its own content (`values:`, `sure:`):
a values worksheet (how much each factor matters, 0–5, and which option it points to)
and the SURE test (four yes/no questions). Both are tick boxes a patient fills by pen.
"""

from __future__ import annotations

import string

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from aidpress.model import Aid, Values, sure_test

from .boxes import TickBox
from .common import Context, table
from .page import Heading
from .scale import BOLD, RULE, tint
from .text import para

WEIGHTS = range(6)  # how much a factor matters: 0 (not at all) to 5 (very much)
SURE_ITEMS = ("s", "u", "r", "e")  # label keys: sure_s, sure_s_question, …


def render(aid: Aid, ctx: Context) -> list[Flowable]:
    """The aid's values worksheet and SURE test, in that order (either may be absent)."""
    out: list[Flowable] = []
    values = getattr(aid, "values", None)
    if values:
        out += values_block(values, aid.options, ctx)
    sure = sure_test(aid)
    if sure:
        out += sure_block(sure.heading, sure.intro, ctx)
    return out


def padding(s) -> list:
    return [(f"{side}PADDING", (0, 0), (-1, -1), s.pad) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")]


# ── the values worksheet ────────────────────────────────────────────────────────────


def option_heads(options: dict[str, str], ctx: Context, box_column: float) -> tuple[list[str], float, bool]:
    """The option columns' headings and width: the names when the factor column keeps at
    least 30% of the width, else letters (A, B, …) explained in a legend."""
    s = ctx.scale
    longest = max(stringWidth(w, BOLD, s.small) for name in options.values() for w in name.split())
    named = max(box_column, longest + 3 * s.pad)  # padding, and slack
    factor = ctx.frame_width - box_column * len(WEIGHTS) - named * len(options)
    if factor >= ctx.frame_width * 0.3:
        return list(options.values()), named, False
    return list(string.ascii_uppercase[:len(options)]), box_column, True


def values_block(values: Values, options: dict[str, str], ctx: Context) -> list[Flowable]:
    st, s, labels = ctx.styles, ctx.scale, ctx.labels
    box = s.tick + 2 * s.pad
    heads, option_width, legend = option_heads(options, ctx, box)
    n_weights, n_options = len(WEIGHTS), len(options)
    factor_width = ctx.frame_width - box * n_weights - option_width * n_options
    first_option = 1 + n_weights
    head = [[para(labels["values_factor"], st.cell_head_small), para(labels["values_weight"], st.cell_head_small)]
            + [""] * (n_weights - 1) + [para(labels["values_points_to"], st.cell_head_small)] + [""] * (n_options - 1),
            [""] + [para(str(w), st.cell_head_small) for w in WEIGHTS] + [para(h, st.cell_head_small) for h in heads]]
    body = [[para(factor, st.cell)] + [TickBox(s) for _ in range(n_weights + n_options)] for factor in values.factors]
    widths = [factor_width] + [box] * n_weights + [option_width] * n_options
    commands = [
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (n_weights, 0)),
        ("SPAN", (first_option, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 1), s.accent),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (0, 0), (-1, 0), "TOP"),
        ("ALIGN", (1, 1), (-1, -1), "CENTER"),
        *padding(s),
        ("LINEBELOW", (0, 2), (-1, -1), s.rule / 2, RULE),
        ("LINEBEFORE", (1, 0), (1, -1), s.rule, s.accent),
        ("LINEBEFORE", (first_option, 0), (first_option, -1), s.rule, s.accent),
        ("BACKGROUND", (first_option, 2), (-1, -1), tint(s.accent, 0.9)),
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
    ]
    lead: list[Flowable] = [Heading(values.heading or labels["values_heading"], st.heading, level=1)]
    if values.intro:
        lead.append(para(values.intro, st.lead_in))
    if legend:
        lead += [para(labels["values_legend"].format(letter=letter, option=name), st.lead_in)
                 for letter, name in zip(heads, options.values())]
    start = table(head + body[:2], widths, ctx, commands)  # the header and two rows
    return keep_start(lead, start, table(head + body, widths, ctx, commands, repeatRows=2), ctx)


def keep_start(lead: list[Flowable], start: Flowable, rest: Flowable, ctx: Context) -> list[Flowable]:
    """The lead and the start of a long table stay together (after a page break if they
    do not fit); the table may then split across pages under its repeated header, instead
    of leaving most of a page empty by moving whole."""
    need = 0.0
    for f in lead + [start]:
        need += f.wrap(ctx.frame_width, ctx.frame_height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
    for f in lead:
        f.keepWithNext = 0  # else the document keeps the whole table with them
    return [CondPageBreak(need)] + lead + [rest]


# ── the SURE test ───────────────────────────────────────────────────────────────────


def sure_block(heading: str | None, intro: str | None, ctx: Context) -> list[Flowable]:
    """O'Connor & Légaré's SURE test: four questions, each with Yes and No boxes, then
    its rule (any "No": talk it over before deciding) and the attribution."""
    st, s, labels = ctx.styles, ctx.scale, ctx.labels
    answer = max(TickBox(s, labels[k]).wrap(0, 0)[0] for k in ("yes", "no")) + 2 * s.pad
    rows = [[[para(labels[f"sure_{k}"], st.cell_bold), para(labels[f"sure_{k}_question"], st.cell)],
             TickBox(s, labels["yes"]), TickBox(s, labels["no"])] for k in SURE_ITEMS]
    grid = table(rows, [ctx.frame_width - 2 * answer, answer, answer], ctx, [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *padding(s),
        ("LINEBELOW", (0, 0), (-1, -2), s.rule / 2, RULE),
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
    ])
    block = [Heading(heading or labels["sure_heading"], st.heading, level=1),
             para(intro or labels["sure_intro"], st.lead_in), grid,
             para(labels["sure_rule"], st.body, bold_lead=labels["warning_mark"]),
             para(labels["sure_credit"], st.small)]
    return [KeepTogether(block)]
