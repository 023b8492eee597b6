"""Lists, warning boxes, the clinic box and write-in lines in the structure tree (issue 17
point 2; docs/accessibility.md).

The tree is read back by poppler (`pdfinfo -struct-text`: each element's type, class and
text, in order) and pikepdf (each element's Alt text; the content streams: what paints
where). Expected texts come from the YAML and the clinic profile (tests/conftest.py's
CLINIC), compared with white space removed: ReportLab writes no space at a line break yet,
so a reader of the tree glues the words either side of one.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

import pikepdf
import pytest
from pdfua import validate

import layouts
from aidpress.labels import labels_for
from aidpress.validate import load_aid

from .conftest import CLINIC
from .readback import marked_operators

ROOT = Path(__file__).resolve().parent.parent
CHECKLISTS = [ROOT / "aids" / f"{name}.yaml" for name in (
    "aftercare-cupping", "aftercare-dry-needling", "before-treatment", "choosing-a-practitioner", "key-factors")]
DETAILS = ROOT / "tests" / "fixtures" / "generic" / "commute-checklist.yaml"  # an item with points under it
QUIZ = ROOT / "aids" / "decision-quiz.yaml"  # its red-flag question is a warning box too
COMPARISON = ROOT / "aids" / "cupping-vs-dry-needling.yaml"  # ends with "your choice"
WORKSHEET = ROOT / "aids" / "decision-worksheet.yaml"  # ends with the SURE test and "your choice"
VARIANTS = {"a4": {}, "letter": {"paper": "letter"}, "large-print": {"large_print": True}}
LABELS = labels_for(CLINIC)
TICK_BOX = "Tick box"  # a tick box's Alt text (aidpress's labels have no wording for it yet)
PAINTS = {"S", "s", "f", "f*", "F", "B", "B*", "b", "b*", "re", "Do", "sh"}

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class Element:
    kind: str
    cls: str = ""
    texts: list = field(default_factory=list)  # its own marked content, in order
    kids: list = field(default_factory=list)  # its elements, in order
    alt: str | None = None

    def text(self) -> str:
        """Its text and its elements' text, squeezed (the order of text and elements is
        not kept here; elements with both are checked not to occur below)."""
        return squeezed("".join(self.texts) + "".join(k.text() for k in self.kids))

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()


def tree(pdf: bytes, tmp_path: Path) -> Element:
    """The Document element as poppler reads it, with each element's Alt from pikepdf
    (both walk the tree in the same order: checked by type)."""
    file = tmp_path / "aid.pdf"
    file.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", "-struct-text", str(file)], check=True, capture_output=True,
                         text=True).stdout
    root, stack = None, []  # stack: (indent, element)
    for line in out.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        head = re.fullmatch(r"([A-Za-z][A-Za-z0-9]*)(?: <[^>]*>)?(?: \((?:block|inline)\))?:?", body)  # <id>: an /ID
        if body.startswith('"') and body.endswith('"') and len(body) >= 2:
            stack[-1][1].texts.append(body[1:-1])
        elif body.startswith("/aidpress-unit"):
            stack[-1][1].cls = re.search(r"\((\w+)\)$", body).group(1)
        elif head and indent % 2 == 0:
            element = Element(head.group(1))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            if stack:
                stack[-1][1].kids.append(element)
            else:
                root = element
            stack.append((indent, element))
    alts = []

    def visit(node):
        if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") == "/MCR" or "/S" not in node:
            return
        alts.append((str(node.S)[1:], str(node.Alt) if "/Alt" in node else None))
        kids = node.get("/K")
        for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            visit(kid)

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        visit(doc.Root.StructTreeRoot.K)
    elements = list(root.walk())
    assert [e.kind for e in elements] == [kind for kind, _ in alts]
    for element, (_, alt) in zip(elements, alts):
        element.alt = alt
    return root


def render(path: Path, clinic=CLINIC, **variant) -> bytes:
    return layouts.render(load_aid(path), clinic, **variant).pdf


@functools.cache  # cache: each handout once per variant; lifetime: the test session (bytes, a few dozen)
def _rendered(path: Path, variant: str) -> bytes:
    return render(path, **VARIANTS[variant])


def rendered(path: Path, variant: str = "a4") -> bytes:
    """The handout in a variant (rendered once for the tests of this file: the same bytes
    each time, checked below)."""
    return _rendered(path, variant)


def item_texts(item) -> str:
    """An item's body as read: its text, then each point under it with its bullet (drawn
    in the point's paragraph, so read in its body: a point is an item with a body only)."""
    return squeezed(item.text + "".join("•" + d for d in item.details))


def find_heading(root: Element, text: str) -> tuple[Element, int]:
    """The element holding the heading `text` (an H1–H3) and the heading's place in it."""
    for element in root.walk():
        for i, kid in enumerate(element.kids):
            if kid.kind in ("H1", "H2", "H3") and kid.text() == squeezed(text):
                return element, i
    raise AssertionError(f"no heading {text!r}")


