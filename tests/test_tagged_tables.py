"""Tables are tagged as tables (issue 17, point 2; docs/accessibility.md): a comparison's
grid and its stacked blocks, and the quiz's grid, are `Table` → `TR` → `TH`/`TD` in the
structure tree, every `TH` with its `/Scope`, the page audit's unit kinds still on the rows.

The tree is read back with pikepdf, each element's text from the page's characters with
pdfplumber (each character knows its MCID); expected texts come from the YAML (and the
handout labels). Words either side of a line break are glued in the tree today, and a
comparison cell may hyphenate: texts are compared with white space (and, where a cell may
hyphenate, hyphens) removed.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from pdfua import validate

import layouts
import layouts.scale
from aidpress.labels import LABELS
from aidpress.validate import load_aid

from .conftest import CLINIC

ROOT = Path(__file__).resolve().parent.parent
COMPARISONS = [ROOT / "aids" / "cupping-vs-dry-needling.yaml", ROOT / "aids" / "dry-needling-vs-acupuncture.yaml"]
QUIZ = ROOT / "aids" / "decision-quiz.yaml"
WORKSHEET = ROOT / "aids" / "decision-worksheet.yaml"
VARIANTS = {"a4": {}, "letter": {"paper": "letter"}, "large-print": {"large_print": True}}


def rendered(path: Path, **variant) -> bytes:
    return layouts.render(load_aid(path), CLINIC, **variant).pdf


def squeezed(text: str, hyphens: bool = True) -> str:
    text = re.sub(r"\s+", "", text)
    return text if hyphens else text.replace("-", "").replace("\u00ad", "")


@dataclass(eq=False)
class Element:
    kind: str  # the structure type: Table, TR, TH, TD, P, …
    cls: str = ""  # its class (/C): the audit's unit kind (Row, HeadRow, Block, Tie, …)
    scope: str | None = None
    colspan: int = 1
    rowspan: int = 1
    alt: str | None = None  # its /Alt
    tie: int | None = None
    ident: str | None = None  # its /ID
    headers: tuple = ()  # the /ID of each head it is read under (/Headers)
    kids: list = field(default_factory=list)  # Elements, and (page, mcid) content items

    def elements(self, kind: str | None = None) -> list["Element"]:
        return [k for k in self.kids if isinstance(k, Element) and (kind is None or k.kind == kind)]

    def walk(self):
        yield self
        for kid in self.elements():
            yield from kid.walk()

    def items(self) -> list[tuple[int, int]]:
        found = []
        for kid in self.kids:
            found += kid.items() if isinstance(kid, Element) else [kid]
        return found


@dataclass
class Tagged:
    document: Element
    texts: dict  # (page, mcid) -> the characters it shows
    pages: int

    def text(self, element: Element) -> str:
        return "".join(self.texts.get(item, "") for item in element.items())

    def pages_of(self, element: Element) -> set[int]:
        return {page for page, _ in element.items()}


def read_tree(pdf: bytes) -> Tagged:
    texts: dict = defaultdict(str)
    with pdfplumber.open(io.BytesIO(pdf)) as plumbed:
        for index, p in enumerate(plumbed.pages):
            for char in p.chars:
                if char.get("mcid") is not None:
                    texts[(index, char["mcid"])] += char["text"]
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = {p.obj.objgen: i for i, p in enumerate(doc.pages)}

        def element(node) -> Element:
            out = Element(str(node.S)[1:], str(node.get("/C", ""))[1:])
            out.ident = str(node.ID) if "/ID" in node else None
            out.alt = str(node.Alt) if "/Alt" in node else None
            attrs = node.get("/A")
            for a in ([] if attrs is None else list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]):
                if a.O == "/Table":
                    out.scope = str(a.Scope)[1:] if "/Scope" in a else None
                    out.colspan = int(a.get("/ColSpan", 1))
                    out.rowspan = int(a.get("/RowSpan", 1))
                    out.headers = tuple(str(h) for h in a.get("/Headers", []))
                elif a.O == "/UserProperties":
                    out.tie = next((int(p.V) for p in a.P if str(p.N) == "aidpress-tie"), None)
            kids = node.get("/K")
            for kid in ([] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    out.kids.append((pages[kid.Pg.objgen], int(kid.MCID)))
                elif isinstance(kid, pikepdf.Dictionary):
                    out.kids.append(element(kid))
                else:  # a bare MCID: on the element's page
                    out.kids.append((pages[node.Pg.objgen], int(kid)))
            return out

        return Tagged(element(doc.Root.StructTreeRoot.K), dict(texts), len(doc.pages))


def rows_of(table: Element) -> list[Element]:
    """A table's rows (in a THead/TBody/TFoot or not)."""
    rows = []
    for kid in table.elements():
        rows += [kid] if kid.kind == "TR" else kid.elements("TR") if kid.kind in ("THead", "TBody", "TFoot") else []
    return rows


