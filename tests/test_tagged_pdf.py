"""Every handout is a tagged PDF (issue 17's foundation; docs/accessibility.md).

Read back by independent readers: pikepdf (catalog, pages, XMP, its own syntax check),
PyPI `pdfua` (the machine-checkable PDF/UA-1 rules it implements), poppler's
`pdfinfo -struct-text` (the tree with its text, in reading order) and `pdftotext`.
Expected values come from the YAML.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pdfua import validate

import layouts
from aidpress.validate import load_aid
from layouts import page

from .conftest import AIDS, CLINIC
from .readback import marked_operators

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "generic"
VARIANTS = {"a4": {}, "letter": {"paper": "letter"}, "large-print": {"large_print": True}}
CHECKLIST = ROOT / "aids" / "aftercare-cupping.yaml"
COMPARISON = ROOT / "aids" / "cupping-vs-dry-needling.yaml"
WIDE = FIXTURES / "commute-comparison-wide.yaml"  # too wide for portrait: landscape pages

needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


def rendered(path: Path, **variant) -> bytes:
    return layouts.render(load_aid(path), CLINIC, **variant).pdf


def squeezed(text: str) -> str:
    """Text with no white space: ReportLab writes no space at a line break yet, so a
    structure reader glues the words either side of one (docs/accessibility.md)."""
    return re.sub(r"\s+", "", text)


def struct_text(pdf: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    """(structure type, its text) of each element, in the tree's order, as poppler reads it."""
    file = tmp_path / "aid.pdf"
    file.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", "-struct-text", str(file)], check=True, capture_output=True, text=True).stdout
    elements, kind = [], None
    for line in out.splitlines():
        head = re.match(r"^\s+(\w+) \(", line)
        if head:
            kind = head.group(1)
        elif line.strip().startswith('"') and kind:
            elements.append((kind, line.strip()[1:-1]))
    return elements


def assert_tagged(pdf: bytes, aid, tmp_path: Path) -> None:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == aid.language
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        tree = root.StructTreeRoot
        assert tree.Type == "/StructTreeRoot" and tree.K.S == "/Document"
        keys = [int(k) for k in list(tree.ParentTree.Nums)[::2]]
        parents = [int(p.StructParents) for p in doc.pages]
        assert parents == list(range(len(doc.pages))) == keys  # every page, each its own entry
        assert int(tree.ParentTreeNextKey) == len(doc.pages)
        assert str(doc.docinfo.Title) == aid.title
        meta = doc.open_metadata()
        assert meta["dc:title"] == aid.title
        assert str(meta["pdfuaid:part"]) == "1"
        assert doc.check_pdf_syntax() == []  # qpdf's own check, as `qpdf --check`
    file = tmp_path / "check.pdf"
    file.write_bytes(pdf)
    report = validate(str(file))
    assert [(f.rule_id, f.message) for f in report.findings] == []


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", AIDS, ids=[p.stem for p in AIDS])
def test_every_seed_handout_is_tagged_in_every_variant(path, variant, tmp_path):
    assert_tagged(rendered(path, **VARIANTS[variant]), load_aid(path), tmp_path)


def test_a_handout_on_landscape_pages_is_tagged(tmp_path):
    pdf = rendered(WIDE)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        boxes = [tuple(float(v) for v in p.MediaBox) for p in doc.pages]
    assert any(w > h for _, _, w, h in boxes)  # the fixture does print landscape
    assert_tagged(pdf, load_aid(WIDE), tmp_path)


def test_an_untagged_render_has_no_tree_so_the_check_can_fail(tmp_path, monkeypatch):
    monkeypatch.setattr(page, "TAGGED", False)
    file = tmp_path / "untagged.pdf"
    file.write_bytes(rendered(CHECKLIST))
    assert {f.rule_id for f in validate(str(file)).findings}  # pdfua does find something


@needs_poppler
def test_the_checklist_reads_title_then_sections_and_items_in_yaml_order(tmp_path):
    aid = load_aid(CHECKLIST)
    elements = struct_text(rendered(CHECKLIST), tmp_path)
    assert elements[0] == ("H1", elements[0][1]) and squeezed(elements[0][1]) == squeezed(aid.title)
    read = squeezed(" ".join(text for _, text in elements))
    expected = [aid.title] + [t for s in aid.sections for t in [s.heading, *(i.text for i in s.items)]]
    positions = [read.find(squeezed(t)) for t in expected]
    assert -1 not in positions, [t for t, p in zip(expected, positions) if p < 0]
    assert positions == sorted(positions)
    # Each section's heading is an H2 (a warning's after its mark, ⚠), in order; the
    # patient's details and "About" have their own.
    headings = [squeezed(text) for kind, text in elements if kind == "H2"]
    found = [next(i for i, h in enumerate(headings) if h.endswith(squeezed(s.heading))) for s in aid.sections]
    assert found == sorted(found) and len(set(found)) == len(aid.sections)