def assert_list(element: Element, items: list, tick: bool) -> None:
    """`element` is a list (L) of one item (LI) per YAML item, in order, each a label and
    a body holding the item's text (and its details, as a list of its own)."""
    assert element.kind == "L"
    assert [k.kind for k in element.kids] == ["LI"] * len(items)
    for li, item in zip(element.kids, items):
        assert [k.kind for k in li.kids] == ["Lbl", "LBody"], li
        label, body = li.kids
        if tick:
            assert label.text() == "" and label.alt == TICK_BOX  # the box, read by its Alt text
        else:
            assert label.text() == "•"
        assert body.text() == item_texts(item)
        if item.details:
            inner = [k for k in body.kids if k.kind == "L"]
            assert len(inner) == 1 and [p.text() for p in inner[0].kids] == [squeezed("•" + d) for d in item.details]


def painted_outside_labels(pdf: bytes) -> list:
    """(page, element type) of each painting operator that is content (in a marked-content
    sequence with an MCID, not in an artifact) of an element other than a Lbl (a tick box)."""
    found = []
    for index, _, slots, marks, op, _ in marked_operators(pdf):
        if op in PAINTS and "artifact" not in marks:
            mcids = [m for m in marks if isinstance(m, int)]
            kind = str(slots[mcids[-1]].S) if mcids else None
            if kind != "/Lbl":
                found.append((index, kind))
    return found


def assert_checked(pdf: bytes, tmp_path: Path) -> None:
    file = tmp_path / "check.pdf"
    file.write_bytes(pdf)
    assert [(f.rule_id, f.message) for f in validate(str(file)).findings] == []


# ── lists ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", CHECKLISTS + [DETAILS], ids=lambda p: p.stem)
def test_each_section_is_one_list_of_its_items_in_yaml_order(path, variant, tmp_path):
    aid = load_aid(path)
    root = tree(rendered(path, variant), tmp_path)
    for section in (s for s in aid.sections if not s.warning):
        holder, at = find_heading(root, section.heading)
        after = holder.kids[at + 1:]
        if section.intro:
            assert after[0].kind == "P" and after[0].text() == squeezed(section.intro)
            after = after[1:]
        assert_list(after[0], section.items, section.tick)
        # Each item is a row to the page audit: the class stays on the item.
        assert {li.cls for li in after[0].kids} == {"Row"}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", CHECKLISTS + [DETAILS, QUIZ, COMPARISON], ids=lambda p: p.stem)
def test_lists_and_sections_hold_elements_only_and_every_label_is_read(path, variant, tmp_path):
    """A list's parts, a box's parts and a write-in line's label are elements of their own;
    a tick box drawn as a label is read by its Alt text."""
    root = tree(rendered(path, variant), tmp_path)
    lists = [e for e in root.walk() if e.kind in ("L", "LI", "Sect")]
    assert lists
    for element in lists:
        assert not element.texts, element
    for label in (e for e in root.walk() if e.kind == "Lbl"):
        assert label.text() == "•" or label.alt == TICK_BOX


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_answer_boxes_of_your_choice_are_lists(variant, tmp_path):
    """(The SURE test's Yes and No are cells of its table: tests/test_tagged_tables.py.)"""
    aid = load_aid(WORKSHEET)
    root = tree(rendered(WORKSHEET, variant), tmp_path)
    lists = [e for e in root.walk() if e.kind == "L"]
    bodies = [[li.kids[-1].text() for li in lst.kids] for lst in lists]
    options = [squeezed(name) for name in aid.options.values()] + [squeezed(LABELS["choice_not_sure"])]
    yes_no = [squeezed(LABELS["yes"]), squeezed(LABELS["no"])]
    assert bodies.count(yes_no) == 0  # the SURE test's answers are no lists
    assert options in bodies and yes_no[::-1] in bodies  # the options leant towards; "pressing you?" No, Yes
    for lst in lists:  # (and "Your options", bulleted: tests/test_tagged_bullets.py)
        for li in lst.kids:
            assert [k.kind for k in li.kids] == ["Lbl", "LBody"]
            assert li.kids[0].alt == TICK_BOX or (li.kids[0].alt is None and li.kids[0].text() == "•")


# ── warning boxes ─────────────────────────────────────────────────────────────────


def warning_boxes(root: Element) -> list[Element]:
    return [e for e in root.walk() if e.kind == "Sect"]


def assert_warning_box(box: Element, heading: str, items: list, tick: bool, clinic, intro: str | None = None) -> None:
    """One section (of the audit's kind Keep) holding the heading, the items as one list,
    then the phone and the emergency route as paragraphs."""
    assert box.cls == "Keep" and not box.texts
    assert not [e for e in list(box.walk())[1:] if e.cls == "Keep"]  # the box is one unit, not units in a unit
    kinds = [k.kind for k in box.kids]
    assert kinds[0] in ("H2", "H3") and box.kids[0].text() == squeezed(f"{LABELS['warning_mark']} {heading}")
    rest = box.kids[1:]
    if intro:
        assert rest[0].kind == "P" and rest[0].text() == squeezed(intro)
        rest = rest[1:]
    assert_list(rest[0], items, tick)
    phone = f"{LABELS['call_clinic']}: {clinic.phone}"
    route = f"{LABELS['emergency']}:" + (f" {clinic.emergency}" if clinic.emergency else "")
    assert [k.kind for k in rest[1:]] == ["P", "P"]
    assert [k.text() for k in rest[1:]] == [squeezed(phone), squeezed(route)]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", CHECKLISTS + [DETAILS], ids=lambda p: p.stem)
