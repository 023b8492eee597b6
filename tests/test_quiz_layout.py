"""Scoring boxes are really drawn: counted from the PDF's geometry."""

from __future__ import annotations

import pytest

from aidpress.validate import load_aid
from layouts import render
from layouts.scale import LARGE_BODY, REGULAR_BODY, Scale

from .conftest import AIDS, CLINIC, GENERIC
from .readback import read, stroked_squares

QUIZZES = [p for p in AIDS + GENERIC if load_aid(p).kind == "quiz"]


def test_there_are_quizzes():
    assert len(QUIZZES) >= 2


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large"])
@pytest.mark.parametrize("path", QUIZZES, ids=[p.stem for p in QUIZZES])
def test_each_question_has_a_tick_box_per_answer_and_a_points_box_per_option_it_scores(path, large_print):
    quiz = load_aid(path)
    scale = Scale(LARGE_BODY if large_print else REGULAR_BODY)
    pdf = render(quiz, CLINIC, large_print=large_print).pdf
    boxes = [b for page in stroked_squares(pdf) for b in page]
    ticks = [b for b in boxes if b["width"] == pytest.approx(scale.tick, abs=0.5)]
    points = [b for b in boxes if b["width"] == pytest.approx(scale.write_box, abs=0.5)]
    assert len(ticks) + len(points) == len(boxes)
    assert scale.tick >= 5 * 72 / 25.4  # ≥ 5 mm

    # one per answer; a values worksheet adds 6 + options per factor, the SURE test 8
    blocks = len(quiz.values.factors) * (6 + len(quiz.options)) if quiz.values else 0
    blocks += 8 if quiz.sure else 0
    blocks += 2 if quiz.red_flag else 0  # the red-flag question's Yes and No (never scored: no points boxes)
    assert len(ticks) == sum(len(quiz.answers_for(q)) for q in quiz.questions) + blocks
    # Points boxes come in rows: one row per question that gives points, with a box under
    # each option it can give points to (a question giving none has no boxes); then the
    # totals row, a box per option.
    rows = {}
    for b in points:
        rows.setdefault((b["page_number"], round(b["top"])), []).append(b)
    scored = [len({o for given in q.points.values() for o, p in given.items() if p}) for q in quiz.questions]
    assert [len(r) for r in rows.values()] == [n for n in scored if n] + [len(quiz.options)]


def test_totals_row_is_last_and_boxes_line_up_under_the_option_headings():
    quiz = load_aid(QUIZZES[0])
    pdf = render(quiz, CLINIC).pdf
    scale = Scale(REGULAR_BODY)
    boxes = [b for b in stroked_squares(pdf)[0] if b["width"] == pytest.approx(scale.write_box, abs=0.5)]
    columns = sorted({round(b["x0"]) for b in boxes})
    assert len(columns) == len(quiz.options)
    lowest = max(b["top"] for b in boxes)
    totals = [b for b in boxes if b["top"] == lowest]
    assert len(totals) == len(quiz.options)


@pytest.mark.parametrize("path", QUIZZES, ids=[p.stem for p in QUIZZES])
def test_how_to_read_your_score_is_printed_from_the_rule(path):
    """The wording fits the number of options: "the other total" when there are two."""
    quiz = load_aid(path)
    text = " ".join(p.body for p in read(render(quiz, CLINIC).pdf))
    others = "the other total" if len(quiz.options) == 2 else "every other total"
    for name in quiz.options.values():
        assert f"If your {name} total is at least {quiz.scoring.margin} more than {others}:" in text
    assert ("every other total" in text) == (len(quiz.options) > 2)
    assert "Otherwise: " + quiz.scoring.otherwise in text


def test_there_are_quizzes_with_two_and_with_more_options():
    assert {len(load_aid(p).options) == 2 for p in QUIZZES} == {True, False}
