"""aidpress.scoring.score on quizzes written here: the seed rule, a 3-option quiz, bad input."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from aidpress.model import Quiz
from aidpress.scoring import score
from aidpress.validate import load_aid

Y, N = "Yes", "No"

# The seed rule: Q1 Yes +2 dry needling, Q2 Yes +2 cupping, Q3 Yes −2 dry needling,
# Q4 Yes +2 cupping, Q5 Yes +2 dry needling; favoured when ahead by 2 or more.
# The answers are left to their default ([Yes, No]) and the labels are unquoted on purpose.
SEED_RULE = """
    kind: quiz
    title: Cupping or dry needling?
    options:
      cupping: Cupping
      dry_needling: Dry needling
    questions:
      - question: Is your pain in one small, tender knot?
        points:
          Yes: {dry_needling: 2}
      - question: Is your pain spread over a larger area?
        points:
          Yes: {cupping: 2}
      - question: Do you take blood thinners?
        points:
          Yes: {dry_needling: −2}
      - question: Do you prefer a treatment without needles?
        points:
          Yes: {cupping: 2}
      - question: Is quick relief of a trigger point a priority?
        points:
          Yes: {dry_needling: 2}
    scoring:
      margin: 2
      lean:
        cupping: Your answers lean toward cupping.
        dry_needling: Your answers lean toward dry needling.
      otherwise: Your answers do not clearly favour either.
"""

# The same rule with a sixth question worth 1 point, so that a lead of exactly 1 can happen
# (every seed award is ±2, so the seed's totals always differ by an even number).
ONE_POINT_QUESTION = """\
  - question: Have you had cupping before and liked it?
    points:
      Yes: {cupping: 1}
scoring:"""

THREE_OPTIONS = """
    kind: quiz
    title: How will you get to the clinic?
    options:
      walk: Walk
      bike: Cycle
      bus: Take the bus
    answers: [Often, Sometimes, Never]
    questions:
      - question: Do you walk for 20 minutes or more?
        points:
          Often: {walk: 3}
          Sometimes: {walk: 1, bike: 1}
      - question: Do you cycle in traffic?
        points:
          Often: {bike: 3}
          Never: {bike: -1, bus: 1}
      - question: Is it raining?
        answers: [Yes, No]
        points:
          Yes: {bus: 3}
          No: {walk: 1}
    scoring:
      margin: 3
      lean:
        walk: Walking suits you.
        bike: Cycling suits you.
        bus: The bus suits you.
      otherwise: Any of them will do.
