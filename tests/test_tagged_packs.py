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


def test_each_page_numbers_its_content_from_0_with_no_gaps(built):
    """MCIDs are per page (the parts' own, counted from 0): each page's ParentTree array
    holds an element for every MCID its content uses and nothing else, so it is no longer
    than the page's content items (a pack once took minutes with arrays of nulls)."""
    _, file = built
    with pikepdf.open(file) as doc:
        nums = list(doc.Root.StructTreeRoot.ParentTree.Nums)
        arrays = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in doc.pages:
            used = sorted(int(ops[-1].MCID) for ops, op in pikepdf.parse_content_stream(page)
                          if str(op) == "BDC" and isinstance(ops[-1], pikepdf.Dictionary) and "/MCID" in ops[-1])
            assert used == list(range(len(used)))
            entries = arrays[int(page.obj.StructParents)]
            assert len(entries) == len(used) and all(isinstance(e, pikepdf.Dictionary) for e in entries)


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


# ── the merge is generic: whatever tree a part has (layouts/structure_merge.py) ────────

def synthetic_part(lang: str, role: str = "/P", artifact_page: bool = False) -> bytes:
    """A tagged PDF made by hand, not by aidpress: two pages, MCIDs counted per page from
    0; page 1 a heading (an integer MCID in /K) and a table (Table/TR/TH/TD, one cell with
    /A attributes and /ActualText), page 2 a list (L/LI/LBody) whose body is a custom type
    role-mapped to `role`, and one element split over both pages (MCR dicts); optionally
    a third page of artifacts only."""
    doc = pikepdf.new()
    font = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))

    def page(body: str):
        content = doc.make_stream(("/Artifact BMC 0 0 m 10 10 l S EMC\n" + body).encode())
        doc.pages.append(pikepdf.Page(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, 200, 200], Contents=content,
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))))
        return doc.pages[-1].obj

    def shown(tag: str, mcid: int, text: str, y: int) -> str:
        return f"/{tag} <</MCID {mcid}>> BDC BT /F1 9 Tf 10 {y} Td ({text}) Tj ET EMC\n"

    p1 = page(shown("H1", 0, "Heading", 180) + shown("TH", 1, "Head", 160) + shown("TD", 2, "Cell", 140)
              + shown("Link", 4, "A link", 100) + shown("P", 3, "Split one", 20))
    link = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                                Rect=[10, 95, 60, 110], Contents=pikepdf.String("A link"),
                                                StructParent=2, Border=[0, 0, 0]))
    p1.Annots = pikepdf.Array([link])
    p2 = page(shown("P", 0, "Split two", 180) + shown("Span", 1, "Item", 160))
    pages = [p1, p2]
    if artifact_page:
        pages.append(page(""))

    def elem(kind, parent, kids, pg=None, **extra):
        e = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name(kind), **extra))
        if parent is not None:
            e.P = parent
        if pg is not None:
            e.Pg = pg
        e.K = pikepdf.Array(kids) if isinstance(kids, list) else kids
        return e

    root = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = elem("/Document", root, [], Lang=pikepdf.String(lang))
    h1 = elem("/H1", document, 0, p1)
    table = elem("/Table", document, [])
    tr = elem("/TR", table, [])
    th = elem("/TH", tr, 1, p1, A=pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Column))
    td = elem("/TD", tr, [2], p1, ActualText=pikepdf.String("Cell text"),
              A=pikepdf.Array([pikepdf.Dictionary(O=pikepdf.Name.UserProperties, P=pikepdf.Array(
                  [pikepdf.Dictionary(N=pikepdf.String("unit"), V=pikepdf.String("u1"))]))]))
    tr.K, table.K = pikepdf.Array([th, td]), pikepdf.Array([tr])
    split = elem("/P", document, [pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=p1, MCID=3),
                                  pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=p2, MCID=0)], p1)
    linked = elem("/Link", document, [4, pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=link, Pg=p1)], p1)
    lst = elem("/L", document, [])
    li = elem("/LI", lst, [])
    body = elem("/AidBody", li, [1], p2, C=pikepdf.Name("/Plain"))
    li.K, lst.K = pikepdf.Array([body]), pikepdf.Array([li])
    document.K = pikepdf.Array([h1, table, linked, split, lst])
    root.K = document
    root.RoleMap = pikepdf.Dictionary(AidBody=pikepdf.Name(role))
    root.ClassMap = pikepdf.Dictionary(Plain=pikepdf.Dictionary(O=pikepdf.Name.Layout, Placement=pikepdf.Name.Block))
    root.ParentTree = doc.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array([
        0, pikepdf.Array([h1, th, td, split, linked]), 1, pikepdf.Array([split, body]), 2, linked])))
    p1.StructParents, p2.StructParents = 0, 1  # (the parts' parent trees are not read by the merge)
    root.ParentTreeNextKey = 3
    doc.Root.StructTreeRoot = root
    doc.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    buffer = io.BytesIO()
    doc.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def test_any_parts_trees_merge_nested_elements_attributes_role_and_class_maps(tmp_path):
    from layouts.pack import bind

    pdf = bind(SEED, CLINIC, [synthetic_part("en"), synthetic_part("fr", artifact_page=True)], [])
    file = tmp_path / "merged.pdf"
    file.write_bytes(pdf)
    assert [(f.rule_id, f.message) for f in validate(str(file)).findings] == []
    with pikepdf.open(file) as doc:
        assert doc.check_pdf_syntax() == []
        tree = doc.Root.StructTreeRoot
        kinds = [str(k.S) for k in tree.K.K]
        assert kinds == ["/H1", "/Table", "/Link", "/P", "/L"] * 2  # each part's Document kids, in page order
        assert [str(k.get("/Lang", "")) for k in tree.K.K] == [""] * 5 + ["fr"] * 5  # the second part's language kept
        second_td = tree.K.K[6].K[0].K[1]
        assert str(second_td.ActualText) == "Cell text" and str(second_td.A[0].P[0].V) == "u1"
        assert str(tree.RoleMap.AidBody) == "/P" and str(tree.ClassMap.Plain.Placement) == "/Block"
        owned, elements = walk(doc)
        nums = list(tree.ParentTree.Nums)
        entries = {int(k): v for k, v in zip(nums[::2], nums[1::2])}
        assert [int(p.StructParents) for p in doc.pages] == list(range(5)) == sorted(entries)[:5]
        # each link annotation: its own key after the pages', naming the Link element that holds it
        links = [(doc.pages[i].Annots[0], tree.K.K[k]) for i, k in ((0, 2), (2, 7))]
        assert [int(a.StructParent) for a, _ in links] == [5, 6] == sorted(entries)[5:]
        assert [entries[5].objgen, entries[6].objgen] == [e.objgen for _, e in links]
        assert int(tree.ParentTreeNextKey) == 7
        assert [k.Obj.objgen for _, e in links for k in e.K if isinstance(k, pikepdf.Dictionary)] == \
            [a.objgen for a, _ in links]
        from_parent_tree = {(page.obj.objgen, mcid): e.objgen for i, page in enumerate(doc.pages)
                            for mcid, e in enumerate(entries[i]) if isinstance(e, pikepdf.Dictionary)}
        assert len(from_parent_tree) == 2 * 7  # five content items on page 1, two on page 2, per part
        assert from_parent_tree == {key: e.objgen for key, e in owned.items()}
        assert list(entries[4]) == []  # the page of artifacts only
        for element, parent in elements:
            assert element.P.objgen == parent.objgen
        # the second part keeps its own MCIDs (per page), in the content stream as in the tree
        second = [int(ops[-1].MCID) for ops, op in pikepdf.parse_content_stream(doc.pages[2])
                  if str(op) == "BDC"]
        assert second == [0, 1, 2, 4, 3] and int(tree.K.K[5].K) == 0


