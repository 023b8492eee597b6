"""kind: quiz — questions with tick boxes per answer and a write-in points box per
option; a totals row; then "how to read your score", printed from the scoring rule."""

from __future__ import annotations

import string
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether

from aidpress.errors import UnfitContent
from aidpress.model import Question, Quiz

from .boxes import TickBox, WriteBox
from .checklist import kept_whole, warning_box
from .common import Context, KeepWithClosing, table
from .page import Heading
from .scale import BOLD, REGULAR, RULE, tint
from .text import para
from .units import mark, marked_row, new_ident


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


def points_key(quiz: Quiz, question: Question, ctx: Context) -> str:
    """'Yes: +2 Dry needling; No: −1 Cupping' — what to write in which box."""
    parts = []
    for answer, awards in question.points.items():
        given = ", ".join(f"{'−' if p < 0 else '+'}{abs(p)} {quiz.options[o]}" for o, p in awards.items())
        parts.append(f"{answer}: {given}")
    return ctx.labels["points_key"].format(awards="; ".join(parts))


@dataclass(frozen=True)
class Columns:
    """How the quiz table is divided. Crowded quizzes (many options, long names, large
    print) move the answer boxes under the question, then shrink the option headings,
    then head the option columns with letters explained in a legend above the table."""

    widths: list[float]
    answers_inline: bool
    heads: list[str]
    head_style: str
    legend: bool = False

    @property
    def first_option(self) -> int:
        return 2 if self.answers_inline else 3


def plan_columns(aid: Quiz, ctx: Context) -> Columns:
    s, total, n = ctx.scale, ctx.frame_width, len(aid.options)
    number = s.body * 2
    answers = max([TickBox(s, answer_label(q, a, ctx)).wrap(0, 0)[0] for q in aid.questions for a in aid.answers_for(q)]
                  + [stringWidth(w, BOLD, s.body) for w in ctx.labels["your_answer"].split()]) + 2 * s.pad
    words = [w for name in aid.options.values() for w in name.split()]
    for inline in (False, True):
        for size, style in ((s.body, "cell_head"), (s.small, "cell_head_small")):
            option = max(s.write_box, max(stringWidth(w, BOLD, size) for w in words)) + 2 * s.pad
            fixed = [number] if inline else [number, answers]
            question = total - sum(fixed) - option * n
            if question >= total * 0.35:
                return Columns([number, question] + fixed[1:] + [option] * n, inline,
                               list(aid.options.values()), style)
    option = s.write_box + 2 * s.pad
    return Columns([number, total - number - option * n] + [option] * n, True,
                   list(string.ascii_uppercase[:n]), "cell_head", legend=True)


def render(aid: Quiz, ctx: Context) -> list[Flowable]:
    st, s = ctx.styles, ctx.scale
    cols = plan_columns(aid, ctx)
    answer_head = [] if cols.answers_inline else [para(ctx.labels["your_answer"], st.cell_head)]
    head_style = getattr(st, cols.head_style)
    rows = [marked_row(["", para(ctx.labels["question"], st.cell_head)] + answer_head
                       + [para(h, head_style) for h in cols.heads], "AidHeadRow")]
    for n, question in enumerate(aid.questions, 1):
        text = [para(question.question, st.cell)]
        if question.help:
            text.append(para(question.help, st.cell_small))
        if question.points:
            text.append(para(points_key(aid, question, ctx), st.cell_small))
        text += [para(note, st.label_warning) for note in rule_out_notes(aid, question, ctx)]
        ticks = [TickBox(s, answer_label(question, answer, ctx)) for answer in aid.answers_for(question)]
        cells = [text + ticks] if cols.answers_inline else [text, ticks]
        rows.append(marked_row([para(f"{n}.", st.cell_bold)] + cells + [WriteBox(s) for _ in aid.options]))
    blank = [] if cols.answers_inline else [""]
    tie = new_ident()  # the totals row and the rules for reading it: one page (the audit's AidTie)
    rows.append(marked_row(["", para(ctx.labels["total"], st.cell_bold)] + blank
                           + [WriteBox(s, heavy=True) for _ in aid.options], "AidTie", tie))

    last = len(rows) - 1
    grid = table(rows, cols.widths, ctx, [
        ("BACKGROUND", (0, 0), (-1, 0), s.accent),
        ("BACKGROUND", (0, last), (-1, last), tint(s.accent, 0.85)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (cols.first_option, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), s.pad),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad * 2),
        ("LINEBELOW", (0, 1), (-1, -2), s.rule / 2, RULE),
        ("LINEABOVE", (0, last), (-1, last), s.rule * 1.5, s.accent),
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
    ], repeatRows=1, splitInRow=1)
    legend = []
    if cols.legend:
        legend = [para(name, st.body, bold_lead=f"{letter}:") for letter, name in zip(cols.heads, aid.options.values())]
    # The rules for reading the totals begin on the totals row's page: the row goes over
    # with their heading and first rules when they cannot follow it.
    key, *rest = how_to_read(aid, ctx, tie)
    return red_flag(aid, ctx) + legend + [KeepWithClosing(grid, [key], ctx.frame_height)] + rest


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


def how_to_read(aid: Quiz, ctx: Context, tie: list | None = None) -> list[Flowable]:
    st = ctx.styles
    margin = aid.scoring.margin
    rules = [para(aid.scoring.lean[o], st.bullet,
                  bold_lead=ctx.labels["lean_rule"].format(option=name, margin=margin))
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
    if not ctx.lists_split:  # as designed: all the rules with the totals row
        return [KeepTogether([heading] + mark(rules, "AidTie", tie))]
    for rule in rules[TIED_RULES:]:
        rule.on_first_page = True
    # Split (fitting.Attempt.lists_split, rather than leave a page half empty): the heading
    # and the first rules on the totals row's page (`tie`), the rest after, as a list goes.
    return [KeepTogether([heading] + mark(rules[:TIED_RULES], "AidTie", tie))] + rules[TIED_RULES:]
