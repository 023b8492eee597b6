"""Blocks any aid with options may add after its own content (`values:`, `sure:`,
`choice:`): a values worksheet (how much each factor matters, 0–5, and which option it
points to), the SURE test (four yes/no questions) and "your choice" (the option leant
towards, who helps, any pressure, questions, the next step). All are tick boxes and
write-in lines a patient fills by pen.
"""

from __future__ import annotations

import string

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from aidpress.model import Aid, Choice, Values, choice_block, sure_test

from .boxes import CELL, TICK_BOX, TickBox, labelled, list_item
from .common import Context, table
from .page import Heading
from .scale import BOLD, INK, REGULAR, RULE, tint
from .text import para
from .units import Node, Unit, cell

COLUMN, ROW = {"Scope": "Column"}, {"Scope": "Row"}  # a TH's /Scope: the heads of columns, of rows

WEIGHTS = range(6)  # how much a factor matters: 0 (not at all) to 5 (very much)
SURE_ITEMS = ("s", "u", "r", "e")  # label keys: sure_s, sure_s_question, …


def render(aid: Aid, ctx: Context) -> list[Flowable]:
    """The aid's values worksheet, SURE test and "your choice", in that order (any may be absent)."""
    out: list[Flowable] = []
    values = getattr(aid, "values", None)
    if values:
        out += values_block(values, aid.options, ctx)
    sure = sure_test(aid)
    if sure:
        out += sure_block(sure.heading, sure.intro, ctx)
    choice = choice_block(aid)
    if choice:
        out += your_choice(choice, aid.options, ctx)
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
    # Tagged (docs/accessibility.md): a Table; its two header rows TRs (AidHeadRow: read
    # once, however many pages repeat them), "What matters" a TH over the factors down both
    # (RowSpan 2), "How much it matters" over the weights and "Which option it points to"
    # over the options (ColSpan), then a TH per weight and per option; each factor's row a
    # TR (AidRow), the factor a TH for its row, each tick box a TD holding the box as a
    # Figure read by its Alt text ("Tick box: 3", "Tick box: Cupping").
    grid = Node("Table")
    top, under = (grid, Node("TR", "AidHeadRow")), (grid, Node("TR", "AidHeadRow"))

    def head_cell(text: str, row: tuple, attrs: dict):
        return cell(para(text, st.cell_head_small), "TH", row, {**COLUMN, **attrs})

    head = [[head_cell(labels["values_factor"], top, {"RowSpan": 2}),
             head_cell(labels["values_weight"], top, {"ColSpan": n_weights})] + [""] * (n_weights - 1)
            + [head_cell(labels["values_points_to"], top, {"ColSpan": n_options})] + [""] * (n_options - 1),
            [""] + [head_cell(str(w), under, {}) for w in WEIGHTS] + [head_cell(h, under, {}) for h in heads]]
    body = []
    for factor in values.factors:
        row = (grid, Node("TR", "AidRow"))
        body.append([cell(para(factor, st.cell), "TH", row, ROW)]
                    + [cell(tick_box(s, f"{TICK_BOX}: {answer}"), "TD", row)
                       for answer in [*map(str, WEIGHTS), *options.values()]])
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


def tick_box(s, alt: str) -> Flowable:
    """A tick box alone in a table cell: painting only, so to a reader a Figure read by
    its Alt text (a cell holding nothing a reader can use would be left out of the tree)."""
    return Unit(TickBox(s), CELL, role="Figure", attrs={"Alt": alt})


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
    # The item's name leads its question in one paragraph (one line in regular print).
    # To a reader a Table, a TR per question: the question a TH for its row, then a TD for
    # "Yes" and one for "No", each read as its word (the box beside it is painting: an
    # artifact; the intro says to tick one).
    grid_ = Node("Table")
    rows = []
    for k in SURE_ITEMS:
        row = (grid_, Node("TR"))
        rows.append([cell(para(labels[f"sure_{k}_question"], st.cell, bold_lead=labels[f"sure_{k}"] + ":"), "TH", row,
                          ROW)] + [cell(TickBox(s, labels[a]), "TD", row) for a in ("yes", "no")])
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


def answer_boxes(s, answers: tuple[str, ...]) -> list[TickBox]:
    """A box to tick for each answer ("No", "Yes"), beside its word: to a reader one list,
    each box its item's label and the word its body (the your-choice pressure question)."""
    answered = Node("L")
    boxes = [TickBox(s, answer) for answer in answers]
    for box in boxes:
        box.listed = answered
    return boxes


# ── your choice ─────────────────────────────────────────────────────────────────────