def cells(row: Element) -> list[Element]:
    return [k for k in row.elements() if k.kind in ("TH", "TD")]


def assert_clean(pdf: bytes, tmp_path: Path) -> None:
    file = tmp_path / "check.pdf"
    file.write_bytes(pdf)
    assert [(f.rule_id, f.message) for f in validate(str(file)).findings] == []


# ── comparisons ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("variant", ["a4", "letter"])
@pytest.mark.parametrize("path", COMPARISONS, ids=[p.stem for p in COMPARISONS])
def test_a_comparison_grid_is_a_table_with_heads_for_columns_and_rows(path, variant, tmp_path):
    aid = load_aid(path)
    pdf = rendered(path, **VARIANTS[variant])
    tagged = read_tree(pdf)
    tables = [e for e in tagged.document.walk() if e.kind == "Table"]
    assert len(tables) == 1
    head, *body = rows_of(tables[0])
    assert head.cls == "HeadRow"
    assert [(c.kind, c.scope) for c in cells(head)] == [("TH", "Column")] * (1 + len(aid.options))
    # Heads never hyphenate, but may wrap at a word's own hyphen: compared without hyphens.
    assert [squeezed(tagged.text(c), False) for c in cells(head)] == \
        [squeezed(t, False) for t in [aid.aspect_label, *aid.options.values()]]
    assert len(body) == len(aid.rows)
    for row, yaml_row in zip(body, aid.rows):
        assert row.cls == "Row"
        first, *rest = cells(row)
        assert (first.kind, first.scope) == ("TH", "Row")
        assert squeezed(tagged.text(first), False) == squeezed(yaml_row.aspect, False)
        assert [c.kind for c in rest] == ["TD"] * len(aid.options)
        for c, option in zip(rest, aid.options):
            assert squeezed(yaml_row.cells[option], False) in squeezed(tagged.text(c), False), (yaml_row.aspect, option)
    assert_clean(pdf, tmp_path)


def test_a_comparison_spanning_pages_reads_its_header_row_once(tmp_path):
    path = COMPARISONS[0]
    aid = load_aid(path)
    pdf = rendered(path)
    tagged = read_tree(pdf)
    table = next(e for e in tagged.document.walk() if e.kind == "Table")
    assert len(tagged.pages_of(table)) >= 2  # the table does span pages …
    with pdfplumber.open(io.BytesIO(pdf)) as plumbed:
        printed = [squeezed(p.extract_text() or "") for p in plumbed.pages]
    name = squeezed(next(iter(aid.options.values())))  # (the aspect label's head may wrap)
    assert sum(name in printed[p] for p in tagged.pages_of(table)) >= 2  # … its head printed on each page …
    label = squeezed(aid.aspect_label)
    heads = [e for e in tagged.document.walk() if e.kind == "TH" and label in squeezed(tagged.text(e))]
    assert len(heads) == 1  # … and read once
    assert sum(squeezed(tagged.text(e)).count(label) for e in tagged.document.elements()) == 1


