"""Issue 17 point 3, for packs: a pack is one tagged PDF with one structure tree of its own,
built from the trees of the parts it is joined from (layouts/structure_merge.py).

The seed pack is built by `aidpress build`, as a clinic builds it, on A4, Letter, in large
print and printed on both sides (--duplex), and read back by independent readers: pikepdf
(catalog, pages, the tree walked here from its root, qpdf's syntax check), PyPI `pdfua`,
poppler's `pdfinfo -struct-text` and pypdf (the page numbers). Expected titles, language
and labels come from the YAML and the label table.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
import yaml
from click.testing import CliRunner
from pdfua import validate

from aidpress.labels import LABELS
from aidpress.validate import load_aid, pack_members
from cli import main

from .conftest import CLINIC, ROOT

PACK = ROOT / "packs" / "waiting-room.yaml"
SEED = load_aid(PACK)
MEMBERS = [load_aid(p) for p in pack_members(SEED)]
VARIANTS = {"a4": [], "letter": ["--paper", "letter"], "large-print": ["--large-print"], "duplex": ["--duplex"]}
FILES = {"a4": "", "letter": "-letter", "large-print": "-large-print", "duplex": "-duplex"}

needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


def build(out: Path, extra: list[str]) -> None:
    result = CliRunner().invoke(main, ["build", "--clinic", str(ROOT / "clinic.yaml"), "--out", str(out), *extra,
                                       str(PACK)])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module", params=list(VARIANTS))
def built(request, tmp_path_factory) -> tuple[str, Path]:
    """(variant, the pack's PDF as `aidpress build` writes it)."""
    out = tmp_path_factory.mktemp(request.param)
    build(out, VARIANTS[request.param])
    return request.param, out / f"{SEED.id}{FILES[request.param]}.pdf"


def squeezed(text: str) -> str:
    """No white space: the structure text glues the words either side of a line break."""
    return re.sub(r"\s+", "", text)


def as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def walk(doc: pikepdf.Pdf) -> tuple[dict, list]:
    """The tree read from its root, as a reader follows it: {(page objgen, MCID): element}
    for every content item an element holds (an integer in /K is on the element's /Pg, a
    marked-content reference on its own /Pg or else the element's), and each element
    with the parent it was reached from."""
    owned, elements = {}, []

    def visit(element, parent):
        elements.append((element, parent))
        page = element.get("/Pg")
        for kid in as_list(element.get("/K")):
            if isinstance(kid, int):
                key = (page.objgen, kid)
            elif kid.get("/Type") == "/MCR":
                key = (kid.get("/Pg", page).objgen, int(kid.MCID))
            elif "/S" in kid:
                visit(kid, element)
                continue
            else:
                continue  # an object reference: the seed pack has no annotations
            assert key not in owned, f"content item {key} has two owners"
            owned[key] = element

    root = doc.Root.StructTreeRoot
    for top in as_list(root.K):
        visit(top, root)
    return owned, elements


def test_the_catalog_says_tagged_in_the_packs_language_and_title(built):
    _, file = built
    with pikepdf.open(file) as doc:
        root = doc.Root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == SEED.language
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        tree = root.StructTreeRoot
        assert tree.Type == "/StructTreeRoot" and tree.K.S == "/Document" and tree.K.P.objgen == tree.objgen
        assert str(tree.K.Lang) == SEED.language
        assert str(doc.docinfo.Title) == SEED.title
        meta = doc.open_metadata()
        assert meta["dc:title"] == SEED.title
        assert str(meta["pdfuaid:part"]) == "1"
        assert doc.check_pdf_syntax() == []  # qpdf's own check, as `qpdf --check`


def test_every_page_has_its_parent_tree_entry_and_each_entry_is_the_tree_read_from_its_root(built):
    variant, file = built
    with pikepdf.open(file) as doc:
        tree = doc.Root.StructTreeRoot
        nums = list(tree.ParentTree.Nums)
        entries = {int(k): v for k, v in zip(nums[::2], nums[1::2])}
        keys = [int(p.StructParents) for p in doc.pages]
        assert keys == list(range(len(doc.pages))) == sorted(entries)  # one entry each, none left over
        assert int(tree.ParentTreeNextKey) == len(doc.pages)
        owned, elements = walk(doc)
        pages = {p.obj.objgen: i for i, p in enumerate(doc.pages)}
        from_parent_tree = {}
        for i, page in enumerate(doc.pages):
            for mcid, element in enumerate(entries[i]):
                if isinstance(element, pikepdf.Dictionary):
                    from_parent_tree[(page.obj.objgen, mcid)] = element.objgen
        # Each entry is the element that holds that MCID on that page: the same map both ways.
        assert from_parent_tree == {key: element.objgen for key, element in owned.items()}
        assert {pages[page] for page, _ in owned} == set(range(len(doc.pages))) or variant == "duplex"
        for element, parent in elements:  # every element's /P is the element it hangs under
            assert element.P.objgen == parent.objgen
            if "/Pg" in element:
                assert element.Pg.objgen in pages  # a page of this file, not of a part


def test_no_two_parts_share_an_mcid_the_page_audit_tells_units_by(built):
    """The page audit (aidpress/audit.py) tells units apart by tag and MCID across page
    boundaries: an MCID is met in one part of the pack only, as before packs were tagged."""
    _, file = built
    from pypdf import PdfReader

    reader = PdfReader(str(file))
    starts = {reader.get_destination_page_number(o) + 1 for o in reader.outline}  # cover, each member, the end
    starts |= {i + 1 for i, p in enumerate(reader.pages) if LABELS["blank_page"] in (p.extract_text() or "")}
    assert len(starts) >= len(MEMBERS) + 1
    parts_of: dict[int, set] = {}
    with pikepdf.open(file) as doc:
        for number, page in enumerate(doc.pages, 1):
            part = max(s for s in starts if s <= number)
            for operands, operator in pikepdf.parse_content_stream(page):
                props = operands[-1] if str(operator) == "BDC" else None
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    parts_of.setdefault(int(props.MCID), set()).add(part)
    assert parts_of and {mcid: parts for mcid, parts in parts_of.items() if len(parts) > 1} == {}


def test_pdfua_finds_nothing(built):
    _, file = built
    report = validate(str(file))
    assert [(f.rule_id, f.message) for f in report.findings] == []


def struct_text(file: Path) -> list[tuple[str, str]]:
    """(structure type, its text) of each element, in the tree's order, as poppler reads it."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(file)], check=True, capture_output=True, text=True).stdout
    elements, kind = [], None
    for line in out.splitlines():
        head = re.match(r"^\s+(\w+)", line)
        if line.strip().startswith('"') and kind:
            elements.append((kind, line.strip()[1:-1]))
        elif head:
            kind = head.group(1)
    return elements


@needs_poppler
def test_the_tree_reads_the_pack_title_then_each_member_in_pack_order_and_no_header_or_footer(built):
    variant, file = built
    elements = struct_text(file)
    headings = [squeezed(text) for kind, text in elements if kind == "H1"]
    assert headings[0] == squeezed(SEED.title)
    titles = [squeezed(m.title) for m in MEMBERS]
    assert [h for h in headings if h in titles] == titles  # each member's title once, in the YAML's order
    text = squeezed(" ".join(t for _, t in elements))
    with pikepdf.open(file) as doc:
        pages = len(doc.pages)
    for n in range(1, pages + 1):  # the footers' page numbers are artifacts, not read
        assert squeezed(LABELS["page"].format(n=n, m=pages)) not in text
    clinic = yaml.safe_load((ROOT / "clinic.yaml").read_text(encoding="utf-8"))
    header = squeezed(f"{clinic['name']} · {LABELS['phone']} {clinic['phone']}")  # every page's header
    assert header not in text
    # The footer's note is on every page; read once only, where the pack's end prints it.
    assert text.count(squeezed(SEED.disclaimer)) <= 1
    if variant == "duplex":
        assert squeezed(LABELS["blank_page"]) in text  # a blank back says so, and is read so


def test_the_same_pack_gives_the_same_bytes_twice(built, tmp_path):
    variant, file = built
    build(tmp_path, VARIANTS[variant])
    assert (tmp_path / file.name).read_bytes() == file.read_bytes()


# ── a structure that cannot be merged is a located build error ─────────────────────

def test_a_part_that_cannot_be_merged_stops_the_build_at_the_pack(tmp_path, monkeypatch):
    """A member whose tree names a page that is not its own (as if its structure were
    broken): the build reports it at the pack's line for that member and writes no PDF."""
    import layouts
    from layouts import pack as pack_module

    broken_member = MEMBERS[1]

    def render(aid, *args, **kwargs):
        rendered = layouts.render(aid, *args, **kwargs)
        if aid.title != broken_member.title:
            return rendered
        with pikepdf.open(io.BytesIO(rendered.pdf)) as doc:
            first = next(iter(doc.Root.StructTreeRoot.K.K))
            first.Pg = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Page))  # no page of this PDF
            buffer = io.BytesIO()
            doc.save(buffer)
        return layouts.Rendered(buffer.getvalue(), rendered.pages, rendered.warnings)

    monkeypatch.setattr(pack_module, "render", render)
    result = CliRunner().invoke(main, ["build", "--clinic", str(ROOT / "clinic.yaml"), "--out", str(tmp_path),
                                       str(PACK)])
    assert result.exit_code != 0
    line = next(n for n, text in enumerate(PACK.read_text().splitlines(), 1) if "cupping-vs-dry-needling" in text)
    assert f"{PACK.name}:{line}:" in result.output, result.output
    assert "structure tree" in result.output and f"aid '{broken_member.id}'" in result.output
    assert not list(tmp_path.glob("*.pdf"))


def test_an_untagged_part_among_tagged_ones_is_an_error_not_a_half_tagged_pack():
    from aidpress.errors import UnfitContent
    from layouts import page
    from layouts.pack import bind

    tagged = layouts_render(MEMBERS[0])
    page.TAGGED, saved = False, page.TAGGED
    try:
        untagged = layouts_render(MEMBERS[0])
    finally:
        page.TAGGED = saved
    with pytest.raises(UnfitContent) as caught:
        bind(SEED, CLINIC, [tagged, untagged], [], [(("title",), "the cover"), (("aids", 0), "aid 'x'")])
    assert caught.value.path == ("aids", 0) and "no structure tree" in caught.value.message


def layouts_render(aid) -> bytes:
    import layouts

    return layouts.render(aid, CLINIC).pdf