"""


def _load(directory: Path, name: str, text: str) -> Quiz:
    path = directory / f"{name}.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    quiz = load_aid(path)
    assert isinstance(quiz, Quiz)
    return quiz


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Quiz:
    return _load(tmp_path_factory.mktemp("quiz"), "seed", SEED_RULE)


@pytest.fixture(scope="module")
def seed_plus_one(tmp_path_factory) -> Quiz:
    text = textwrap.dedent(SEED_RULE).lstrip("\n").replace("scoring:", ONE_POINT_QUESTION)
    return _load(tmp_path_factory.mktemp("quiz"), "seed-plus-one", text)


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> Quiz:
    return _load(tmp_path_factory.mktemp("quiz"), "three", THREE_OPTIONS)


def test_the_quiz_written_here_is_the_seed_rule(seed):
    assert seed.options == {"cupping": "Cupping", "dry_needling": "Dry needling"}
    assert seed.answers == ("Yes", "No")  # the default, not YAML 1.1's (True, False)
    assert [q.points for q in seed.questions] == [
        {"Yes": {"dry_needling": 2}},
        {"Yes": {"cupping": 2}},
        {"Yes": {"dry_needling": -2}},  # written with a typographic minus
        {"Yes": {"cupping": 2}},
        {"Yes": {"dry_needling": 2}},
    ]
    assert seed.scoring.margin == 2


# (answers to Q1..Q5) → (cupping total, dry needling total), favoured option
SEED_TABLE = [
    pytest.param([N, N, N, N, N], (0, 0), None, id="all-no-tie-at-zero"),
    pytest.param([None] * 5, (0, 0), None, id="all-unanswered"),
    pytest.param([Y, Y, Y, Y, Y], (4, 2), "cupping", id="all-yes-cupping-by-exactly-2"),
    pytest.param([Y, N, N, N, N], (0, 2), "dry_needling", id="q1-only-lead-of-exactly-2"),
    pytest.param([N, Y, N, N, N], (2, 0), "cupping", id="q2-only-lead-of-exactly-2"),
    pytest.param([N, N, N, Y, N], (2, 0), "cupping", id="q4-only"),
    pytest.param([N, N, N, N, Y], (0, 2), "dry_needling", id="q5-only"),
    pytest.param([Y, Y, N, N, N], (2, 2), None, id="tie-at-two"),
    pytest.param([Y, Y, N, Y, Y], (4, 4), None, id="tie-at-four"),
    pytest.param([Y, Y, Y, N, Y], (2, 2), None, id="minus-two-pulls-level"),
    pytest.param([Y, N, Y, N, N], (0, 0), None, id="plus-and-minus-cancel"),
    pytest.param([N, N, Y, N, N], (0, -2), "cupping", id="negative-total-zero-leads-minus-two"),
    pytest.param([N, Y, Y, Y, N], (4, -2), "cupping", id="negative-total-lead-of-six"),
    pytest.param([N, N, Y, N, Y], (0, 0), None, id="q3-and-q5-cancel"),
    pytest.param([Y, N, N, N, Y], (0, 4), "dry_needling", id="dry-needling-by-four"),
    pytest.param([Y, Y, N, N, Y], (2, 4), "dry_needling", id="dry-needling-by-exactly-2"),
    pytest.param([N, Y, N, Y, N], (4, 0), "cupping", id="cupping-by-four"),
    pytest.param([Y, None, None, None, None], (0, 2), "dry_needling", id="one-answered-rest-blank"),
    pytest.param([None, Y, Y, None, None], (2, -2), "cupping", id="blanks-and-a-negative"),
    pytest.param([None, N, None, N, Y], (0, 2), "dry_needling", id="mixed-blank-no-yes"),
    pytest.param([Y, None, Y, None, None], (0, 0), None, id="blanks-cancel-to-a-tie"),
]


@pytest.mark.parametrize("answers, totals, favoured", SEED_TABLE)
def test_seed_rule(seed, answers, totals, favoured):
    result = score(seed, answers)
    assert result.totals == {"cupping": totals[0], "dry_needling": totals[1]}
    assert list(result.totals) == ["cupping", "dry_needling"]  # the quiz's option order
    assert result.favoured == favoured
    assert result.text == {
        None: "Your answers do not clearly favour either.",
        "cupping": "Your answers lean toward cupping.",
        "dry_needling": "Your answers lean toward dry needling.",
    }[favoured]


@pytest.mark.parametrize("answers, totals, favoured", [
    pytest.param([N, N, N, N, N, Y], (1, 0), None, id="lead-of-1-is-not-enough"),
    pytest.param([Y, N, N, N, N, Y], (1, 2), None, id="dry-needling-ahead-by-1"),
    pytest.param([N, Y, Y, Y, N, Y], (5, -2), "cupping", id="lead-of-7"),
    pytest.param([N, Y, N, N, N, Y], (3, 0), "cupping", id="lead-of-3"),
    pytest.param([Y, N, N, N, Y, Y], (1, 4), "dry_needling", id="dry-needling-by-3"),
    pytest.param([N, N, Y, N, N, Y], (1, -2), "cupping", id="negative-lead-of-3"),
    pytest.param([Y, Y, N, N, Y, Y], (3, 4), None, id="dry-needling-by-1-both-high"),
    pytest.param([N, N, N, N, N, None], (0, 0), None, id="last-left-blank"),
])
def test_seed_rule_with_a_one_point_question(seed_plus_one, answers, totals, favoured):
    result = score(seed_plus_one, answers)
    assert result.totals == {"cupping": totals[0], "dry_needling": totals[1]}
    assert result.favoured == favoured


def test_the_margin_is_the_quizs_own(tmp_path):
    """The same answers favour an option or not depending on `scoring.margin`."""
    text = textwrap.dedent(SEED_RULE).lstrip("\n")
    wide = _load(tmp_path, "wide", text.replace("margin: 2", "margin: 3"))
    assert wide.scoring.margin == 3
    assert score(wide, [Y, N, N, N, N]).favoured is None  # lead of 2 < 3
    assert score(wide, [Y, N, N, N, Y]).favoured == "dry_needling"  # lead of 4
    narrow = _load(tmp_path, "narrow", text.replace("margin: 2", "margin: 1"))
    assert score(narrow, [Y, Y, N, N, N]).favoured is None  # a tie never favours anyone
    default = _load(tmp_path, "default", text.replace("  margin: 2\n", ""))
    assert default.scoring.margin == 2
    assert score(default, [Y, N, N, N, N]).favoured == "dry_needling"


# ── three options: the leader must beat the runner-up (not just the last) by the margin ──

@pytest.mark.parametrize("answers, totals, favoured", [
    pytest.param(["Often", "Never", "No"], (4, -1, 1), "walk", id="walk-beats-runner-up-by-exactly-3"),
    pytest.param(["Often", "Sometimes", "No"], (4, 0, 0), "walk", id="walk-by-4"),
    pytest.param(["Often", "Often", "No"], (4, 3, 0), None, id="beats-last-by-4-but-runner-up-by-1"),
    pytest.param(["Often", "Often", "Yes"], (3, 3, 3), None, id="three-way-tie"),
    pytest.param(["Never", "Often", "Yes"], (0, 3, 3), None, id="two-tied-on-top"),
    pytest.param(["Sometimes", "Never", "Yes"], (1, 0, 4), "bus", id="bus-by-exactly-3"),
    pytest.param(["Never", "Often", None], (0, 3, 0), "bike", id="bike-by-3-with-a-blank"),
    pytest.param(["Never", "Never", None], (0, -1, 1), None, id="bus-by-1-with-a-negative"),
    pytest.param(["Sometimes", "Sometimes", "No"], (2, 1, 0), None, id="walk-by-1"),
    pytest.param(["Often", "Never", "Yes"], (3, -1, 4), None, id="bus-leads-walk-by-1"),
    pytest.param([None, None, None], (0, 0, 0), None, id="all-blank"),
])
def test_three_options(three, answers, totals, favoured):
    result = score(three, answers)
    assert result.totals == dict(zip(["walk", "bike", "bus"], totals))
    assert list(result.totals) == ["walk", "bike", "bus"]
    assert result.favoured == favoured
    assert result.text == {
        None: "Any of them will do.",
        "walk": "Walking suits you.",
        "bike": "Cycling suits you.",
        "bus": "The bus suits you.",
    }[favoured]


# ── what score refuses ──────────────────────────────────────────────────────────────

@pytest.mark.parametrize("count", [0, 1, 4, 6])
def test_wrong_number_of_answers(seed, count):
    with pytest.raises(ValueError) as err:
        score(seed, [N] * count)
    assert str(err.value) == f"expected 5 answers, got {count}"


@pytest.mark.parametrize("answers, message", [
    pytest.param([Y, N, "Maybe", N, N], "'Maybe' is not an answer to: Do you take blood thinners?", id="maybe"),
    pytest.param(["yes", N, N, N, N], "'yes' is not an answer to: Is your pain in one small, tender knot?",
                 id="wrong-case"),
    pytest.param([N, N, N, N, True], "'True' is not an answer to: Is quick relief of a trigger point a priority?",
                 id="a-bool-is-not-the-text-Yes"),
    pytest.param([N, "", N, N, N], "'' is not an answer to: Is your pain spread over a larger area?", id="empty"),
])
def test_answer_not_allowed(seed, answers, message):
    with pytest.raises(ValueError) as err:
        score(seed, answers)
    assert str(err.value) == message


def test_each_question_is_checked_against_its_own_answers(three):
    with pytest.raises(ValueError) as err:
        score(three, ["Often", "Often", "Often"])  # question 3 answers Yes or No
    assert str(err.value) == "'Often' is not an answer to: Is it raining?"
    with pytest.raises(ValueError) as err:
        score(three, ["Yes", "Often", "Yes"])  # questions 1 and 2 answer Often, Sometimes or Never
    assert str(err.value) == "'Yes' is not an answer to: Do you walk for 20 minutes or more?"
    with pytest.raises(ValueError) as err:
        score(three, ["Often", "Often"])
    assert str(err.value) == "expected 3 answers, got 2"