@pytest.mark.parametrize("path", COMPARISONS, ids=[p.stem for p in COMPARISONS])
def test_a_stacked_comparison_is_a_table_per_aspect(path, tmp_path):
    """Large print stacks these comparisons: each aspect a block (the audit's AidBlock) that
    is a Table, its head the aspect (a TH for both columns), then a row per option: its name
    a TH for the row, its text a TD."""
    aid = load_aid(path)
    pdf = rendered(path, large_print=True)
    tagged = read_tree(pdf)
    blocks = [e for e in tagged.document.walk() if e.kind == "Table"]
    assert len(blocks) == len(aid.rows)  # stacked: not one grid
    for block, yaml_row in zip(blocks, aid.rows):
        assert block.cls == "Block"
        head, *body = rows_of(block)
        assert head.cls == "HeadRow"
        (th,) = cells(head)
        assert (th.kind, th.scope, th.colspan) == ("TH", "Column", 2)
        assert squeezed(tagged.text(th)) == squeezed(f"{aid.aspect_label}: {yaml_row.aspect}")
        assert len(body) == len(aid.options)
        for row, (option, name) in zip(body, aid.options.items()):
            assert row.cls == "Row"
            first, second = cells(row)
            assert (first.kind, first.scope, second.kind) == ("TH", "Row", "TD")
            assert squeezed(tagged.text(first)) == squeezed(name)
            assert squeezed(yaml_row.cells[option]) in squeezed(tagged.text(second))
    assert_clean(pdf, tmp_path)


# ── the quiz ────────────────────────────────────────────────────────────────────────


def figure(points: int) -> str:
    return f"\u2212{-points}" if points < 0 else str(points)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_quiz_grid_is_a_table_with_its_answers_points_and_totals(variant, tmp_path):
    """Wide (regular print): heads "Question" (over the number and the question), "Your
    answer" and each option (over its points and boxes); a row per question, its number and
    text heading the row, its answers a table in a cell: each answer heads its row, then the
    points it gives in the options' order. Stacked (large print): the question, led by its
    number, heads the answers' table. Then the totals row, tied to the rules for reading it."""
    aid = load_aid(QUIZ)
    pdf = rendered(QUIZ, **VARIANTS[variant])
    tagged = read_tree(pdf)
    grid = next(e for e in tagged.document.elements() if e.kind == "Table")
    head, *questions, totals = rows_of(grid)
    assert head.cls == "HeadRow"
    assert all((c.kind, c.scope) == ("TH", "Column") for c in cells(head))
    heads = [squeezed(tagged.text(c)) for c in cells(head)]
    stacked = squeezed(LABELS["your_answer"]) not in heads
    expected = [LABELS["question"]] + ([] if stacked else [LABELS["your_answer"]]) + list(aid.options.values())
    assert heads == [squeezed(t) for t in expected]
    assert [c.colspan for c in cells(head)][-len(aid.options):] == [2] * len(aid.options)
    by_id = {e.ident: e for e in tagged.document.walk() if e.ident}
    heads_of_options = expected[-len(aid.options):]
    assert len(questions) == len(aid.questions)
    for number, (row, question) in enumerate(zip(questions, aid.questions), 1):
        assert row.cls == "Row"
        if stacked:
            (answers_cell,) = cells(row)
        else:
            number_cell, text_cell, answers_cell = cells(row)
            assert [(c.kind, c.scope) for c in (number_cell, text_cell)] == [("TH", "Row")] * 2
            assert squeezed(tagged.text(number_cell)) == f"{number}."
            assert squeezed(tagged.text(text_cell)).startswith(squeezed(question.question))
        assert answers_cell.kind == "TD"
        (answers,) = answers_cell.elements("Table")
        answer_rows = rows_of(answers)
        if stacked:
            lead, *answer_rows = answer_rows
            (th,) = cells(lead)
            assert (th.kind, th.scope) == ("TH", "Row")
            assert squeezed(tagged.text(th)).startswith(squeezed(f"{number}. {question.question}"))
        assert len(answer_rows) == len(aid.answers_for(question))
        for answer_row, answer in zip(answer_rows, aid.answers_for(question)):
            label, *points = cells(answer_row)
            assert (label.kind, label.scope) == ("TH", "Row")
            assert squeezed(tagged.text(label)).startswith(squeezed(answer))
            given = question.points.get(answer, {})
            # An option the answer gives nothing prints no figure: no cell is read for it.
            assert [(c.kind, tagged.text(c)) for c in points] == \
                [("TD", figure(given[o])) for o in aid.options if given.get(o)]
            # Each figure is read under its option's head (/Headers → the head's /ID).
            assert [[squeezed(tagged.text(by_id[h])) for h in c.headers] for c in points] == \
                [[squeezed(name)] for o, name in zip(aid.options, heads_of_options) if given.get(o)]
    # The totals row: its label heads it; its boxes are drawing only (artifacts), no cell.
    assert totals.cls == "Tie" and totals.tie is not None
    assert [(c.kind, c.scope) for c in cells(totals)] == [("TH", "Row")]
    assert squeezed(tagged.text(cells(totals)[0])) == squeezed(LABELS["total"])
    # The rules for reading it: apart from the table, the same tie, on the totals' page.
    rules = [e for e in tagged.document.walk() if e.tie == totals.tie and e is not totals]
    assert rules and all(e.cls == "Tie" for e in rules)
    assert all(e not in grid.walk() for e in rules)
    # All the rules, or (when the key splits) at least the first two, in the key's order.
    keys = ([LABELS["red_flag_key"].format(answer=LABELS["yes"])] if aid.red_flag else []) \
        + ([LABELS["rule_out_key"]] if any(q.rules_out for q in aid.questions) else []) \
        + [aid.scoring.lean[o] for o in aid.options] + [aid.scoring.otherwise]
    read = squeezed("".join(tagged.text(e) for e in rules))
    found = [read.find(squeezed(k)) for k in keys]
    tied = len([f for f in found if f >= 0])
    assert tied >= 2 and found[:tied] == sorted(found[:tied]) and -1 not in found[:tied]
    assert tagged.pages_of(totals) & set.union(*(tagged.pages_of(e) for e in rules))
    # "How to read your score" comes between them in the reading order.
    order = [e for e in tagged.document.elements()]
    heading = next(i for i, e in enumerate(order) if squeezed(tagged.text(e)) == squeezed(LABELS["how_to_read"]))
    assert order.index(grid) < heading < min(order.index(e) for e in rules if e in order)
    assert_clean(pdf, tmp_path)


