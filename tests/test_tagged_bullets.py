"""A bullet drawn in a paragraph is its list item's label (issue 17 point 2; docs/accessibility.md).

An item's details (checklists, warning boxes) and the worksheet's options are paragraphs
that draw their own bullet ("•", ReportLab's bulletText). To a reader each is a list item
(LI) whose label (Lbl) is the bullet alone and whose body (LBody) is the text alone; the
worksheet's options are one list (L) under "Your options".

The tree is read with pikepdf, each element's text from the page's characters with
pdfplumber (each character knows its MCID: tests/test_tagged_tables.py's read_tree);
expected texts come from the YAML, compared with white space removed (words either side
of a line break are glued in the tree today).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfua import validate

import layouts
from aidpress.labels import LABELS
from aidpress.validate import load_aid

from .conftest import CLINIC
from .test_tagged_tables import Element, Tagged, read_tree, squeezed

ROOT = Path(__file__).resolve().parent.parent
DETAILS = [ROOT / "tests" / "fixtures" / "generic" / f"{name}.yaml" for name in ("commute-checklist", "commute-after-repair")]
DETAILS.append(ROOT / "tests" / "fixtures" / "sheets" / "garden-care.yaml")  # details in a section and a warning box
WORKSHEETS = [ROOT / "aids" / "decision-worksheet.yaml", ROOT / "tests" / "fixtures" / "generic" / "commute-worksheet.yaml"]
VARIANTS = {"a4": {}, "letter": {"paper": "letter"}, "large-print": {"large_print": True}}
BULLET = "•"


def rendered(path: Path, **variant) -> bytes:
    return layouts.render(load_aid(path), CLINIC, **variant).pdf


def parents(tagged: Tagged) -> dict:
    """Each element's parent (by identity)."""
    found = {}
    for element in tagged.document.walk():
        for kid in element.elements():
            found[id(kid)] = element
    return found


def own_items(element: Element) -> list:
    """The marked content an element holds itself (not through its elements)."""
    return [k for k in element.kids if not isinstance(k, Element)]


def assert_bullet_item(tagged: Tagged, li: Element, text: str) -> None:
    """`li` is an item: its bullet alone the label, `text` alone the body, nothing of its own."""
    assert li.kind == "LI"
    assert [k.kind for k in li.elements()] == ["Lbl", "LBody"], text
    assert own_items(li) == []
    label, body = li.elements()
    assert squeezed(tagged.text(label)) == BULLET
    assert squeezed(tagged.text(body)) == squeezed(text)
    assert BULLET not in tagged.text(body)
    assert label.elements() == [] and body.elements() == []


def points_read(tagged: Tagged) -> list[Element]:
    """The items of every list inside a list item's body (the points under an item), in reading order."""
    up = parents(tagged)
    return [e for e in tagged.document.walk()
            if e.kind == "LI" and up[id(e)].kind == "L" and up[id(up[id(e)])].kind == "LBody"]


# ── an item's details ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", DETAILS, ids=lambda p: p.stem)
def test_each_point_under_an_item_is_an_item_with_its_bullet_as_label(path, variant, tmp_path):
    aid = load_aid(path)
    tagged = read_tree(rendered(path, **VARIANTS[variant]))
    details = [d for section in aid.sections for item in section.items for d in item.details]
    assert details  # (the fixture has points)
    points = points_read(tagged)
    assert len(points) == len(details)
    for li, detail in zip(points, details):
        assert_bullet_item(tagged, li, detail)
    up = parents(tagged)
    for section in aid.sections:
        for item in section.items:
            if not item.details:
                continue
            # The item's body: its text, then the list of its points (one list per item).
            body = next(e for e in tagged.document.walk()
                        if e.kind == "LBody" and e.elements() and squeezed(tagged.text(e.elements()[0])) ==
                        squeezed(item.text))
            assert [k.kind for k in body.elements()] == ["P", "L"]
            assert [squeezed(tagged.text(li.elements()[1])) for li in body.elements()[1].elements()] == \
                [squeezed(d) for d in item.details]
            assert up[id(body)].kind == "LI"


def test_a_point_split_across_pages_is_one_body(write_yaml, tmp_path):
    """A point too long for the rest of its page goes on on the next: its text is one LBody
    (on both pages), its bullet the label, once."""
    long = " ".join(f"Sentence number {i} of a long point that goes on and on." for i in range(60))
    items = "\n".join(f"      - Item number {i} to fill the page a little more." for i in range(25))
    path = write_yaml("\n".join([
        "kind: checklist", "title: A long point", "updated: 2026-11-24", "sections:",
        "  - heading: Things to do", "    items:", items,
        "      - text: Look at this point.",
        f'        details: ["Short first point.", "{long}", "Short last point."]',
        "sources:", "  - Invented for aidpress tests, 2026."]))
    pdf = rendered(path)
    tagged = read_tree(pdf)
    points = points_read(tagged)
    assert len(points) == 3
    for li, text in zip(points, ["Short first point.", long, "Short last point."]):
        assert_bullet_item(tagged, li, text)
    body = points[1].elements()[1]
    assert len(tagged.pages_of(body)) == 2  # the point is split …
    assert len(tagged.pages_of(points[1].elements()[0])) == 1  # … its bullet printed once
    assert_clean(pdf, tmp_path)


# ── the worksheet's options ───────────────────────────────────────────────────────


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", WORKSHEETS, ids=lambda p: p.stem)
def test_the_worksheet_options_are_one_list_of_bulleted_items(path, variant, tmp_path):
    aid = load_aid(path)
    pdf = rendered(path, **VARIANTS[variant])
    tagged = read_tree(pdf)
    top = tagged.document.elements()
    heading = next(i for i, e in enumerate(top) if squeezed(tagged.text(e)) == squeezed(LABELS["your_options"]))
    assert top[heading].kind in ("H1", "H2", "H3")
    options = top[heading + 1]
    assert options.kind == "L" and own_items(options) == []
    assert len(options.elements()) == len(aid.options)
    for li, name in zip(options.elements(), aid.options.values()):
        assert_bullet_item(tagged, li, name)
    assert_clean(pdf, tmp_path)


# ── every bullet ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("path", DETAILS + WORKSHEETS, ids=lambda p: p.stem)
def test_no_bullet_drawn_in_a_paragraph_is_read_inside_a_body(path, tmp_path):
    """Every bullet read is a label's: none is read in a body, a paragraph or a group."""
    pdf = rendered(path)
    tagged = read_tree(pdf)
    for element in tagged.document.walk():
        own = "".join(tagged.texts.get(item, "") for item in own_items(element))
        if element.kind == "Lbl":
            assert squeezed(own) in ("", BULLET)  # a tick box (its Alt) or a bullet
        else:
            assert BULLET not in own, (element.kind, own)
    assert_clean(pdf, tmp_path)


def assert_clean(pdf: bytes, tmp_path: Path) -> None:
    file = tmp_path / "check.pdf"
    file.write_bytes(pdf)
    assert [(f.rule_id, f.message) for f in validate(str(file)).findings] == []
