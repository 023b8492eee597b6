"""Content longer than a page: tables repeat headers and split; flowcharts continue."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from aidpress.validate import load_aid
from layouts import render

from .conftest import CLINIC
from .readback import assert_in_order, norm, read

WORDS = "sore stiff muscle back neck rest walk stretch water sleep".split()


def long_text(n: int) -> str:
    return " ".join(f"{WORDS[i % len(WORDS)]}{i}" for i in range(n))


def comparison_yaml(rows: list[tuple[str, str, str]]) -> str:
    lines = ["kind: comparison", "title: A long comparison", "options:", "  left: Left option",
             "  right: Right option", "aspect_label: Thing", "rows:"]
    for aspect, left, right in rows:
        lines += [f"  - aspect: {aspect}", "    cells:", f"      left: {left}", f"      right: {right}"]
    return "\n".join(lines) + "\n"


def test_header_row_repeats_on_every_page(write_yaml):
    rows = [(f"Aspect {i}", f"Left text {i} " + long_text(30), f"Right text {i}") for i in range(40)]
    aid = load_aid(write_yaml(comparison_yaml(rows)))
    pdf = render(aid, CLINIC).pdf
    pages = read(pdf)
    assert len(pages) >= 3
    for n, page in enumerate(pages):
        start = 0 if n else page.body.index("Thing")  # page 1 has the title above the table
        assert page.body[start:].startswith("Thing Left option Right option"), page.body[:200]
    # pdfplumber sees the ruled grid: the header cells open the table on every page.
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages[1:]:
            body = [w for w in page.extract_words() if w["top"] > 60]  # below the running header
            first_words = [w["text"] for w in body[:4]]
            assert "Thing" in first_words


def test_a_2000_word_cell_splits_across_pages(write_yaml):
    """A row taller than a page splits inside its cells. Its neighbour says 700 words, so the
    2000-word cell is not "much longer" than the row's others (more than 3×, which would
    make it a note after the table: tests/test_long_cells.py)."""
    import re

    cell, neighbour = long_text(2000), " ".join(f"next{i}" for i in range(700))
    aid = load_aid(write_yaml(comparison_yaml([("Short", "Small cell", "Tiny"), ("Huge", cell, neighbour)])))
    rendered = render(aid, CLINIC)
    assert rendered.pages >= 3
    pages = read(rendered.pdf)
    header = "Thing Left option Right option "
    assert all(p.body.startswith(header) for p in pages[1:])  # repeated header row
    assert "sore0" in pages[0].body and "next0" in pages[0].body  # both cells begin on page 1
    # Each continuation repeats the row's label under the repeated header (issue 9).
    assert all(p.body[len(header):].startswith("Huge ") for p in pages[1:])
    # On each page the left cell's part, then the right one's: each whole and in order over the pages.
    left = [re.findall(r"\b[a-z]+(\d+)\b", p.body.split("next")[0] if "next" in p.body else p.body) for p in pages]
    assert [int(n) for part in left for n in part] == list(range(2000))
    assert [int(n) for p in pages for n in re.findall(r"\bnext(\d+)\b", p.body)] == list(range(700))
    # Read by a screen reader (the structure tree), the row's label is read once, where
    # the row begins: its copies on the continuations are artifacts, like the header row.
    read_aloud = [text for page in _marked_text(rendered.pdf) for text in page]
    assert sum(t.count("Huge") for t in read_aloud) == 1
    assert "".join(read_aloud).count("Thing") == 1


def _marked_text(pdf: bytes) -> list[list[str]]:
    """Per page, the text of each marked-content item a structure element owns (an
    artifact's text is left out), in drawing order."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        out = []
        for page in doc.pages:
            items: dict = {}
            for c in page.chars:
                if c.get("mcid") is not None:
                    items[c["mcid"]] = items.get(c["mcid"], "") + c["text"]
            out.append(list(items.values()))
        return out


def flowchart_yaml(steps: int) -> str:
    lines = ["kind: flowchart", "title: A tall chart", "nodes:"]
    for i in range(steps):
        nxt = f"q{i + 1}" if i + 1 < steps else "last"
        lines += [f"  q{i}:", f"    question: Question number {i}, which asks something fairly long about step {i}?",
                  "    branches:", f"      Yes: end{i}", f"      No: {nxt}",
                  f"  end{i}:", f"    outcome: Outcome number {i} says what to do now."]
    lines += ["  last:", "    outcome: The final outcome."]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large"])
def test_a_tall_flowchart_continues_on_the_next_page(write_yaml, large_print):
    aid = load_aid(write_yaml(flowchart_yaml(14)))
    pages = read(render(aid, CLINIC, large_print=large_print).pdf)
    assert len(pages) >= 2
    for n, page in enumerate(pages[:-1], start=1):
        assert page.body.endswith("continued on next page") or "continued on next page" in page.body
        assert f"continued from page {n}" in pages[n].body
    # Every node's text is printed, and never split between pages (no box splits).
    for i in range(14):
        question = norm(f"Question number {i}, which asks something fairly long about step {i}?")
        assert sum(question in p.body for p in pages) == 1
        assert sum(f"Outcome number {i} says what to do now." in p.body for p in pages) == 1
    assert_in_order(" ".join(p.body for p in pages), [f"Step {i + 1}" for i in range(14)])


def test_a_flowchart_step_taller_than_a_page_is_a_clear_error(write_yaml):
    from aidpress.commands.preflight import BuildOptions, preflight

    path = write_yaml(flowchart_yaml(2).replace("Question number 0,", "Question " + long_text(900) + ","))
    item, = preflight([path], CLINIC, BuildOptions())
    # at the node's key, `  q0:` on line 4 (the preflight locates what layouts report)
    assert [str(p) for p in item.errors] == [f"{path}:4:3: error: nodes.q0: this step and its outcomes are taller "
                                             "than a page (shorten their text or split the question)"]


URGENT_CHART = ("kind: flowchart\ntitle: T\nnodes:\n  q:\n    question: Bleeding?\n    branches:\n"
                "      Yes: go\n      No: rest\n  go:\n    outcome: Go to the emergency department now.\n"
                "    urgent: true\n  rest:\n    outcome: Rest at home.\n")


def test_urgent_outcomes_are_boxed_in_heavy_red(write_yaml):
    """Urgent: a heavy red outline, distinct from ordinary outcomes even in grey print."""
    from layouts.scale import OUTCOME_EDGE, WARNING

    pdf = render(load_aid(write_yaml(URGENT_CHART)), CLINIC).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        outlines = [c for c in page.curves if c.get("stroke")]
        words = {w["text"]: w for w in page.extract_words()}

        def outline_around(word):
            return next(c for c in outlines if c["x0"] < word["x0"] and c["x1"] > word["x1"]
                        and c["top"] < word["top"] and c["bottom"] > word["bottom"])

        urgent, ordinary = outline_around(words["emergency"]), outline_around(words["home."])
    assert urgent["stroking_color"] == pytest.approx(WARNING.rgb(), abs=1e-3)
    assert ordinary["stroking_color"] == pytest.approx(OUTCOME_EDGE.rgb(), abs=1e-3)
    assert urgent["linewidth"] >= 2 * ordinary["linewidth"]
    assert "⚠ URGENT" in read(pdf)[0].body


def test_a_question_with_no_way_out_is_an_error(write_yaml):
    from aidpress.errors import InvalidAid

    path = write_yaml("kind: flowchart\ntitle: T\nnodes:\n  a:\n    question: A?\n    branches: {Yes: b, No: b}\n"
                      "  b:\n    question: B?\n    branches: {Yes: a, No: a}\n")
    with pytest.raises(InvalidAid) as err:
        load_aid(path)
    assert str(err.value).splitlines() == [
        f"{path}:5:5: error: nodes.a: question 'a' has no path to an outcome",
        f"{path}:8:5: error: nodes.b: question 'b' has no path to an outcome",
        f"{path}:9:21: error: nodes.b.branches.Yes: branch 'Yes' loops back to 'a' (a decision chart must always "
        "move forward to an outcome)",
        f"{path}:9:28: error: nodes.b.branches.No: branch 'No' loops back to 'a' (a decision chart must always "
        "move forward to an outcome)",
    ]


def random_chart(seed: int) -> str:
    """A random valid decision chart: 3–12 questions, 2–4 branches each, targets only
    forward (so no loops), some outcomes shared, some urgent."""
    import random

    rng = random.Random(seed)
    questions = rng.randint(3, 12)
    outcomes = rng.randint(2, 6)
    lines = ["kind: flowchart", f"title: Random chart {seed}", "nodes:"]
    for q in range(questions):
        later = [f"q{n}" for n in range(q + 1, questions)]
        ends = [f"o{n}" for n in range(outcomes)]
        count = rng.randint(2, 4)
        targets = ([later[0]] if later else []) + rng.sample(later + ends, min(count, len(later + ends)))
        targets = list(dict.fromkeys(targets))[:count]
        while len(targets) < 2:
            targets.append(rng.choice(ends))
        labels = ["Yes", "No", "Not sure", "Sometimes"]
        lines += [f"  q{q}:", f"    question: Question {q} of chart {seed}, {'with more words ' * rng.randint(0, 6)}?",
                  "    branches:"] + [f"      {labels[i]}: {t}" for i, t in enumerate(targets)]
    for o in range(outcomes):
        lines += [f"  o{o}:", f"    outcome: Outcome {o} of chart {seed}.", f"    urgent: {rng.random() < 0.2}"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(25))
def test_any_chart_shape_renders_with_every_node_once(write_yaml, seed):
    from aidpress.errors import InvalidAid

    path = write_yaml(random_chart(seed), name=f"chart{seed}.yaml")
    try:
        aid = load_aid(path)
    except InvalidAid as exc:  # a random outcome left unreachable: the validator must say so
        assert all("cannot be reached" in p.message for p in exc.problems), str(exc)
        return
    pages = read(render(aid, CLINIC, large_print=seed % 2 == 1).pdf)
    text = " ".join(p.body for p in pages)
    for node_id, node in aid.nodes.items():
        words = norm(getattr(node, "question", None) or node.outcome)
        assert sum(words in p.body for p in pages) == 1, node_id  # drawn once, never split
    assert_in_order(text, [f"Step {n}" for n in range(1, sum(1 for n in aid.nodes if n.startswith("q")) + 1)])


LONG = " ".join(f"word{i}" for i in range(1500))
LONG_BLOCKS = {
    "checklist item": f"kind: checklist\ntitle: T\nsections:\n  - heading: H\n    items:\n      - {LONG}\n",
    # (a warning box never splits: one taller than a page is an error, test_safety_first)
    "quiz question": ("kind: quiz\ntitle: T\noptions: {a: A, b: B}\nquestions:\n"
                      f"  - question: {LONG}\n    points: {{Yes: {{a: 1}}}}\nscoring: {{lean: {{a: x, b: y}}, otherwise: z}}\n"),
    "scoring text": ("kind: quiz\ntitle: T\noptions: {a: A, b: B}\nquestions:\n  - question: Q\n    points: {Yes: {a: 1}}\n"
                     f"scoring: {{lean: {{a: {LONG}, b: y}}, otherwise: z}}\n"),
    "heading": f"kind: checklist\ntitle: T\nsections:\n  - heading: {LONG}\n    items: [a]\n",
    "intro": f"kind: checklist\ntitle: T\nintro: {LONG}\nsections:\n  - heading: H\n    items: [a]\n",
}


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large"])
@pytest.mark.parametrize("block", LONG_BLOCKS)
def test_any_block_longer_than_a_page_splits_and_loses_nothing(write_yaml, block, large_print):
    import re

    rendered = render(load_aid(write_yaml(LONG_BLOCKS[block])), CLINIC, large_print=large_print)
    assert rendered.pages >= 3
    words = re.findall(r"word(\d+)", " ".join(p.body for p in read(rendered.pdf)))
    assert [int(w) for w in words] == list(range(1500))


def test_a_long_label_on_a_down_arrow_stays_above_the_next_box(write_yaml):
    label = "No, or not sure yet, or only on some days of the week"
    path = write_yaml("kind: flowchart\ntitle: T\nnodes:\n  a:\n    question: First?\n    branches:\n"
                      f"      Yes: end\n      {label}: b\n  b:\n    question: Second?\n    branches: {{Yes: end, No: end2}}\n"
                      "  end: {outcome: One.}\n  end2: {outcome: Two.}\n")
    pdf = render(load_aid(path), CLINIC).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        words = page.extract_words()
        label_bottom = max(w["bottom"] for w in words if w["text"] in ("week", "days", "only"))
        second = next(w for w in words if w["text"] == "Second?")
        box = max((r for r in page.rects if r["stroke"] and r["top"] < second["top"] < r["bottom"]),
                  key=lambda r: r["top"])
    assert label_bottom < box["top"]
