"""Every per-patient sheet PDF is tagged, with a tree for exactly its own pages (issue 17).

One-off sheets, roster runs merged (one print run, and several joined), duplex, and a
file per sheet. Read back by independent readers: pikepdf (catalog, pages, XMP, the
structure tree walked at any depth against every page's marked content, qpdf's syntax
check), PyPI `pdfua`, and poppler's `pdfinfo -struct-text` (the tree with its text, in
reading order). Expected values come from the YAML and the roster written here.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from pdfua import validate

from aidpress.validate import load_aid
from cli import main

from .conftest import ROOT

AID = ROOT / "tests" / "fixtures" / "sheets" / "garden-care.yaml"  # one page; two in large print
SEED = ROOT / "aids" / "aftercare-cupping.yaml"
LABELS = {"name": "Patient name:", "date": "Date:", "area": "Treated area:", "Plot number": "Plot number:"}

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


def printed(iso: str) -> str:
    """A date as the sheet prints it, by the calendar module (not the code under test)."""
    y, m, d = map(int, iso.split("-"))
    return f"{calendar.day_abbr[calendar.weekday(y, m, d)]} {d} {calendar.month_abbr[m]} {y}"


ROWS = [
    {"id": "T1", "name": "Ann O’Neill", "date": "2026-11-23", "area": "left knee", "Plot number": "41"},
    {"id": "T2", "name": "Bo Example", "date": "2026-11-24", "area": "", "Plot number": "42"},  # no area
    {"id": "T3", "name": "Cy Sample", "date": "2026-12-01", "area": "upper back", "Plot number": "43"},
]


def roster(tmp_path: Path, rows=ROWS) -> Path:
    path = tmp_path / "roster.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["id", "name", "date", "area", "Plot number"])
        w.writeheader()
        w.writerows(rows)
    return path


def run(*args, aid: Path = AID):
    result = CliRunner().invoke(main, ["aftercare", str(aid), *map(str, args)])
    assert result.exit_code == 0, result.stderr
    return result


def shown(row: dict) -> list[tuple[str, str]]:
    """(label, value as printed) of each field the row fills, in the aid's field order."""
    return [(LABELS[k], printed(row[k]) if k == "date" else row[k]) for k in LABELS if row.get(k)]


# ── reading back ──────────────────────────────────────────────────────────────────


