"""A tagged flowchart reads as its steps in order (issue 17 point 2; docs/accessibility.md).

The structure tree gives each step as a list item: its number, its question (and help),
then each branch in the aid's order, in full ("Yes: go to step 3, <its question>", "No:
<the outcome>"), followed by the outcome box it leads to when that is drawn beside it.

Read back by independent readers: poppler's `pdfinfo -struct-text` gives the tree and the
text drawn in each element; it prints no /ActualText or /Alt, so what a screen reader
hears is that tree with an element's /ActualText (or a Figure's /Alt, from pikepdf) in
place of what it holds. Expected values come from the YAML, the step order and box
letters from the chart's documented rules (depth-first from the start; an outcome is
drawn where it is first reached), and the wording from aidpress's labels.
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest

import layouts
from aidpress.labels import LABELS
from aidpress.model import Decision
from aidpress.validate import load_aid

from .conftest import CLINIC
from .readback import marked_operators
from .random_aids import random_aids
from .test_tagged_pdf import assert_tagged, needs_poppler

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "aids" / "decision-flowchart.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "generic"
VARIANTS = {"a4": {}, "letter": {"paper": "letter"}, "large-print": {"large_print": True}}
ROUTE = dataclasses.replace(CLINIC, emergency="call 999 or go to A&E")  # a clinic that gives the way to help
PAINTS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do"}


def random_chart(tmp_path: Path, index: int) -> Path:
    """A random aid's chart (tests/random_aids.py, seed 9): 9 or 7 steps, shared and
    urgent outcomes, help texts."""
    name, text = random_aids(seed=9, count=24)[index]
    assert name.endswith("flowchart")
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


CHARTS = {  # name: (path or random index, variants)
    "seed": (SEED, ("a4", "letter", "large-print")),
    "commute-13": (FIXTURES / "commute-flowchart-13.yaml", ("a4", "large-print")),  # breaks between steps
    "commute-3way": (FIXTURES / "commute-flowchart-3way.yaml", ("a4",)),
    "random-6": (6, ("a4", "large-print")),
    "random-14": (14, ("a4",)),
}
CASES = [(name, variant) for name, (_, variants) in CHARTS.items() for variant in variants]


def chart_path(name: str, tmp_path: Path) -> Path:
    where = CHARTS[name][0]
    return random_chart(tmp_path, where) if isinstance(where, int) else where


def squeezed(text: str) -> str:
    """Text with no white space (words glued at line breaks are fixed elsewhere) and no
    hyphens (a box's text may hyphenate at a line break)."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


# ── reading the tree ────────────────────────────────────────────────────────────────


@dataclass
class Element:
    kind: str
    kids: list = field(default_factory=list)  # Element, or the text of one content item
    attrs: dict = field(default_factory=dict)  # ActualText, Alt

    def elements(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.elements()

    def drawn(self) -> list[str]:
        """The text drawn in it, as pdfinfo reads it."""
        return [t for kid in self.kids for t in (kid.drawn() if isinstance(kid, Element) else [kid]) if t]

    def heard(self) -> list[str]:
        """What a screen reader reads: /ActualText (or a Figure's /Alt) in place of the content."""
        if "ActualText" in self.attrs:
            return [self.attrs["ActualText"]]
        if self.kind == "Figure":
            return [self.attrs.get("Alt", "")]
        return [t for kid in self.kids for t in (kid.heard() if isinstance(kid, Element) else [kid]) if t]


def tree(pdf: bytes, tmp_path: Path) -> Element:
    """The Document element as `pdfinfo -struct-text` prints it, with each element's
    /ActualText and /Alt from pikepdf (the same tree walked in the same order)."""
    file = tmp_path / "chart.pdf"
    file.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", "-struct-text", str(file)], check=True, capture_output=True, text=True).stdout
    root, stack = None, []
    for line in out.splitlines():
        body = line.strip()
        if not body or body.startswith("/"):  # an attribute (class) line
            continue
        indent = len(line) - len(line.lstrip(" "))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if body.startswith('"') or body == "(No content)":
            stack[-1][1].kids.append(body[1:-1] if body.startswith('"') else "")
            continue
        element = Element(body.split()[0].rstrip(":"))
        if stack:
            stack[-1][1].kids.append(element)
        else:
            root = element
        stack.append((indent, element))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        _entries(doc.Root.StructTreeRoot.K, root)
    return root


def _entries(node, element: Element) -> None:
    assert str(node.S)[1:] == element.kind
    element.attrs = {key: str(node[f"/{key}"]) for key in ("ActualText", "Alt") if f"/{key}" in node}
    kids = list(node.K) if isinstance(node.K, pikepdf.Array) else [node.K]
    assert len(kids) == len(element.kids), element.kind
    for kid, mine in zip(kids, element.kids):
        if isinstance(mine, Element):
            _entries(kid, mine)


def chart_list(document: Element) -> Element:
    lists = [e for e in document.kids if isinstance(e, Element) and e.kind == "L"]
    assert len(lists) == 1
    return lists[0]


# ── what the chart should read, from the YAML ────────────────────────────────────────


def step_order(aid) -> list[str]:
    """The questions in printed order: depth-first from the start, branches in the aid's order."""
    order: list[str] = []

    def visit(node_id: str) -> None:
        if node_id not in order and isinstance(aid.nodes[node_id], Decision):
            order.append(node_id)
            for target in aid.nodes[node_id].branches.values():
                visit(target)

    visit(aid.start_id)
    return order


def outcome_box(node, letter: str | None, clinic) -> list[str]:
    """An outcome box's paragraphs: the urgent heading with the way to help (or a line to
    write it on, at the end), its box letter, the outcome, detail and next step."""
    out = []
    mark = f"{LABELS['warning_mark']} {LABELS['urgent']}"
    if node.urgent:
        out.append(f"{mark} · {LABELS['emergency']}: {clinic.emergency}" if clinic.emergency else mark)
    if letter:
        out.append(LABELS["box"].format(n=letter))
    out.append(node.outcome)
    out += [node.detail] if node.detail else []
    out += [f"{LABELS['next_step']} {node.next_step}"] if node.next_step else []
    if node.urgent and not clinic.emergency:
        out.append(LABELS["emergency"] + ":")
    return out


def expected_steps(aid, clinic, letters: dict) -> list[list[str]]:
    """Per step, what a listener hears, in order."""
    order = step_order(aid)
    numbers = {node_id: i for i, node_id in enumerate(order, 1)}
    reached = [t for n in order for t in aid.nodes[n].branches.values()]
    drawn: set[str] = set()
    steps = []
    for node_id in order:
        node = aid.nodes[node_id]
        heard = [LABELS["step"].format(n=numbers[node_id]), node.question] + ([node.help] if node.help else [])
        for answer, target_id in node.branches.items():
            target = aid.nodes[target_id]
            if isinstance(target, Decision):
                heard.append(f"{answer}: go to step {numbers[target_id]}, {target.question}")
            elif target_id in drawn:
                heard.append(f"{answer}: go to box {letters[target.outcome]}, {target.outcome}")
            else:
                drawn.add(target_id)
                shared = reached.count(target_id) > 1
                heard.append(f"{answer}: {target.outcome}")
                heard += outcome_box(target, letters[target.outcome] if shared else None, clinic)
        steps.append(heard)
    return steps


def box_letters(aid, items: list[Element]) -> dict[str, str]:
    """The letter printed on each shared outcome's box ("Box A"), read from the tree."""
    letters = {}
    pattern = re.compile(re.escape(LABELS["box"]).replace(r"\{n\}", "([A-Z])"))
    for item in items:
        for div in (e for e in item.elements() if e.kind == "Div"):
            text = div.drawn()
            found = [pattern.fullmatch(t.strip()) for t in text]  # (a line ends in a space: layouts/linetext.py)
            for i, match in enumerate(found):
                if match:
                    outcome = next(n.outcome for n in aid.nodes.values()
                                   if not isinstance(n, Decision) and squeezed(n.outcome) == squeezed(text[i + 1]))
                    letters[outcome] = match.group(1)
    return letters


def render(path: Path, clinic, **variant) -> bytes:
    return layouts.render(load_aid(path), clinic, **variant).pdf


# ── the tests ───────────────────────────────────────────────────────────────────────


@needs_poppler
@pytest.mark.parametrize("clinic", [CLINIC, ROUTE], ids=["no-route", "route"])
@pytest.mark.parametrize("name,variant", CASES, ids=[f"{n}-{v}" for n, v in CASES])
def test_each_step_reads_its_question_then_every_branch_in_full(name, variant, clinic, tmp_path):
    path = chart_path(name, tmp_path)
    aid = load_aid(path)
    items = chart_list(tree(render(path, clinic, **VARIANTS[variant]), tmp_path)).kids
    assert [item.kind for item in items] == ["LI"] * len(step_order(aid))
    letters = box_letters(aid, items)
    assert len(set(letters.values())) == len(letters)
    for number, (item, expected) in enumerate(zip(items, expected_steps(aid, clinic, letters)), 1):
        assert [kid.kind for kid in item.kids] == ["Lbl", "LBody"]
        assert [squeezed(t) for t in item.heard()] == [squeezed(t) for t in expected], f"step {number}"


@needs_poppler
@pytest.mark.parametrize("name,variant", CASES, ids=[f"{n}-{v}" for n, v in CASES])
def test_the_tree_holds_every_question_and_outcome_in_step_order(name, variant, tmp_path):
    """As pdfinfo prints it (no /ActualText): the questions, help and outcomes in the order
    of the steps, and each branch's label after its step's question (but the label of an
    arrow down to a step resumed on the next page: an artifact there, read in the arrow's
    /Alt)."""
    path = chart_path(name, tmp_path)
    aid = load_aid(path)
    chart = chart_list(tree(render(path, CLINIC, **VARIANTS[variant]), tmp_path))
    read = squeezed("".join(chart.drawn()))
    expected, labels, drawn = [], [], set()
    downs = down_labels(aid)
    for number, node_id in enumerate(step_order(aid), 1):
        node = aid.nodes[node_id]
        expected += [node.question] + ([node.help] if node.help else [])
        marker = squeezed(f"▼ {LABELS['continued_next']}, {LABELS['step'].format(n=number + 1)}")
        resumed = downs.get(number) if marker in read else None
        labels.append((node.question, [a for a in node.branches if a != resumed]))
        for target_id in node.branches.values():
            target = aid.nodes[target_id]
            if not isinstance(target, Decision) and target_id not in drawn:
                drawn.add(target_id)
                expected.append(target.outcome)
    cursor = 0
    for text in expected:  # each after the one before
        found = read.find(squeezed(text), cursor)
        assert found >= 0, (text, read[cursor:cursor + 80])
        cursor = found + len(squeezed(text))
    for question, answers in labels:
        start = read.find(squeezed(question))
        assert all(read.find(squeezed(a), start) > start for a in answers)
    assert len(drawn) == sum(1 for n in aid.nodes.values() if not isinstance(n, Decision))


def down_labels(aid) -> dict[int, str]:
    """Per step number, the label of its arrow down to the next step: its first branch
    that leads to the step printed next (the chart's documented rule)."""
    order = step_order(aid)
    found = {}
    for number, (node_id, following) in enumerate(zip(order, order[1:]), 1):
        answer = next((a for a, t in aid.nodes[node_id].branches.items() if t == following), None)
        if answer is not None:
            found[number] = answer
    return found


@needs_poppler
@pytest.mark.parametrize("name,variant", CASES, ids=[f"{n}-{v}" for n, v in CASES])
def test_a_step_number_reads_as_printed_and_an_arrow_label_with_its_arrow(name, variant, tmp_path):
    """Each step's Lbl is the "Step N" printed in its box, nothing else, with no /ActualText
    standing in for other words. The label of the arrow down into a step is drawn at the
    top of that step's row, but read in the Figure of the step the arrow leaves (whose /Alt
    is the whole branch) when the two are on one page; a step resumed on a new page begins
    with "continued from page N" and the label, an artifact: no element holds them."""
    path = chart_path(name, tmp_path)
    aid = load_aid(path)
    items = chart_list(tree(render(path, CLINIC, **VARIANTS[variant]), tmp_path)).kids
    labels, resumed = down_labels(aid), 0
    for number, item in enumerate(items, 1):
        number_label, body = item.kids
        assert "ActualText" not in number_label.attrs
        assert [squeezed(t) for t in number_label.drawn()] == [squeezed(LABELS["step"].format(n=number))]
        figures = [e for e in body.kids if isinstance(e, Element) and e.kind == "Figure"]
        assert len(figures) == (number in labels), f"step {number}"
        if not figures:
            continue
        drawn = [squeezed(t) for t in figures[0].drawn()]
        marker = squeezed(f"▼ {LABELS['continued_next']}, {LABELS['step'].format(n=number + 1)}")
        if marker in drawn:  # the next step is resumed on the next page: its label is not read
            resumed += 1
            assert drawn == [marker], f"step {number}"
        else:
            assert drawn == [squeezed(labels[number])], f"step {number}"
    every = squeezed("".join(t for item in items for t in item.drawn()))
    assert squeezed(LABELS["continued_from"].format(n="")) not in every
    if (name, variant) in (("seed", "large-print"), ("commute-13", "a4")):  # (charts that break between steps)
        assert resumed


def painted_content(pdf: bytes) -> list[tuple[str, dict, str]]:
    """Each painting operator (a stroke, a fill, an image) inside a marked-content sequence
    that belongs to an element of the chart, outside any artifact: (the element's type, its
    /ActualText and /Alt, the text drawn in the same sequence)."""
    painted: dict[tuple[int, int], tuple[str, dict] | None] = {}  # (page, mcid) -> its element's type and words
    texts: dict[tuple[int, int], str] = {}
    for index, _, slots, marks, op, operands in marked_operators(pdf):
        if op in ("BDC", "BMC", "EMC") or not marks or "artifact" in marks:
            continue
        mcid = next((m for m in reversed(marks) if isinstance(m, int)), None)
        if mcid is None:
            continue
        if op in PAINTS and (index, mcid) not in painted:
            element = slots[mcid]  # (the closing matter is not the chart's)
            painted[index, mcid] = (str(element.S)[1:], {k: str(element[k]) for k in ("/ActualText", "/Alt")
                                                         if k in element}) if in_chart(element) else None
        elif op in ("Tj", "TJ", "'"):
            texts[index, mcid] = texts.get((index, mcid), "") + str(operands[-1])
    found = [(*info, texts.get(key, "")) for key, info in sorted(painted.items()) if info is not None]
    return found


def in_chart(element) -> bool:
    """Whether a structure element sits in the chart's list."""
    while str(element.S) != "/Document":
        if str(element.S) == "/L":
            return True
        element = element.P
    return False


@pytest.mark.parametrize("clinic", [CLINIC, ROUTE], ids=["no-route", "route"])
@pytest.mark.parametrize("name,variant", CASES, ids=[f"{n}-{v}" for n, v in CASES])
def test_boxes_and_arrows_are_artifacts_or_a_figure_with_alt(name, variant, clinic, tmp_path):
    path = chart_path(name, tmp_path)
    painted = painted_content(render(path, clinic, **VARIANTS[variant]))
    figures = [(kind, attrs) for kind, attrs, _ in painted if kind == "Figure"]
    assert figures and all(attrs.get("/Alt") for _, attrs in figures)  # each arrow down is a Figure with /Alt
    # Nothing else of the chart paints in its tagged content: an urgent outcome's line to
    # write the way to help on (a clinic that gives none), drawn with its label in one piece,
    # is an artifact beside the label's text (tagging._text_apart_from_painting).
    assert [(kind, text) for kind, _, text in painted if kind != "Figure"] == []


@pytest.mark.parametrize("name,variant", CASES, ids=[f"{n}-{v}" for n, v in CASES])
def test_a_tagged_chart_passes_the_checks_and_is_the_same_twice(name, variant, tmp_path):
    path = chart_path(name, tmp_path)
    pdf = render(path, CLINIC, **VARIANTS[variant])
    assert_tagged(pdf, load_aid(path), tmp_path)
    assert render(path, CLINIC, **VARIANTS[variant]) == pdf


def test_a_clinic_words_the_branches_in_its_own_language(tmp_path):
    """The branch sentences are labels a clinic profile may replace (aidpress/labels.py)."""
    words = {"step": "Étape {n}", "branch_step": "{answer} : passez à l'étape {n}, {question}",
             "branch_outcome": "{answer} : {outcome}", "branch_box": "{answer} : voir l'encadré {n}, {outcome}"}
    clinic = dataclasses.replace(ROUTE, labels=words)
    aid = load_aid(SEED)
    with pikepdf.open(io.BytesIO(render(SEED, clinic))) as doc:
        entries = [str(e.get("/ActualText", e.get("/Alt", ""))) for e in _walk(doc.Root.StructTreeRoot.K)]
    first, second = (aid.nodes[n] for n in step_order(aid)[:2])
    (yes, get_help), (no, _) = first.branches.items()
    assert f"{yes} : {aid.nodes[get_help].outcome}" in entries
    assert f"{no} : passez à l'étape 2, {second.question}" in entries
    first_step = chart_list(tree(render(SEED, clinic), tmp_path)).kids[0]
    assert [squeezed(t) for t in first_step.kids[0].drawn()] == ["Étape1"]


def _walk(node):
    yield node
    kids = list(node.K) if isinstance(node.K, pikepdf.Array) else [node.K]
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from _walk(kid)
