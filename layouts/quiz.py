"""kind: quiz — a grid: each question's answers are rows, each with a tick box and, under
each option's head, the points that answer gives (blank for none); beside them one box
per option the question can score, for the points of the answer ticked; a totals row;
then "how to read your score", printed from the scoring rule."""

from __future__ import annotations

import string
from dataclasses import dataclass

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Table

from aidpress.errors import UnfitContent
from aidpress.model import Question, Quiz

from .boxes import TickBox, WriteBox
from .checklist import kept_whole, warning_box
from .common import Context, KeepWithClosing, table
from .common import flowables_height as height  # measured as KeepWithClosing measures it
from .page import Heading
from .scale import BOLD, INK, REGULAR, RULE, tint
from .text import para
from .units import Node, cell, mark, new_ident

COLUMN, ROW = {"Scope": "Column"}, {"Scope": "Row"}  # a TH's /Scope: the heads of columns, of rows


def colspan(n: int, attrs: dict | None = None) -> dict:
    """A cell's attributes with its /ColSpan when it spans `n` > 1 columns."""
    return {**(attrs or {}), **({"ColSpan": n} if n > 1 else {})}


def answer_label(question: Question, answer: str, ctx: Context) -> str:
    """The text by an answer's tick box: marked ⚠ when the answer rules an option out."""
    return f"{answer} {ctx.labels['warning_mark']}" if answer in question.rules_out else answer


def rule_out_notes(quiz: Quiz, question: Question, ctx: Context) -> list[str]:
    """'⚠ If you ticked “Yes”, talk to your practitioner before choosing Dry needling.'"""
    notes = []
    for answer, options in question.rules_out.items():
        names = [quiz.options[o] for o in options]
        joined = ", ".join(names[:-1]) + f" {ctx.labels['or']} " + names[-1] if len(names) > 1 else names[0]
        notes.append(f"{ctx.labels['warning_mark']} " + ctx.labels["rule_out_note"].format(answer=answer, options=joined))
    return notes


def figure(points: int) -> str:
    """A number of points as printed in the grid: '2', '−1' (a real minus sign)."""
    return f"\u2212{-points}" if points < 0 else str(points)


def awards(question: Question, answer: str) -> dict[str, int]:
    """The points an answer gives, option by option, leaving out any 0 (printed blank)."""
    return {o: p for o, p in question.points.get(answer, {}).items() if p}


def scored(aid: Quiz, question: Question) -> list[str]:
    """The options this question can give points to (in the quiz's order): only they get
    a score box; a question giving no points (one that only rules options out) gets none."""
    given = {o for answer in question.points for o in awards(question, answer)}
    return [o for o in aid.options if o in given]


class Figure(Flowable):
    """A number of points, set on the baseline of the tick box's label beside it."""

    def __init__(self, scale, text: str):
        super().__init__()
        self.scale, self.text = scale, text

    def wrap(self, avail_width, avail_height):
        self.width = stringWidth(self.text, BOLD, self.scale.body)
        self.height = self.scale.tick
        return self.width, self.height

    def draw(self):
        s = self.scale
        self.canv.setFont(BOLD, s.body)
        self.canv.setFillColor(INK)
        self.canv.drawString(0, (s.tick - s.body * 0.7) / 2, self.text)


class Answer(TickBox):
    """An answer's tick box and label; a label too long for its column wraps under itself."""

    def wrap(self, avail_width, avail_height):
        s = self.scale
        room = max(avail_width - s.tick - s.pad, s.body) + 0.5  # a column sized to the label: no wrap
        self.lines = simpleSplit(self.label, REGULAR, s.body, room)
        self.width = s.tick + s.pad + max(stringWidth(line, REGULAR, s.body) for line in self.lines)
        self.height = s.tick + s.leading * (len(self.lines) - 1)
        return self.width, self.height

    def draw(self):
        s, c = self.scale, self.canv
        top = self.height - s.tick  # the box and the first line, as a TickBox draws them
        c.setStrokeColor(INK)
        c.setLineWidth(s.rule * 1.2)
        c.rect(0, top, s.tick, s.tick, stroke=1, fill=0)
        c.setFont(REGULAR, s.body)
        c.setFillColor(INK)
        for i, line in enumerate(self.lines):
            c.drawString(s.tick + s.pad, top + (s.tick - s.body * 0.7) / 2 - i * s.leading, line)


