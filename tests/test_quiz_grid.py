"""Points in the grid, read back from the built PDFs (issue 18, point 3).

Each quiz question's answers are rows; the points an answer gives are printed as numbers
on the answer's line, under the head of the option they go to (blank where it gives none,
a real minus sign for negatives); a question has a score box under each option it can give
points to, and none when it gives no points; no prose points key. Expected values come
from the YAML; positions from pdfplumber (words and stroked squares).
"""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest

from aidpress.labels import LABELS
from aidpress.validate import load_aid
from layouts import render
from layouts.scale import LARGE_BODY, REGULAR_BODY, Scale

from .conftest import CLINIC, ROOT
from .readback import body_text

QUIZZES = [ROOT / "aids" / "decision-quiz.yaml"] + [
    ROOT / "tests" / "fixtures" / "generic" / f"{name}.yaml"
    for name in ("commute-quiz-3", "commute-quiz-safety", "hand-quiz-4")]
VARIANTS = [("a4", False), ("letter", False), ("a4", True)]
VARIANT_IDS = ["a4", "letter", "large-print"]
NUMBER = re.compile(r"^[\u2212+\-]?\d+$")


def printed(points: int) -> str:
    """How the grid should print a number of points: '2', '−1' (U+2212)."""
    return f"\u2212{-points}" if points < 0 else str(points)


def is_white(word) -> bool:
    colour = word.get("non_stroking_color")
    return colour is not None and all(abs(c - 1) < 0.01 for c in (colour if isinstance(colour, (list, tuple)) else [colour]))


def head_ranges(page, words, quiz) -> list[tuple[float, float]]:
    """Per option, the x-range of its column head on this page (header words are white):
    from the first word of its name to the right end of the words starting under it."""
    white = [w for w in words if is_white(w)]
    [question] = [w for w in white if w["text"] == LABELS["question"]]
    header = [w for w in white if w["top"] >= question["top"] - 1]
    labels = set(LABELS["question"].split() + LABELS["your_answer"].split())
    cursor = max(w["x1"] for w in header if w["text"] in labels and abs(w["top"] - question["top"]) < 2)
    starts = []
    for name in quiz.options.values():
        first = min((w for w in header if w["text"] == name.split()[0] and w["x0"] > cursor),
                    key=lambda w: (w["x0"], w["top"]))
        starts.append(first["x0"])
        cursor = first["x0"] + 0.5
    ranges = []
    for i, x0 in enumerate(starts):
        nxt = starts[i + 1] if i + 1 < len(starts) else float(page.width)
        ranges.append((x0, max(w["x1"] for w in header if x0 - 1 <= w["x0"] < nxt - 1)))
    return ranges


def read_grid(pdf: bytes, quiz, scale: Scale):
    """Per question: for each answer, {option: number printed on its line}, and the options
    whose band holds a score box beside its answers; then the boxes of the totals row."""
    rows, boxes_seen, totals = [], [], []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = []
        for page in doc.pages:
            words = page.extract_words(extra_attrs=["non_stroking_color"])
            squares = [r for r in page.rects if r["stroke"] and not r["fill"] and abs(r["width"] - r["height"]) < 0.5]
            ticks = [r for r in squares if r["width"] == pytest.approx(scale.tick, abs=0.5)]
            boxes = [r for r in squares if r["width"] == pytest.approx(scale.write_box, abs=0.5)]
            has_head = any(w["text"] == LABELS["question"] and is_white(w) for w in words)
            ranges = head_ranges(page, words, quiz) if has_head else None
            pages.append((page, words, sorted(ticks, key=lambda r: (round(r["top"]), r["x0"])), boxes, ranges))
            boxes_seen += [(page.page_number, b) for b in boxes]
        ticks = [(p, t) for p in pages for t in p[2]]
        ticks = ticks[2 if quiz.red_flag else 0:]  # the red-flag question's Yes and No come first
        for question in quiz.questions:
            answers, labels = {}, {}
            mine = ticks[:len(quiz.answers_for(question))]
            ticks = ticks[len(mine):]
            (page, words, _, boxes, ranges), first = mine[0]
            assert ranges, f"no column heads on the page of: {question.question}"
            left = ranges[0][0] - 2
            for answer, (_, tick) in zip(quiz.answers_for(question), mine):
                line = [w for w in words if w["x0"] > tick["x1"] and tick["top"] <= (w["top"] + w["bottom"]) / 2 <= tick["bottom"]]
                numbers = [w for w in line if NUMBER.match(w["text"]) and (w["x0"] + w["x1"]) / 2 >= left]
                found = {}
                for w in numbers:
                    centre = (w["x0"] + w["x1"]) / 2
                    inside = [o for o, (x0, x1) in zip(quiz.options, ranges) if x0 <= centre <= x1]
                    assert inside, f"{w['text']!r} ({question.question} / {answer}) is under no option's head"
                    found[inside[0]] = w["text"]
                answers[answer] = found
                labels[answer] = " ".join(w["text"] for w in line if (w["x0"] + w["x1"]) / 2 < left)
            top, bottom = first["top"], mine[-1][1]["bottom"]
            starts = [x0 for x0, _ in ranges] + [float(page.width)]
            beside = [b for b in boxes if top - 1 <= (b["top"] + b["bottom"]) / 2 <= bottom + 1]
            scored = [o for i, o in enumerate(quiz.options) for b in beside if starts[i] <= b["x0"] < starts[i + 1]]
            assert len(scored) == len(beside)
            rows.append((answers, scored, labels))
        last_page, lowest = max((n, b["top"]) for n, b in boxes_seen)
        totals = [b for n, b in boxes_seen if n == last_page and b["top"] == lowest]
    return rows, boxes_seen, totals