@needs_poppler
def test_the_comparison_reads_title_then_options_and_rows_in_yaml_order(tmp_path):
    aid = load_aid(COMPARISON)
    elements = struct_text(rendered(COMPARISON), tmp_path)
    assert elements[0][0] == "H1" and squeezed(elements[0][1]) == squeezed(aid.title)
    # Comparison cells hyphenate: the added hyphen is read too, not yet an artifact.
    read = squeezed(" ".join(text for _, text in elements)).replace("-", "")
    expected = [aid.title] + [row.aspect for row in aid.rows]
    positions = [read.find(squeezed(t).replace("-", "")) for t in expected]
    assert -1 not in positions, [t for t, p in zip(expected, positions) if p < 0]
    assert positions == sorted(positions)


@needs_poppler
@pytest.mark.parametrize("path", [CHECKLIST, COMPARISON], ids=["checklist", "comparison"])
def test_the_running_header_and_footer_are_not_read_as_content(path, tmp_path):
    pdf = rendered(path)
    read = " ".join(text for _, text in struct_text(pdf, tmp_path))
    file = tmp_path / "aid.pdf"
    file.write_bytes(pdf)
    shown = subprocess.run(["pdftotext", str(file), "-"], check=True, capture_output=True, text=True).stdout
    header = f"{CLINIC.name} · "  # the header's clinic line (the clinic box says it otherwise)
    assert "Page 1 of" in shown and header in shown  # printed on the page …
    assert "Page 1 of" not in read and header not in read  # … and not in the tree


def test_headings_never_skip_a_level(tmp_path):
    for path in AIDS:
        with pikepdf.open(io.BytesIO(rendered(path))) as doc:
            kinds = [str(k.S)[1:] for k in doc.Root.StructTreeRoot.K.K]
        levels = [int(k[1]) for k in kinds if re.fullmatch(r"H\d", k)]
        assert levels[0] == 1 and levels.count(1) == 1, path.stem  # the title, once
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (path.stem, levels)


def test_tagged_output_is_deterministic():
    assert rendered(COMPARISON, large_print=True) == rendered(COMPARISON, large_print=True)


@needs_poppler
@pytest.mark.parametrize("path", [CHECKLIST, COMPARISON, WIDE], ids=["checklist", "comparison", "wide"])
def test_tagging_changes_no_extracted_text(path, tmp_path, monkeypatch):
    tagged = tmp_path / "tagged.pdf"
    tagged.write_bytes(rendered(path))
    monkeypatch.setattr(page, "TAGGED", False)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(rendered(path))

    def text(file):
        return subprocess.run(["pdftotext", "-layout", str(file), "-"], check=True, capture_output=True).stdout

    assert text(tagged) == text(plain)


@needs_poppler
def test_a_table_header_row_repeated_on_later_pages_is_read_once(tmp_path):
    aid = load_aid(COMPARISON)
    pdf = rendered(COMPARISON)
    file = tmp_path / "aid.pdf"
    file.write_bytes(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = len(doc.pages)
    printed = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(file), "-"], check=True,
                              capture_output=True, text=True).stdout for n in range(1, pages + 1)]
    label = squeezed(aid.aspect_label)
    assert pages >= 2 and all(label in squeezed(text) for text in printed)  # on every page …
    read = squeezed(" ".join(text for _, text in struct_text(pdf, tmp_path)))
    assert read.count(label) == 1  # … and read once


def content_items(pdf: bytes) -> tuple[list, int]:
    """Each marked-content sequence with an MCID outside any artifact, as (page index, MCID,
    the element the parent tree names for it, whether that element refers back to it), and
    how many text-showing or painting operators lie in neither such a sequence nor an artifact."""
    items, loose = [], 0
    for index, pdf_page, slots, marks, op, _ in marked_operators(pdf):
        if op == "BDC" and isinstance(marks[-1], int) and "artifact" not in marks:
            mcid = marks[-1]
            element = slots[mcid] if mcid < len(slots) else None
            element = element if isinstance(element, pikepdf.Dictionary) else None
            kids = element.K if element is not None else pikepdf.Array()
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            back = any(int(k.MCID) == mcid and k.Pg.objgen == pdf_page.obj.objgen for k in kids)
            items.append((index, mcid, element, back))
        elif op in ("Tj", "TJ", "'", '"', "S", "s", "f", "f*", "F", "B", "B*", "b", "b*", "Do", "sh"):
            if not any(m == "artifact" or isinstance(m, int) for m in marks):
                loose += 1
    return items, loose


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", [CHECKLIST, COMPARISON, WIDE, *(p for p in AIDS if "flowchart" in p.stem or "quiz" in p.stem)],
                         ids=lambda p: getattr(p, "stem", p))
def test_every_content_item_is_in_the_tree_and_nothing_is_left_unmarked(path, variant):
    items, loose = content_items(rendered(path, **VARIANTS[variant]))
    assert items and loose == 0
    assert [(page, mcid) for page, mcid, element, back in items if element is None or not back] == []