class RuledLine(Flowable):
    """A write-in line the width of its column: "Label: ______", or with no label just the rule."""

    def __init__(self, scale, label: str = ""):
        super().__init__()
        self.scale, self.label = scale, label

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self.scale.body * 1.45
        return self.width, self.height

    def draw(self):
        s, c = self.scale, self.canv
        start = 0.0
        if self.label:
            c.setFont(REGULAR, s.body)
            c.setFillColor(INK)
            labelled(c, lambda: c.drawString(0, s.body * 0.35, self.label + ":"))  # a P; the rule an artifact
            start = stringWidth(self.label + ":", REGULAR, s.body) + s.pad
        c.setStrokeColor(INK)
        c.setLineWidth(s.rule)
        c.line(start, s.body * 0.15, self.width, s.body * 0.15)


# Lines for the patient's questions: one in regular print, where the block ends two-page
# aids (a worksheet, a comparison) and must leave room for "About this leaflet"; more in
# large print, which has no page budget.
QUESTION_LINES = {False: 1, True: 3}


def your_choice(choice: Choice, options: dict[str, str], ctx: Context, level: int = 1,
                lines: int | None = None) -> list[Flowable]:
    """What the Ottawa Personal Decision Guide asks a patient to record, in plain words:
    the option they lean towards (or "Not sure yet"), who else is helping them decide,
    whether anyone is pressing them towards one option, their questions, and the next
    step with its date. Compact (it ends two-page aids) and kept together on a page.
    `level`: its heading's level in the outline (0 where it opens a pack's end);
    `lines`: how many lines for questions (default QUESTION_LINES)."""
    st, s, labels = ctx.styles, ctx.scale, ctx.labels
    names = list(options.values()) + [labels["choice_not_sure"]]
    across = 1 if s.large else (len(names) if len(names) <= 4 else 3)  # side by side, in regular print
    tick = s.tick + 2 * s.pad
    options = Node("L")  # to a reader, one list of boxes to tick, each name its item's body
    cells = [list_item([TickBox(s), para(name, st.cell)], options, Node("LI")) for name in names]
    cells += [["", ""]] * (-len(cells) % across)
    rows = [sum(cells[i:i + across], []) for i in range(0, len(cells), across)]
    # Each name as wide as it needs when all fit on one line; else equal columns.
    needs = [stringWidth(n, REGULAR, s.body) + 3 * s.pad for n in names]
    spare = ctx.frame_width - across * tick - sum(needs)
    if across == len(names) and spare >= 0:
        name_widths = [w + spare / across for w in needs]
    else:
        name_widths = [ctx.frame_width / across - tick] * across
    flush = [("LEFTPADDING", (0, 0), (0, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), s.pad / 2),
             ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad / 2)]
    ticks = table(rows, [w for width in name_widths for w in (tick, width)], ctx, [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *padding(s), *flush, ("BOTTOMPADDING", (0, -1), (-1, -1), s.pad)])
    answer = max(TickBox(s, labels[k]).wrap(0, 0)[0] for k in ("yes", "no")) + 2 * s.pad
    question = stringWidth(labels["choice_pressure"], REGULAR, s.body) + 2 * s.pad
    # "Who:" on the same line when it leaves room to write a name (regular print), else
    # "If yes, who:" on a line of its own.
    who = RuledLine(s, labels["choice_pressure_who_short"])
    beside = ctx.frame_width - question - 2 * answer - stringWidth(who.label + ":", REGULAR, s.body) > s.body * 7
    if not beside:
        who = RuledLine(s, labels["choice_pressure_who"])
    row = [Unit(para(labels["choice_pressure"], st.cell), CELL, role="P"), *answer_boxes(s, (labels["no"], labels["yes"]))]
    widths = [ctx.frame_width - 2 * answer, answer, answer]
    if beside:
        row, widths = row + [who], [question, answer, answer, ctx.frame_width - question - 2 * answer]
    line_cell = [("VALIGN", (-1, 0), (-1, 0), "BOTTOM"), ("RIGHTPADDING", (-1, 0), (-1, 0), 0)] if beside else []
    pressure = [table([row], widths, ctx, [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *padding(s), *flush, *line_cell])]
    if not beside:
        pressure.append(who)
    step = ctx.frame_width * (0.55 if s.large else 0.64)
    next_step = table([[RuledLine(s, labels["choice_next"]), RuledLine(s, labels["choice_by"])]],
                      [step, ctx.frame_width - step], ctx, [
                          ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (0, 0), s.gap),
                          ("RIGHTPADDING", (1, 0), (1, 0), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    block = [Heading(choice.heading or labels["choice_heading"], st.heading, level=level)]
    block += [para(choice.intro, st.lead_in)] if choice.intro else []
    block += [ticks,
             RuledLine(s, labels["choice_helpers"]), *pressure, RuledLine(s, labels["choice_questions"])]
    block += [RuledLine(s) for _ in range((lines or QUESTION_LINES[s.large]) - 1)] + [next_step]
    return [KeepTogether(block)]
