"""The quiz's scoring rule as a pure function, the same rule the handout prints.

An option is favoured when its total beats every other option's total by at least
the margin; otherwise no option is favoured and the quiz's `otherwise` text applies.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Quiz


@dataclass(frozen=True)
class Score:
    totals: dict[str, int]  # option id → points, in the quiz's option order
    favoured: str | None  # the favoured option's id, or None
    text: str  # what the handout says for this outcome


def score(quiz: Quiz, answers: list[str | None]) -> Score:
    """Totals and outcome for one set of answers (None: question left blank)."""
    if len(answers) != len(quiz.questions):
        raise ValueError(f"expected {len(quiz.questions)} answers, got {len(answers)}")
    totals = {option: 0 for option in quiz.options}
    for question, answer in zip(quiz.questions, answers):
        if answer is not None and answer not in quiz.answers_for(question):
            raise ValueError(f"'{answer}' is not an answer to: {question.question}")
        for option, points in question.points.get(answer, {}).items():
            totals[option] += points
    favoured = leader(totals, quiz.scoring.margin)
    text = quiz.scoring.lean[favoured] if favoured else quiz.scoring.otherwise
    return Score(totals, favoured, text)


def leader(totals: dict[str, int], margin: int) -> str | None:
    ranked = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, runner_up) = ranked[0], ranked[1]
    return best if top - runner_up >= margin else None
