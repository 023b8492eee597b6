"""The quiz's scoring rule as a pure function, the same rule the handout prints.

An option is favoured when its total beats every other option's total by at least
the margin; otherwise no option is favoured and the quiz's `otherwise` text applies.
Safety comes first: a quiz may open with a red-flag question (`red_flag`), never scored,
whose Yes stops the quiz: no totals, get medical help now. An answer may rule options
out (`rules_out`), and whatever the totals, a ruled-out option is one to talk over with
a practitioner before choosing it. When the totals favour a ruled-out option, that
overrides the quiz's lean text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .labels import LABELS
from .model import Quiz


@dataclass(frozen=True)
class Score:
    """A quiz's outcome for one set of answers: the totals, the option they favour, the ones ruled out."""

    totals: dict[str, int]  # option id → points, in the quiz's option order
    favoured: str | None  # the option the totals favour, or None
    ruled_out: tuple[str, ...]  # options an answer ruled out, in the quiz's option order
    text: str  # what the handout says for this outcome
    stopped: bool = False  # the red-flag question was answered Yes: the quiz stops, nothing is scored

    @property
    def overridden(self) -> bool:
        """The totals favour an option that an answer ruled out."""
        return self.favoured is not None and self.favoured in self.ruled_out


RED_FLAG_ANSWERS = (LABELS["yes"], LABELS["no"])  # the red-flag question's answers: the first stops the quiz


def red_flag_action(quiz: Quiz) -> str:
    """What the handout tells a patient who answers the red-flag question Yes."""
    return quiz.red_flag.action or LABELS["red_flag_action"]


def score(quiz: Quiz, answers: list[str | None], red_flag: str | None = None) -> Score:
    """Totals and outcome for one set of answers (None: question left blank). `red_flag`:
    the answer to the quiz's red-flag question; a Yes stops the quiz before any scoring."""
    if len(answers) != len(quiz.questions):
        raise ValueError(f"expected {len(quiz.questions)} answers, got {len(answers)}")
    if red_flag is not None:
        if quiz.red_flag is None:
            raise ValueError("this quiz has no red-flag question")
        if red_flag not in RED_FLAG_ANSWERS:
            raise ValueError(f"'{red_flag}' is not an answer to: {quiz.red_flag.question}")
        if red_flag == RED_FLAG_ANSWERS[0]:
            return Score({option: 0 for option in quiz.options}, None, (), red_flag_action(quiz), stopped=True)
    totals = {option: 0 for option in quiz.options}
    ruled = set()
    for question, answer in zip(quiz.questions, answers):
        if answer is not None and answer not in quiz.answers_for(question):
            raise ValueError(f"'{answer}' is not an answer to: {question.question}")
        for option, points in question.points.get(answer, {}).items():
            totals[option] += points
        ruled.update(question.rules_out.get(answer, ()))
    favoured = leader(totals, quiz.scoring.margin)
    ruled_out = tuple(o for o in quiz.options if o in ruled)
    if favoured in ruled_out:
        text = LABELS["rule_out_key"]
    else:
        text = quiz.scoring.lean[favoured] if favoured else quiz.scoring.otherwise
    return Score(totals, favoured, ruled_out, text)


def leader(totals: dict[str, int], margin: int) -> str | None:
    ranked = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, runner_up) = ranked[0], ranked[1]
    return best if top - runner_up >= margin else None
