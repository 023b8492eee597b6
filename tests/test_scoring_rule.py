"""The quiz's scoring rule with rule-outs: safety overrides the totals.

The plain points rule (margins, ties, negative points) is tested on quizzes written in
test_scoring.py; here, answers that rule an option out, on a neutral fixture whose
results are worked out by hand, and on the seed quiz for every way of answering it.
"""

from __future__ import annotations

import itertools

import pytest

from aidpress.labels import LABELS
from aidpress.scoring import score
from aidpress.validate import load_aid

from .conftest import ROOT

SAFETY = load_aid(ROOT / "tests" / "fixtures" / "generic" / "commute-quiz-safety.yaml")
# Q1 avoid hard exercise? Yes rules out bike.   Q2 crowds? Yes: bike +1, rules out bus.
# Q3 enjoy exercise? Yes: bike +2; No: bus +1.   Q4 flat? Mostly: bike +2; Not at all: bus +2, wait +1.
# Options in order bike, bus, wait; margin 2.
Y, N = "Yes", "No"


@pytest.mark.parametrize("answers, totals, favoured, ruled_out, overridden", [
    ([Y, N, Y, "Mostly"], (4, 0, 0), "bike", ("bike",), True),  # 4 leads 0 by 4, but bike is ruled out
    ([N, N, Y, "Mostly"], (4, 0, 0), "bike", (), False),  # the same totals, nothing ruled out
    ([N, Y, N, "Not at all"], (1, 3, 1), "bus", ("bus",), True),  # bus leads by 2, ruled out by Q2
    ([N, Y, Y, "Mostly"], (5, 0, 0), "bike", ("bus",), False),  # bus ruled out; bike's lead stands
    ([Y, Y, N, "Partly"], (1, 1, 0), None, ("bike", "bus"), False),  # no leader; two ruled out
    ([None, None, None, None], (0, 0, 0), None, (), False),  # left blank
    ([Y, None, None, "Not at all"], (0, 2, 1), None, ("bike",), False),  # bus leads by 1 only
])
def test_a_ruled_out_option_overrides_the_totals(answers, totals, favoured, ruled_out, overridden):
    result = score(SAFETY, answers)
    assert tuple(result.totals.values()) == totals
    assert result.favoured == favoured
    assert result.ruled_out == ruled_out
    assert result.overridden is overridden
    if overridden:
        assert result.text == LABELS["rule_out_key"]
    else:
        assert result.text == (SAFETY.scoring.lean[favoured] if favoured else SAFETY.scoring.otherwise)


def test_ruled_out_options_come_in_the_quizs_option_order(write_yaml):
    quiz = load_aid(write_yaml("""
        kind: quiz
        title: T
        options: {a: A, b: B, c: C}
        questions:
          - question: First?
            rules_out: {"Yes": [c]}
          - question: Second?
            rules_out: {"Yes": [a, c]}
        scoring: {lean: {a: x, b: y, c: z}, otherwise: w}
        """))
    assert score(quiz, [Y, Y]).ruled_out == ("a", "c")  # not c, a as the questions name them
    assert score(quiz, [N, Y]).ruled_out == ("a", "c")
    assert score(quiz, [Y, N]).ruled_out == ("c",)


def test_the_seed_quiz_never_leans_toward_an_option_an_answer_ruled_out():
    """Every way of answering the seed quiz: the outcome text never recommends a ruled-out option."""
    quiz = load_aid(ROOT / "aids" / "decision-quiz.yaml")
    choices = [quiz.answers_for(q) + (None,) for q in quiz.questions]
    ruling = [q for q in quiz.questions if q.rules_out]
    assert ruling, "the seed quiz asks no safety question"
    seen_override = False
    for answers in itertools.product(*choices):
        result = score(quiz, list(answers))
        expected = {o for q, a in zip(quiz.questions, answers) for o in q.rules_out.get(a, ())}
        assert set(result.ruled_out) == expected
        for option in result.ruled_out:
            assert result.text != quiz.scoring.lean[option]
        seen_override |= result.overridden
    assert seen_override  # some answers do put a ruled-out option ahead on points


def test_wrong_answers_are_refused():
    with pytest.raises(ValueError, match="expected 4 answers, got 2"):
        score(SAFETY, [Y, N])
    with pytest.raises(ValueError, match="'Maybe' is not an answer to: Is your route flat"):
        score(SAFETY, [Y, N, Y, "Maybe"])