@dataclass(frozen=True)
class Columns:
    """How the quiz grid is divided. Each option has two columns under one head: the
    points each answer gives (a number on the answer's line) and the box the patient
    writes the points of their answer in. Wide: question, answers, options side by side.
    Stacked (crowded quizzes: many options, long names, large print): the question, led
    by its number, runs across the grid and its answers follow on their own lines (a long
    answer wraps), so the answers column takes the question's width. Then the option heads
    shrink; only when a name still cannot fit are the heads lettered, with a key above."""

    number: float  # 0 when stacked
    question: float  # 0 when stacked
    answers: float
    figure: float  # the points column of each option
    box: float  # its score-box column
    heads: list[str]
    head_style: str
    legend: bool = False

    @property
    def stacked(self) -> bool:
        return not self.question

    @property
    def first_option(self) -> int:
        return 1 if self.stacked else 3

    def widths(self, n: int) -> list[float]:
        return ([self.number, self.question] if self.question else []) + [self.answers] + [self.figure, self.box] * n


def plans(aid: Quiz, ctx: Context) -> list[Columns]:
    """The ways the grid fits the frame: wide (if the question keeps a third of the
    width), stacked (if the answers fit beside the options), each with the option heads
    at body size or else smaller; failing both, lettered heads. render keeps the shorter."""
    s, total, n = ctx.scale, ctx.frame_width, len(aid.options)
    number = s.body * 2
    answers = max([TickBox(s, answer_label(q, a, ctx)).wrap(0, 0)[0] for q in aid.questions for a in aid.answers_for(q)]
                  + [stringWidth(w, BOLD, s.body) for w in ctx.labels["your_answer"].split()]) + 2 * s.pad
    # stacked, an answer may wrap: its longest word must fit beside the box
    wrapped = max(stringWidth(w, REGULAR, s.body) for q in aid.questions for a in aid.answers_for(q)
                  for w in answer_label(q, a, ctx).split()) + s.tick + 3 * s.pad
    figures = [figure(p) for q in aid.questions for given in q.points.values() for p in given.values() if p]
    fig = max([stringWidth(f, BOLD, s.body) for f in figures] or [0]) + s.pad * 1.5
    box = s.write_box + s.pad * 1.5
    words = [w for name in aid.options.values() for w in name.split()]
    found = []
    for stacked in (False, True):
        for size, style in ((s.body, "cell_head"), (s.small, "cell_head_small")):
            head = max(stringWidth(w, BOLD, size) for w in words) + 2 * s.pad + 1  # +1: never a hair short
            extra = max(0.0, head - fig - box)
            rest = total - (fig + box + extra) * n
            if stacked and rest >= wrapped:
                found.append(Columns(0, 0, rest, fig, box + extra, list(aid.options.values()), style))
                break
            rest -= number
            if not stacked and rest - answers >= total * 0.35:
                found.append(Columns(number, rest - answers, answers, fig, box + extra,
                                     list(aid.options.values()), style))
                break
    return found or [Columns(0, 0, total - (fig + box) * n, fig, box,
                             list(string.ascii_uppercase[:n]), "cell_head", legend=True)]