def test_parts_that_map_one_role_differently_cannot_be_merged():
    from aidpress.errors import UnfitContent
    from layouts.pack import bind

    with pytest.raises(UnfitContent) as caught:
        bind(SEED, CLINIC, [synthetic_part("en"), synthetic_part("en", role="/Span")], [],
             [(("title",), "the cover"), (("aids", 0), "aid 'x'")])
    assert caught.value.path == ("aids", 0) and "RoleMap" in caught.value.message


def test_parts_mcids_may_be_shifted_apart():
    """`separate_mcids=True`: each part's MCIDs shifted past the part's before it (0–4),
    in the content streams and the parent tree alike."""
    from layouts import structure_merge

    out = pikepdf.new()
    with pikepdf.open(io.BytesIO(synthetic_part("en"))) as a, pikepdf.open(io.BytesIO(synthetic_part("en"))) as b:
        merged = structure_merge.join(out, [a, b], language="en", separate_mcids=True)
        assert structure_merge.write(out, merged) is True
    owned, _ = walk(out)
    mcids = [[int(ops[-1].MCID) for ops, op in pikepdf.parse_content_stream(p) if str(op) == "BDC"] for p in out.pages]
    assert mcids == [[0, 1, 2, 4, 3], [0, 1], [5, 6, 7, 9, 8], [5, 6]]
    nums = list(out.Root.StructTreeRoot.ParentTree.Nums)
    entries = {int(k): v for k, v in zip(nums[::2], nums[1::2])}
    assert {(p.obj.objgen, m): e.objgen for i, p in enumerate(out.pages) for m, e in enumerate(entries[i])
            if isinstance(e, pikepdf.Dictionary)} == {k: e.objgen for k, e in owned.items()}


def test_two_quizzes_in_one_pack_keep_their_points_under_their_own_heads():
    """Each quiz's points cite its own option heads (/Headers → /ID). Two quizzes number
    their heads alike; in one pack the second's IDs are made its own, and its cells follow."""
    from layouts import render
    from layouts.pack import bind

    quiz = render(load_aid(ROOT / "aids" / "decision-quiz.yaml"), CLINIC).pdf
    pdf = bind(SEED, CLINIC, [quiz, quiz], [])
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        tree = doc.Root.StructTreeRoot
        names = list(tree.IDTree.Names)
        ids = {bytes(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        assert len(ids) == len(names) // 2
        half = len(doc.pages) // 2
        pages = {p.obj.objgen: i for i, p in enumerate(doc.pages)}
        cited = 0
        stack = [tree.K]
        while stack:
            element = stack.pop()
            kids = element.get("/K")
            stack += [k for k in ([] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids])
                      if isinstance(k, pikepdf.Dictionary) and "/S" in k]
            attrs = element.get("/A")
            for owned in ([] if attrs is None else list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]):
                for h in owned.get("/Headers", []):
                    head = ids[bytes(h)]  # every cited head exists
                    assert (pages[head.Pg.objgen] < half) == (pages[element.Pg.objgen] < half)  # in its own quiz
                    cited += 1
        assert cited > 0