@pytest.mark.parametrize("paper, large_print", VARIANTS, ids=VARIANT_IDS)
@pytest.mark.parametrize("path", QUIZZES, ids=[p.stem for p in QUIZZES])
def test_each_answers_points_are_numbers_under_their_options_head(path, paper, large_print):
    quiz = load_aid(path)
    scale = Scale(LARGE_BODY if large_print else REGULAR_BODY)
    pdf = render(quiz, CLINIC, paper=paper, large_print=large_print).pdf
    rows, boxes, totals = read_grid(pdf, quiz, scale)
    for question, (answers, scored, labels) in zip(quiz.questions, rows):
        for answer in quiz.answers_for(question):
            # beside its tick box: the answer (⚠ when it rules an option out), whole when it
            # fits its column, as it does in the seed quiz; a long one wraps under itself
            label = f"{answer} ⚠" if answer in question.rules_out else answer
            assert labels[answer] and label.startswith(labels[answer]), (labels[answer], label)
            if path.parent.name == "aids":
                assert labels[answer] == label
            given = question.points.get(answer, {})
            # blank where an answer gives none (and for 0): no "+0", no "+2"
            assert answers[answer] == {o: printed(p) for o, p in given.items() if p}, (question.question, answer)
        # one score box under each option the question can give points to; none if it gives none
        expected = [o for o in quiz.options if any(given.get(o) for given in question.points.values())]
        assert scored == expected, question.question
    assert len(boxes) == sum(len(s) for _, s, _ in rows) + len(quiz.options)  # + the totals row
    assert len(totals) == len(quiz.options)
    text = body_text(pdf).replace(CLINIC.phone, "")  # "+44 …" is no points
    assert "Points:" not in text and not re.search(r"\+\d", text)


def test_the_fixtures_cover_negatives_zeros_three_and_four_options_and_a_question_without_points():
    """The grid test above means something only if its quizzes hold these cases."""
    quizzes = [load_aid(p) for p in QUIZZES]
    points = [p for q in quizzes for qu in q.questions for given in qu.points.values() for p in given.values()]
    assert any(p < 0 for p in points) and 0 in points
    assert {len(q.options) for q in quizzes} >= {2, 3, 4}
    assert any(not qu.points for q in quizzes for qu in q.questions)
    assert any(len(q.answers_for(qu)) == 3 for q in quizzes for qu in q.questions)


@pytest.mark.parametrize("path", QUIZZES, ids=[p.stem for p in QUIZZES])
def test_large_print_keeps_the_option_names_in_the_heads(path):
    quiz = load_aid(path)
    pdf = render(quiz, CLINIC, large_print=True).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            words = page.extract_words(extra_attrs=["non_stroking_color"])
            if not any(w["text"] == LABELS["question"] and is_white(w) for w in words):
                continue
            heads = " ".join(w["text"] for w in sorted((w for w in words if is_white(w)), key=lambda w: (w["x0"], w["top"])))
            for name in quiz.options.values():
                for word in name.split():
                    assert word in heads.split(), f"{word!r} of {name!r} not in the heads on page {page.page_number}"
    assert "A:" not in body_text(pdf)  # no key of lettered heads


def test_names_that_cannot_fit_are_lettered_with_a_key(write_yaml):
    quiz = load_aid(write_yaml("""
        kind: quiz
        title: T
        options:
          a: Hydroelectrotherapeutically
          b: Thermoelectrostimulation
          c: Pseudohypoparathyroidism
          d: Electroencephalographically
        questions:
          - question: First?
            points: {"Yes": {a: 2, d: -1}}
        scoring: {lean: {a: w, b: x, c: y, d: z}, otherwise: v}
        """))
    text = body_text(render(quiz, CLINIC, large_print=True).pdf)
    for letter, name in zip("ABCD", quiz.options.values()):
        assert f"{letter}: {name}" in text


def test_a_stacked_question_taller_than_a_page_is_a_located_error(write_yaml):
    """Stacked (four options, large print), a question's text is part of its answer grid,
    which never splits: one taller than a page is an error naming the question (wide, the
    text splits instead: tests/test_long_content.py)."""
    from aidpress.errors import UnfitContent

    long = " ".join(f"word{i}" for i in range(1500))
    quiz = load_aid(write_yaml(f"""
        kind: quiz
        title: T
        options: {{a: Alpha, b: Beta, c: Gamma, d: Delta}}
        questions:
          - question: Short?
            points: {{"Yes": {{a: 1}}}}
          - question: Long?
            help: {long}
            points: {{"Yes": {{b: 1}}}}
        scoring: {{lean: {{a: w, b: x, c: y, d: z}}, otherwise: v}}
        """))
    with pytest.raises(UnfitContent) as raised:
        render(quiz, CLINIC, large_print=True)
    assert raised.value.path == ("questions", 1) and "question 2 of 'T'" in raised.value.message
