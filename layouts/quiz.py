"""kind: quiz — questions with tick boxes per answer and a write-in points box per
option; a totals row; then "how to read your score", printed from the scoring rule."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from aidpress.model import Question, Quiz

from .boxes import TickBox, WriteBox
from .common import Context
from .labels import LABELS
from .page import Heading
from .scale import BOLD, RULE, tint
from .text import para


def points_key(quiz: Quiz, question: Question) -> str:
    """'Yes: +2 Dry needling; No: −1 Cupping' — what to write in which box."""
    parts = []
    for answer, awards in question.points.items():
        given = ", ".join(f"{p:+d} {quiz.options[o]}".replace("-", "−") for o, p in awards.items())
        parts.append(f"{answer}: {given}")
    return LABELS["points_key"].format(awards="; ".join(parts))


def column_widths(aid: Quiz, ctx: Context, answer_width: float) -> list[float]:
    """Points columns wide enough for the box and for the longest word of any option name."""
    s = ctx.scale
    words = [w for name in aid.options.values() for w in name.split()]
    longest = max(stringWidth(w, BOLD, s.body) for w in words)
    option = max(s.write_box, longest) + 2 * s.pad
    number = s.body * 2
    n = len(aid.options)
    return [number, ctx.frame_width - number - answer_width - option * n, answer_width] + [option] * n


def render(aid: Quiz, ctx: Context) -> list[Flowable]:
    st, s = ctx.styles, ctx.scale
    answer_width = max(TickBox(s, a).wrap(0, 0)[0] for q in aid.questions for a in aid.answers_for(q)) + 2 * s.pad
    head = ["", para(LABELS["question"], st.cell_head), para(LABELS["your_answer"], st.cell_head)]
    head += [para(name, st.cell_head) for name in aid.options.values()]
    rows = [head]
    for n, question in enumerate(aid.questions, 1):
        text = [para(question.question, st.cell)]
        if question.help:
            text.append(para(question.help, st.cell_small))
        text.append(para(points_key(aid, question), st.cell_small))
        ticks = [TickBox(s, answer) for answer in aid.answers_for(question)]
        rows.append([para(f"{n}.", st.cell_bold), text, ticks] + [WriteBox(s) for _ in aid.options])
    rows.append(["", para(LABELS["total"], st.cell_bold), ""] + [WriteBox(s, heavy=True) for _ in aid.options])

    table = Table(rows, colWidths=column_widths(aid, ctx, answer_width),
                  repeatRows=1, splitInRow=1, hAlign="LEFT")
    last = len(rows) - 1
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), s.accent),
        ("BACKGROUND", (0, last), (-1, last), tint(s.accent, 0.85)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (3, 1), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), s.pad),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad * 2),
        ("LINEBELOW", (0, 1), (-1, -2), s.rule / 2, RULE),
        ("LINEABOVE", (0, last), (-1, last), s.rule * 1.5, s.accent),
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
    ]))
    return [table] + how_to_read(aid, ctx)


def how_to_read(aid: Quiz, ctx: Context) -> list[Flowable]:
    st = ctx.styles
    margin = aid.scoring.margin
    rules = [para(aid.scoring.lean[o], st.bullet,
                  bold_lead=LABELS["lean_rule"].format(option=name, margin=margin))
             for o, name in aid.options.items()]
    rules.append(para(aid.scoring.otherwise, st.bullet, bold_lead=LABELS["otherwise"]))
    for p in rules:
        p.bulletText = "•"
    heading = Heading(LABELS["how_to_read"], st.heading, level=1)
    return [KeepTogether([heading] + rules)]