def struct_text(path: Path) -> list[tuple[str, str]]:
    """(type of the element that holds it, text) for every text poppler reads from the tree,
    in the tree's order."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], check=True, capture_output=True, text=True).stdout
    found, stack = [], []  # stack: (indent, type)
    for line in out.splitlines()[1:] if out.startswith(str(path)) else out.splitlines():
        indent = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        text = line.strip()
        if text.startswith('"'):
            # (a paragraph's last line ends in a space in the tree: layouts/linetext.py)
            found.append((stack[-1][1] if stack else "", text[1:-1].strip()))
        elif text:
            stack.append((indent, text.split()[0]))
    return found


def marks_in(stream_owner) -> list[tuple[str, int]]:
    """(tag, MCID) of the marked-content sequences with an MCID in a content stream (a page
    or a form), in order."""
    found = []
    for operands, operator in pikepdf.parse_content_stream(stream_owner):
        if str(operator) == "BDC" and isinstance(operands[-1], pikepdf.Dictionary) and "/MCID" in operands[-1]:
            found.append((str(operands[0]), int(operands[-1].MCID)))
    return found


def content_items(node, page_of_element=None):
    """Every (page objgen, MCID, element objgen) the tree below `node` references, at any
    depth: MCRs, bare MCIDs (on the element's /Pg) and the elements they belong to."""
    items = []
    kids = node.get("/K")
    if kids is None:
        return items
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    page = node.get("/Pg", page_of_element)
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            items.append((kid.Pg.objgen, int(kid.MCID), node.objgen))
        elif isinstance(kid, pikepdf.Dictionary):
            assert kid.is_indirect and kid.P.objgen == node.objgen, "a child's /P is not its parent"
            items += content_items(kid, page)
        elif isinstance(kid, int):
            items.append((page.objgen, int(kid), node.objgen))
    return items


def assert_tagged(path: Path, aid) -> None:
    """The document-level entries, the parent tree against every page's marked content
    (both ways), no MCID inside a form, qpdf and pdfua finding nothing."""
    with pikepdf.open(path) as doc:
        root = doc.Root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == aid.language
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(doc.docinfo.Title) == aid.title
        meta = doc.open_metadata()
        assert meta["dc:title"] == aid.title and str(meta["pdfuaid:part"]) == "1"
        tree = root.StructTreeRoot
        assert tree.K.S == "/Document" and tree.K.P.objgen == tree.objgen
        nums = list(tree.ParentTree.Nums)
        entries = dict(zip((int(k) for k in nums[::2]), nums[1::2]))
        assert [int(p.StructParents) for p in doc.pages] == list(range(len(doc.pages))) == sorted(entries)
        assert int(tree.ParentTreeNextKey) == len(doc.pages)
        items = content_items(tree.K)
        assert len(items) == len(set((p, m) for p, m, _ in items)), "a content item in two elements"
        referenced = {(p, m): e for p, m, e in items}
        stamped = 0
        for page in doc.pages:
            marks = marks_in(page)
            on_page = [m for _, m in marks]
            # Each value, each label's text: an MCID of its own. (A table row's cells share one
            # on a page, as in every handout today: docs/accessibility.md, "Not tagged yet".)
            values = [m for tag, m in marks if tag == "/AidValue"]
            assert all(on_page.count(m) == 1 for m in values)
            stamped += len(values)
            assert all(on_page.count(m) == 1 for tag, m in marks if tag in ("/P", "/Div"))
            array = entries[int(page.StructParents)]
            for mcid in on_page:  # every content item resolves to the element that references it
                parent = array[mcid]
                assert referenced[(page.objgen, mcid)] == parent.objgen
            assert {m for p, m in referenced if p == page.objgen} == set(on_page)
            for name, xobject in page.Resources.get("/XObject", {}).items():
                assert not marks_in(xobject), f"{name}: marked content with an MCID inside a shared form"
        assert stamped  # the values are marked content of their own
        assert doc.check_pdf_syntax() == []
    report = validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []


def assert_reads(path: Path, aid, rows: list[dict], *, chrome: tuple[str, ...] = ()) -> None:
    """The tree reads, for each row in turn: the aid's title (H1), then each label with the
    row's value right after it (a Span); no header or footer text."""
    elements = struct_text(path)
    texts = [t for _, t in elements]
    titles = [i for i, (kind, text) in enumerate(elements) if kind == "H1"]
    assert [elements[i][1] for i in titles] == [aid.title] * len(rows)
    for n, row in enumerate(rows):
        sheet = elements[titles[n]:titles[n + 1] if n + 1 < len(titles) else len(elements)]
        at = 0
        for label, value in shown(row):
            at = next(i for i in range(at, len(sheet)) if sheet[i][1] == label)
            assert sheet[at + 1] == ("Span", value), (label, sheet[at:at + 2])
        spans = [text for kind, text in sheet if kind == "Span"]
        assert spans == [value for _, value in shown(row)]  # these values, and no other
        for key in ("name", "date"):  # read once: never again from the line above the header
            value = printed(row[key]) if key == "date" else row[key]
            assert sum(value in text for _, text in sheet) == 1, value
    for text in chrome:  # running header and footer, and the patient's line above the header
        assert not [t for t in texts if text in t], text
    # The footer's page number and note; the header's clinic line ("Riverside … · Phone …":
    # the fixture's body has no "·").
    for other in ("Page 1 of", aid.disclaimer, " · "):
        assert not [t for t in texts if other in t], other


# ── the outputs ───────────────────────────────────────────────────────────────────


def test_a_one_off_sheet_is_tagged_and_reads_each_value_after_its_label(tmp_path):
    aid = load_aid(AID)
    target = tmp_path / "one.pdf"
    row = {"name": "Ann O’Neill", "date": "2026-11-23", "area": "left knee", "Plot number": "42"}
    run(*[a for k, v in row.items() for a in ("--field", f"{k}={v}")], "-o", target)
    assert_tagged(target, aid)
    assert_reads(target, aid, [row])
    again = tmp_path / "again.pdf"
    run(*[a for k, v in row.items() for a in ("--field", f"{k}={v}")], "-o", again)
    assert again.read_bytes() == target.read_bytes()


def test_a_sheet_of_two_pages_reads_the_patients_line_above_the_header_as_chrome(tmp_path):
    """In large print the sheet takes two pages, each with the name and date above the
    running header: read once, after the labels, never from the header."""
    aid = load_aid(AID)
    target = tmp_path / "large.pdf"
    row = {"name": "Ann O’Neill", "date": "2026-11-23"}
    run("--field", f"name={row['name']}", "--field", f"date={row['date']}", "--large-print", "-o", target)
    with pikepdf.open(target) as doc:
        assert len(doc.pages) == 2
    assert_tagged(target, aid)
    assert_reads(target, aid, [row], chrome=("Patient name: Ann",))
    assert [t for _, t in struct_text(target)].count(row["name"]) == 1


def test_a_merged_roster_is_one_document_of_every_sheet_in_order(tmp_path):
    aid = load_aid(AID)
    target = tmp_path / "run.pdf"
    run("--roster", roster(tmp_path), "--merge", "-o", target)
    assert_tagged(target, aid)
    assert_reads(target, aid, ROWS)
    again = tmp_path / "again.pdf"
    run("--roster", roster(tmp_path), "--merge", "-o", again)
    assert again.read_bytes() == target.read_bytes()


def test_a_duplex_run_gives_each_blank_back_page_its_own_empty_entry(tmp_path):
    aid = load_aid(AID)
    target = tmp_path / "duplex.pdf"
    run("--roster", roster(tmp_path), "--merge", "--duplex", "-o", target)
    with pikepdf.open(target) as doc:
        assert len(doc.pages) == 2 * len(ROWS)  # a one-page sheet and its blank back
        nums = list(doc.Root.StructTreeRoot.ParentTree.Nums)
        assert [len(nums[2 * i + 1]) for i in range(1, len(nums) // 2, 2)] == [0] * len(ROWS)
    assert_tagged(target, aid)
    assert_reads(target, aid, ROWS)


def test_a_merged_run_joined_from_several_print_runs_has_one_tree(tmp_path, monkeypatch):
    from aidpress.commands import sheets

    monkeypatch.setattr(sheets, "MERGE_CHUNK", 2)  # three rows: two print runs, joined
    aid = load_aid(AID)
    target = tmp_path / "joined.pdf"
    run("--roster", roster(tmp_path), "--merge", "--duplex", "-o", target)
    assert_tagged(target, aid)
    assert_reads(target, aid, ROWS)
    again = tmp_path / "again.pdf"
    run("--roster", roster(tmp_path), "--merge", "--duplex", "-o", again)
    assert again.read_bytes() == target.read_bytes()


def test_each_separate_file_has_its_own_tree_with_only_its_patient(tmp_path):
    aid = load_aid(AID)
    out = tmp_path / "out"
    run("--roster", roster(tmp_path), "--out", out)
    for row in ROWS:
        path = out / f"garden-care-{row['id']}.pdf"
        assert_tagged(path, aid)
        assert_reads(path, aid, [row])
        others = [r["name"] for r in ROWS if r is not row]
        assert not [t for _, t in struct_text(path) if any(name in t for name in others)]
    again = tmp_path / "again"
    run("--roster", roster(tmp_path), "--out", again)
    assert [p.read_bytes() for p in sorted(again.iterdir())] == [p.read_bytes() for p in sorted(out.iterdir())]


def test_separate_files_of_a_two_page_sheet_in_large_print(tmp_path):
    aid = load_aid(AID)
    out = tmp_path / "out"
    run("--roster", roster(tmp_path), "--out", out, "--large-print")
    for row in ROWS:
        path = out / f"garden-care-{row['id']}.pdf"
        with pikepdf.open(path) as doc:
            assert len(doc.pages) == 2
        assert_tagged(path, aid)
        assert_reads(path, aid, [row])


def test_the_seed_sheet_merged_reads_its_sections_and_values(tmp_path):
    aid = load_aid(SEED)
    rows = [{"name": "Invented Person", "date": "2026-11-23", "area": "lower back"}]
    path = tmp_path / "roster.csv"
    path.write_text("name,date,area\n" + "".join(f"{r['name']},{r['date']},{r['area']}\n" for r in rows))
    target = tmp_path / "seed.pdf"
    run("--roster", path, "--merge", "-o", target, aid=SEED)
    assert_tagged(target, aid)
    squeezed = re.sub(r"\s+", "", " ".join(t for _, t in struct_text(target)))
    expected = [aid.title] + [t for s in aid.sections for t in [s.heading, *(i.text for i in s.items)]]
    positions = [squeezed.find(re.sub(r"\s+", "", t)) for t in expected]
    assert -1 not in positions and positions == sorted(positions)


def test_a_tree_that_cannot_be_built_is_a_located_error_and_no_file(tmp_path, monkeypatch):
    from layouts import stamp

    monkeypatch.setattr(stamp.SheetCanvas, "write_tree", lambda self: None)  # the blank's tree never written
    target = tmp_path / "one.pdf"
    result = CliRunner().invoke(main, ["aftercare", str(AID), "--field", "name=Ann O’Neill", "--field",
                                       "date=2026-11-23", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{AID}:1:1: error: the sheet's structure tree (tagged PDF) cannot be built")
    assert "Ann" not in result.stderr
    assert not target.exists() and not list(tmp_path.iterdir())


def test_the_split_refuses_an_element_whose_content_is_on_two_sheets():
    """split_pages gives each file the elements of its pages: one holding content on two
    sheets' pages cannot go to either, and is refused rather than written half."""
    from layouts.join import split_pages
    from layouts.sheet_tags import TagError

    from aidpress.model import Sheet
    from aidpress.validate import load_clinic
    from layouts.stamp import print_run

    aid = load_aid(AID)
    run_ = print_run(aid, load_clinic(ROOT / "clinic.yaml"),
                     [Sheet({"name": "A", "date": "Mon 23 Nov 2026"}, 2, 2), Sheet({"name": "B", "date": "x"}, 3, 3)])
    assert len(list(split_pages(run_.pdf, 1, title=aid.title, language=aid.language))) == 2
    with pytest.raises(TagError, match="2 sheets"):
        list(split_pages(_with_spanning_element(run_.pdf), 1, title=aid.title, language=aid.language))


def _with_spanning_element(pdf: bytes) -> bytes:
    """The run with its first top-level element made to reference the second sheet's page too."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        first = doc.Root.StructTreeRoot.K.K[0]
        first.K = pikepdf.Array([first.K, pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=doc.pages[1].obj, MCID=0)])
        buffer = io.BytesIO()
        doc.save(buffer, qdf=False, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    return buffer.getvalue()