def answer_grid(aid: Quiz, question: Question, cols: Columns, ctx: Context, text: list[Flowable],
                heads: list | None = None) -> Table:
    """A question's answers as rows: a tick box, then under each option the points that
    answer gives (blank for none) and, beside them, one score box for the question (only
    under the options it can give points to). Stacked, the question's text heads it."""
    s, n = ctx.scale, len(aid.options)
    answers = aid.answers_for(question)
    first = 1 if cols.stacked else 0  # the row of the first answer
    # Tagged (docs/accessibility.md): a Table in the question's row, a TR per answer, the
    # answer (its tick box and label) a TH for its row, each option's points a TD (no
    # points: no cell); stacked, the question heads it, a TH for the question's row.
    grid_ = Node("Table")
    rows = []
    if cols.stacked:
        rows.append([cell(text, "TH", (grid_, Node("TR")), colspan(1 + 2 * n, ROW))] + [""] * (2 * n))
    for answer in answers:
        tick = Answer(s, answer_label(question, answer, ctx))
        tick.spaceAfter = 0
        given = awards(question, answer)
        row_of = (grid_, Node("TR"))
        row = [cell(tick, "TH", row_of, ROW)]
        for i, option in enumerate(aid.options):
            # (read under its option's head: /Headers, the head's /ID in the grid above)
            under = {"Headers": (heads[i],)} if heads else None
            row += [cell(Figure(s, figure(given[option])), "TD", row_of, under) if option in given else "", ""]
        rows.append(row)
    last = len(rows) - 1
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), s.pad), ("RIGHTPADDING", (0, 0), (-1, -1), s.pad),
             ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad),
             ("TOPPADDING", (0, 0), (-1, 0), s.pad * 1.5), ("BOTTOMPADDING", (0, last), (-1, last), s.pad * 2)]
    if cols.stacked:
        style += [("SPAN", (0, 0), (-1, 0))]
    gives = scored(aid, question)
    for i, option in enumerate(aid.options):
        f, b = 1 + 2 * i, 2 + 2 * i
        style += [("RIGHTPADDING", (f, 0), (f, -1), s.pad / 2), ("LEFTPADDING", (b, 0), (b, -1), s.pad / 2)]
        if option in gives:  # a box to write in: drawing only (an artifact), no element
            rows[first][b] = cell(WriteBox(s), "TD", (grid_, rows[first][0].parents[-1]))
            style += [("SPAN", (b, first), (b, last)), ("VALIGN", (b, first), (b, last), "MIDDLE")]
    widths = [cols.answers] + [cols.figure, cols.box] * n
    return table(rows, widths, ctx, style)


def render(aid: Quiz, ctx: Context) -> list[Flowable]:
    st = ctx.styles
    laid = [(cols, grid(aid, cols, ctx)) for cols in plans(aid, ctx)]
    # A question's answer grid never splits; stacked, the question's text is in it too, so
    # a plan is kept only if every question's grid fits a page (wide, long text splits).
    whole = [(cols, t) for cols, t in laid if max(heights(t, cols, ctx)) <= ctx.frame_height * 0.9]
    if not whole:
        cols, t = laid[-1]
        tall = heights(t, cols, ctx)
        number = tall.index(max(tall))
        raise UnfitContent(aid.questions[number].where.file, ("questions", number),
                           f"question {number + 1} of '{aid.title}' with its answers is taller than a page",
                           "shorten the question or its help")
    cols, table_ = min(whole, key=lambda c: c[1].wrap(ctx.frame_width, ctx.frame_height * 100)[1])  # the shorter
    legend = []
    if cols.legend:
        legend = [para(name, st.body, bold_lead=f"{letter}:") for letter, name in zip(cols.heads, aid.options.values())]
    # The rules for reading the totals begin on the totals row's page: the row goes over
    # with their heading and first rules when they cannot follow it.
    key, *rest = how_to_read(aid, ctx, table_.tie)
    if not rest and height([key], ctx.frame_width, None) > ctx.frame_height * KEY_WHOLE:
        # a key this tall cannot go over with the totals row and the head repeated above
        # it: only its heading and first rules do, the rest follows as a list goes
        key, *rest = how_to_read(aid, ctx, table_.tie, split=True)
    return red_flag(aid, ctx) + legend + [KeepWithClosing(table_, [key], ctx.frame_height)] + rest


def heights(grid_: Table, cols: Columns, ctx: Context) -> list[float]:
    """Per question, the height of its answer grid (the part of its row that never splits)."""
    width = sum(cols.widths(len(cols.heads))[cols.first_option - 1:])
    return [g.wrap(width, ctx.frame_height * 100)[1] for g in grid_.answer_grids]