def test_the_quiz_score_boxes_are_artifacts_not_content():
    """The boxes a patient writes points and totals in are drawn only: none is in the tree."""
    pdf = rendered(QUIZ)
    s = layouts.scale.Scale(layouts.scale.REGULAR_BODY)
    with pdfplumber.open(io.BytesIO(pdf)) as plumbed:
        boxes = [r for p in plumbed.pages for r in p.rects
                 if abs(r["width"] - s.write_box) < 0.5 and abs(r["height"] - s.write_box) < 0.5]
    assert boxes and all(r.get("mcid") is None for r in boxes)


def test_the_quiz_header_row_spanning_pages_is_read_once():
    pdf = rendered(QUIZ, large_print=True)
    tagged = read_tree(pdf)
    grid = next(e for e in tagged.document.elements() if e.kind == "Table")
    assert len(tagged.pages_of(grid)) >= 2
    with pdfplumber.open(io.BytesIO(pdf)) as plumbed:
        printed = [squeezed(p.extract_text() or "") for p in plumbed.pages]
    label = squeezed(LABELS["question"])
    assert sum(printed[p].count(label) for p in tagged.pages_of(grid)) >= 2
    assert sum(squeezed(tagged.text(c)) == label for c in grid.walk() if c.kind == "TH") == 1