def test_each_warning_box_is_one_section_with_its_heading_items_phone_and_route(path, variant, tmp_path):
    aid = load_aid(path)
    boxes = warning_boxes(tree(rendered(path, variant), tmp_path))
    warnings = [s for s in aid.sections if s.warning]
    assert len(boxes) == len(warnings)
    for box, section in zip(boxes, warnings):
        assert_warning_box(box, section.heading, section.items, section.tick, CLINIC)


def test_a_warning_box_with_an_intro_ticks_and_an_emergency_route(write_yaml, tmp_path):
    path = write_yaml("""
        kind: checklist
        title: After your bike service
        updated: 2026-11-24
        sections:
          - heading: Come back to the shop if
            warning: true
            intro: Any of these means the brakes need another look.
            items:
              - The brakes feel soft.
              - text: The chain slips under load.
                details: [Most of all on hills]
          - heading: During the week
            items: [Check the tyre pressure once.]
        """)
    clinic = replace(CLINIC, emergency="call 999 or go to A&E")
    aid = load_aid(path)
    [box] = warning_boxes(tree(render(path, clinic), tmp_path))
    section = aid.sections[0]
    assert_warning_box(box, section.heading, section.items, True, clinic, intro=section.intro)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_quiz_red_flag_box_is_one_section_with_its_question_answers_phone_and_route(variant, tmp_path):
    aid = load_aid(QUIZ)
    root = tree(rendered(QUIZ, variant), tmp_path)
    [box] = warning_boxes(root)
    assert box.cls == "Keep" and not box.texts
    flag = aid.red_flag
    assert box.kids[0].kind in ("H2", "H3")
    assert box.kids[0].text() == squeezed(f"{LABELS['warning_mark']} {flag.question}")
    [answers] = [k for k in box.kids if k.kind == "L"]
    assert [li.kids[-1].text() for li in answers.kids] == [
        squeezed(f"{LABELS['yes']}: {flag.action or LABELS['red_flag_action']}"),
        squeezed(f"{LABELS['no']}: {LABELS['red_flag_if_no']}")]
    assert all(li.kids[0].alt == TICK_BOX for li in answers.kids)
    text = box.text()
    assert squeezed(CLINIC.phone) in text and squeezed(LABELS["emergency"]) in text


# ── the clinic box ────────────────────────────────────────────────────────────────


def clinic_lines(clinic) -> list[str]:
    return [squeezed(t) for t in (clinic.name, clinic.address, f"{LABELS['phone']}: {clinic.phone}",
                                  clinic.website)]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", CHECKLISTS + [COMPARISON, QUIZ], ids=lambda p: p.stem)
def test_the_clinic_box_is_one_group_of_its_lines(path, variant, tmp_path):
    root = tree(rendered(path, variant), tmp_path)
    groups = [e for e in root.walk() if [k.text() for k in e.kids] == clinic_lines(CLINIC)]
    assert len(groups) == 1
    [group] = groups
    assert group.kind == "Div" and not group.texts and {k.kind for k in group.kids} == {"P"}


# ── write-in lines ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", [p for p in CHECKLISTS if load_aid(p).fields] + [DETAILS], ids=lambda p: p.stem)
def test_each_write_in_label_is_a_paragraph_of_its_own(path, variant, tmp_path):
    aid = load_aid(path)
    root = tree(rendered(path, variant), tmp_path)
    holder, at = find_heading(root, LABELS["patient_details"])
    after = holder.kids[at + 1:at + 1 + len(aid.fields)]
    assert [k.kind for k in after] == ["P"] * len(aid.fields)
    assert [k.text() for k in after] == [squeezed(f.shown_label + ":") for f in aid.fields]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", CHECKLISTS + [DETAILS, COMPARISON], ids=lambda p: p.stem)
def test_rules_fills_and_borders_are_artifacts(path, variant):
    """Write-in lines, the boxes' fill and borders, the warning heading's band: nothing is
    painted in the tree but the tick boxes that are the labels of list items."""
    assert painted_outside_labels(rendered(path, variant)) == []


# ── the whole file ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", CHECKLISTS + [DETAILS, QUIZ, COMPARISON], ids=lambda p: p.stem)
def test_pdfua_finds_nothing_and_the_bytes_are_the_same_twice(path, variant, tmp_path):
    pdf = rendered(path, variant)
    assert_checked(pdf, tmp_path)
    assert render(path, **VARIANTS[variant]) == pdf