def grid(aid: Quiz, cols: Columns, ctx: Context) -> Table:
    """The quiz's table: a head row, a row per question (its answer grid), the totals row."""
    st, s = ctx.styles, ctx.scale
    n = len(aid.options)
    head_style = getattr(st, cols.head_style)
    opt0 = cols.first_option  # the first option's points column
    # Tagged (docs/accessibility.md): a Table, a TR per row; the heads TH for their columns
    # (an option's over its points and its boxes; wide, "Question" over the number and the
    # question, whose own head is blank), the question's number and text TH for its row,
    # the answers (a Table of their own, see answer_grid) a TD across the answer and option
    # columns; the totals row's label a TH for its row, the boxes artifacts.
    table_ = Node("Table")
    row_of = (table_, Node("TR", "AidHeadRow"))
    heads, ids = [], [new_ident() for _ in cols.heads]  # each option's head: an /ID the points cite
    for h, ident in zip(cols.heads, ids):
        heads += [cell(para(h, head_style), "TH", row_of, colspan(2, {**COLUMN, "ID": ident})), ""]
    question_head = [cell(para(ctx.labels["question"], st.cell_head), "TH", row_of,
                          colspan(1 if cols.stacked else 2, COLUMN))]
    if not cols.stacked:
        question_head = [""] + question_head + [cell(para(ctx.labels["your_answer"], st.cell_head), "TH", row_of,
                                                      COLUMN)]
    rows = [question_head + heads]
    spans = [("SPAN", (opt0 + 2 * i, 0), (opt0 + 1 + 2 * i, 0)) for i in range(n)]
    grids = []
    for number, question in enumerate(aid.questions, 1):
        lead = f"{number}." if cols.stacked else None
        text = [para(question.question, st.cell, bold_lead=lead)]
        if question.help:
            text.append(para(question.help, st.cell_small))
        text += [para(note, st.label_warning) for note in rule_out_notes(aid, question, ctx)]
        r = len(rows)
        answers = answer_grid(aid, question, cols, ctx, text, ids)
        grids.append(answers)
        row_of = (table_, Node("TR", "AidRow"))
        number_text = [] if cols.stacked else [cell(para(f"{number}.", st.cell_bold), "TH", row_of, ROW),
                                               cell(text, "TH", row_of, ROW)]
        rows.append(number_text + [cell(answers, "TD", row_of, colspan(1 + 2 * n))] + [""] * (2 * n))
        first = opt0 - 1  # the answers column: the answer grid spans it and the options
        spans += [("SPAN", (first, r), (-1, r)), ("LEFTPADDING", (first, r), (-1, r), 0),
                  ("RIGHTPADDING", (first, r), (-1, r), 0), ("TOPPADDING", (first, r), (-1, r), 0),
                  ("BOTTOMPADDING", (first, r), (-1, r), 0)]
    # The totals row and the rules for reading it share one page (the audit's AidTie): the
    # row's TR and the rules' element say so with the same tie (its identity's number).
    tie = new_ident()
    row_of = (table_, Node("TR", "AidTie", {"tie": tie}))
    label = cell(para(ctx.labels["total"], st.cell_bold), "TH", row_of, colspan(1 if cols.stacked else 2, ROW))
    total = [label] if cols.stacked else ["", label, ""]
    for _ in aid.options:
        total += ["", cell(WriteBox(s, heavy=True), "TD", row_of)]
    rows.append(total)

    last = len(rows) - 1
    boxes = [("LEFTPADDING", (opt0 + 1 + 2 * i, last), (opt0 + 1 + 2 * i, last), s.pad / 2) for i in range(n)]
    out = table(rows, cols.widths(n), ctx, [
        ("BACKGROUND", (0, 0), (-1, 0), s.accent),
        ("BACKGROUND", (0, last), (-1, last), tint(s.accent, 0.85)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), s.pad),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad * 2),
        ("LINEBELOW", (0, 1), (-1, -2), s.rule / 2, RULE),
        ("LINEABOVE", (0, last), (-1, last), s.rule * 1.5, s.accent),
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
        ("SPAN", (0 if cols.stacked else 1, last), (opt0 - 1, last)),
    ] + spans + boxes, repeatRows=1, splitInRow=1)
    out.answer_grids, out.tie = grids, tie  # for heights(); the totals row's tie, for how_to_read
    return out


