"""The quiz's scoring rule as a pure function, on the seed's rule and beyond."""

from __future__ import annotations

import pytest

from aidpress.scoring import score
from aidpress.validate import load_aid

from .conftest import ROOT

SEED_QUIZ = load_aid(ROOT / "aids" / "decision-quiz.yaml")
Y, N = "Yes", "No"


def test_the_seed_quiz_is_the_seed_rule():
    """Q1 +2 DN, Q2 +2 cupping, Q3 −2 DN, Q4 +2 cupping, Q5 +2 DN; favoured by 2 or more."""
    points = [q.points for q in SEED_QUIZ.questions]
    assert points == [{"Yes": {"dry_needling": 2}}, {"Yes": {"cupping": 2}}, {"Yes": {"dry_needling": -2}},
                      {"Yes": {"cupping": 2}}, {"Yes": {"dry_needling": 2}}]
    assert SEED_QUIZ.scoring.margin == 2


@pytest.mark.parametrize("answers, totals, favoured", [
    ([N, N, N, N, N], (0, 0), None),  # all no: a tie at zero
    ([Y, N, N, N, N], (0, 2), "dry_needling"),  # a lead of exactly 2 is enough
    ([N, Y, N, N, N], (2, 0), "cupping"),
    ([Y, Y, N, N, N], (2, 2), None),  # a tie
    ([Y, Y, N, N, Y], (2, 4), "dry_needling"),
    ([Y, Y, Y, N, Y], (2, 2), None),  # the −2 pulls dry needling back level
    ([N, N, Y, N, N], (0, -2), "cupping"),  # negative totals: 0 leads −2 by 2
    ([N, Y, Y, Y, N], (4, -2), "cupping"),
    ([Y, Y, Y, Y, Y], (4, 2), "cupping"),
    ([Y, N, N, Y, Y], (2, 4), "dry_needling"),
    ([Y, N, Y, Y, N], (2, 0), "cupping"),
    ([None, None, None, None, None], (0, 0), None),  # left blank
    ([Y, None, None, None, None], (0, 2), "dry_needling"),
])
def test_seed_rule(answers, totals, favoured):
    result = score(SEED_QUIZ, answers)
    assert (result.totals["cupping"], result.totals["dry_needling"]) == totals
    assert result.favoured == favoured
    expected = SEED_QUIZ.scoring.lean[favoured] if favoured else SEED_QUIZ.scoring.otherwise
    assert result.text == expected


def test_a_lead_of_one_is_not_enough():
    quiz = load_aid(ROOT / "tests" / "fixtures" / "generic" / "commute-quiz-3.yaml")  # margin 3
    # Q1 Yes: walk +3; Q2 Yes: bike +2, walk +1; Q3 Never: bike +1; Q4 No
    result = score(quiz, ["Yes", "Yes", "Never", "No"])
    assert result.totals == {"walk": 4, "bike": 3, "bus": 0}
    assert result.favoured is None  # leads bike by 1 only; margin is 3
    result = score(quiz, ["Yes", "No", "Sometimes", "No"])
    assert result.totals == {"walk": 3, "bike": 0, "bus": 0} and result.favoured == "walk"
    result = score(quiz, ["No", "No", "Often", "Yes"])
    assert result.totals == {"walk": -2, "bike": -1, "bus": 4} and result.favoured == "bus"


def test_wrong_answers_are_refused():
    with pytest.raises(ValueError, match="expected 5 answers, got 2"):
        score(SEED_QUIZ, [Y, N])
    with pytest.raises(ValueError, match="'Maybe' is not an answer to: Is your pain localized"):
        score(SEED_QUIZ, ["Maybe", N, N, N, N])