# ── the worksheet ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_worksheet_values_grid_and_sure_test_are_tables(variant, tmp_path):
    """The values grid: two header rows (HeadRow) — "What matters" a head for its column
    down both (RowSpan 2), "How much it matters" over the six weights, "Which option it
    points to" over the options; then a head per weight (0 to 5) and per option — then a
    row per factor (Row), the factor heading its row, a cell per tick box holding the box
    as a Figure read by its Alt text. The SURE test: a row per question, the question (led
    by its item's name) heading its row, then a cell for Yes and one for No."""
    aid = load_aid(WORKSHEET)
    pdf = rendered(WORKSHEET, **VARIANTS[variant])
    tagged = read_tree(pdf)
    tables = [e for e in tagged.document.walk() if e.kind == "Table"]
    assert len(tables) == 2
    grid, sure = tables
    top, under, *factors = rows_of(grid)
    assert top.cls == under.cls == "HeadRow"
    assert all((c.kind, c.scope) == ("TH", "Column") for r in (top, under) for c in cells(r))
    assert [squeezed(tagged.text(c)) for c in cells(top)] == \
        [squeezed(LABELS[k]) for k in ("values_factor", "values_weight", "values_points_to")]
    assert [(c.rowspan, c.colspan) for c in cells(top)] == [(2, 1), (1, 6), (1, len(aid.options))]
    # Option heads: the names, or (when the names do not fit) letters in a legend.
    names = [squeezed(n, False) for n in aid.options.values()]
    letters = [chr(ord("A") + i) for i in range(len(aid.options))]
    heads = [squeezed(tagged.text(c), False) for c in cells(under)]
    assert heads[:6] == [str(w) for w in range(6)] and heads[6:] in (names, letters)
    assert [(c.rowspan, c.colspan) for c in cells(under)] == [(1, 1)] * (6 + len(aid.options))
    # The header rows are read once, though large print repeats them on the grid's next page.
    assert sum(squeezed(tagged.text(e)) == squeezed(LABELS["values_weight"]) for e in tagged.document.walk()) == 1
    assert len(factors) == len(aid.values.factors)
    alts = [f"Tick box: {w}" for w in range(6)] + [f"Tick box: {name}" for name in aid.options.values()]
    for row, factor in zip(factors, aid.values.factors):
        assert row.cls == "Row"
        first, *boxes = cells(row)
        assert (first.kind, first.scope) == ("TH", "Row")
        assert squeezed(tagged.text(first)) == squeezed(factor)
        assert [c.kind for c in boxes] == ["TD"] * (6 + len(aid.options))
        figures = [c.elements() for c in boxes]
        assert [[(f.kind, f.alt) for f in fs] for fs in figures] == [[("Figure", alt)] for alt in alts]
        assert all(tagged.text(c) == "" and f[0].items() for c, f in zip(boxes, figures))  # the box's drawing
    # The SURE test, after the grid.
    assert min(tagged.pages_of(sure)) >= max(tagged.pages_of(grid))
    questions = rows_of(sure)
    assert len(questions) == 4 and all(r.kind == "TR" for r in questions)
    for row, k in zip(questions, "sure"):
        question, yes, no = cells(row)
        assert (question.kind, question.scope) == ("TH", "Row")
        assert squeezed(tagged.text(question)) == squeezed(f"{LABELS[f'sure_{k}']}: {LABELS[f'sure_{k}_question']}")
        assert [(c.kind, squeezed(tagged.text(c)), c.elements()) for c in (yes, no)] == \
            [("TD", squeezed(LABELS["yes"]), []), ("TD", squeezed(LABELS["no"]), [])]
    assert_clean(pdf, tmp_path)


# ── every table handout ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", [*COMPARISONS, QUIZ, WORKSHEET], ids=lambda p: p.stem)
def test_table_handouts_pass_the_check_and_are_the_same_bytes_twice(path, variant, tmp_path):
    pdf = rendered(path, **VARIANTS[variant])
    assert rendered(path, **VARIANTS[variant]) == pdf
    assert_clean(pdf, tmp_path)
    tagged = read_tree(pdf)
    for e in tagged.document.walk():
        if e.kind == "TH":
            assert e.scope in ("Column", "Row"), tagged.text(e)
        if e.kind in ("TH", "TD"):
            assert tagged.text(e).strip() or e.elements(), "an empty cell is no element"