def red_flag(aid: Quiz, ctx: Context) -> list[Flowable]:
    """The red-flag question, first and apart from the scored ones: in a warning box (one
    unit, on page 1) with Yes and No to tick, what a Yes means (stop, get medical help
    now), that a No goes on, and the clinic's phone and emergency route. No points boxes."""
    if aid.red_flag is None:
        return []
    flag, labels = aid.red_flag, ctx.labels

    def unit(at: Context) -> list[Flowable]:
        st, s = at.styles, at.scale
        # The question heads the box, reversed out of its dark red band; under it each
        # answer's box beside what it means: Yes stops here, No goes on to the questions
        # (side by side when both fit on one line).
        help_rows = [[para(flag.help, st.cell)]] if flag.help else []
        meanings = [(labels["yes"] + ":", flag.action or labels["red_flag_action"]),
                    (labels["no"] + ":", labels["red_flag_if_no"])]
        cells = [para(text, st.cell, bold_lead=lead) for lead, text in meanings]
        natural = [stringWidth(lead, BOLD, s.body) + stringWidth(" " + text, REGULAR, s.body) + s.gap
                   for lead, text in meanings]
        room = at.frame_width - 2 * (s.tick + s.gap) - 2 * s.pad
        if sum(natural) > room:  # one above the other
            return warning_box(flag.question, help_rows + [[TickBox(s), cells[0]], [TickBox(s), cells[1]]], at,
                               compact=True)
        answers = table([[TickBox(s), cells[0], TickBox(s), cells[1]]],
                        [s.tick + s.gap, natural[0], s.tick + s.gap, room - natural[0]], at, [
                            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
        return warning_box(flag.question, help_rows + [[answers]], at, compact=True)

    whole = kept_whole(unit, ctx)
    if whole is None:
        raise UnfitContent(flag.where.file, ("red_flag",),
                           f"the red-flag question of '{aid.title}' is taller than a page, and its box is "
                           "never split across pages", "shorten its question, help or action")
    return [whole]


TIED_RULES = 2  # the scoring rules printed on the totals row's page, at least


KEY_WHOLE = 0.6  # of a frame: a longer "how to read your score" is not kept whole with the totals


def how_to_read(aid: Quiz, ctx: Context, tie: list | None = None, split: bool = False) -> list[Flowable]:
    st = ctx.styles
    margin = aid.scoring.margin
    # "more than every other total", or with two options "more than the other total"
    # (unless a clinic translates only the first: its wording wins over ours)
    own = ctx.clinic.labels
    two = len(aid.options) == 2 and ("lean_rule_two" in own or "lean_rule" not in own)
    rule = ctx.labels["lean_rule_two" if two else "lean_rule"]
    rules = [para(aid.scoring.lean[o], st.bullet, bold_lead=rule.format(option=name, margin=margin))
             for o, name in aid.options.items()]
    rules.append(para(aid.scoring.otherwise, st.bullet, bold_lead=ctx.labels["otherwise"]))
    if any(q.rules_out for q in aid.questions):  # safety first: it overrides every total
        rules.insert(0, para(ctx.labels["rule_out_key"], st.bullet, bold_lead=ctx.labels["warning_mark"]))
    if aid.red_flag is not None:  # and before it, a Yes to the red-flag question: no score at all
        rules.insert(0, para(ctx.labels["red_flag_key"].format(answer=ctx.labels["yes"]), st.bullet,
                             bold_lead=ctx.labels["warning_mark"]))
    for p in rules:
        p.bulletText = "•"
    heading = Heading(ctx.labels["how_to_read"], st.heading, level=1)
    heading.on_first_page = True  # questions, boxes and key on one side: spacing closes up to keep them there
    if not (ctx.lists_split or split):  # as designed: all the rules with the totals row
        return [KeepTogether([heading] + mark(rules, "AidTie", attrs={"tie": tie}))]
    for rule in rules[TIED_RULES:]:
        rule.on_first_page = True
    # Split (fitting.Attempt.lists_split, rather than leave a page half empty): the heading
    # and the first rules on the totals row's page (`tie`), the rest after, as a list goes.
    return [KeepTogether([heading] + mark(rules[:TIED_RULES], "AidTie", attrs={"tie": tie}))] + rules[TIED_RULES:]
