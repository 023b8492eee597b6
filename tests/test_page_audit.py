"""Every page of every output passes the page audit (aidpress/audit.py) with no defect:
the seed aids, the generic fixtures, the pack, patient sheets and random aids, on A4
and Letter, regular and large print. The audit itself is tested on PDFs built to fail."""

from __future__ import annotations

import io
import itertools

import pytest
from click.testing import CliRunner
from reportlab.pdfgen.canvas import Canvas

from aidpress.audit import audit, drawn_units
from aidpress.validate import load_aid, pack_members
from cli import main
from layouts import engine, render, tagging, units
from layouts.pack import render_pack

from .conftest import AIDS, CLINIC, GENERIC, ROOT
from .random_aids import random_aids

PAPERS = ["a4", "letter"]
PRINTS = [False, True]
REGULAR_FLOOR, LARGE_FLOOR = 10.0, 16.0  # pt: the smallest type allowed anywhere on the page


def floor(large_print: bool) -> float:
    return LARGE_FLOOR if large_print else REGULAR_FLOOR


def compounds(*sources: str) -> frozenset[str]:
    """The words the YAML spells with a hyphen: a line may end at that hyphen (as check --pages reads them)."""
    from aidpress.audit import spelled_with_hyphens

    return spelled_with_hyphens(*sources)


def assert_clean(pdf: bytes, large_print: bool, name: str, source: frozenset[str] = frozenset(),
                 half_full: bool = True) -> None:
    """No defect; `half_full=False` for what is joined from separate handouts (a pack, a
    print run), whose parts each end where they end."""
    report = audit(pdf, min_size=floor(large_print), compounds=source, half_full=half_full)
    assert report.pages, name
    assert not report.defects, f"{name}:\n" + "\n".join(map(str, report.defects))


@pytest.mark.parametrize("large_print", PRINTS, ids=["regular", "large"])
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("path", AIDS + GENERIC, ids=lambda p: p.stem)
def test_every_aid_and_fixture_passes_the_audit(path, paper, large_print):
    rendered = render(load_aid(path), CLINIC, paper=paper, large_print=large_print)
    assert_clean(rendered.pdf, large_print, path.stem, compounds(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("large_print", PRINTS, ids=["regular", "large"])
@pytest.mark.parametrize("paper", PAPERS)
def test_the_pack_passes_the_audit(paper, large_print):
    pack_path = ROOT / "packs" / "waiting-room.yaml"
    pack = load_aid(pack_path)
    aids = [load_aid(p) for p in pack_members(pack)]
    rendered = render_pack(pack, aids, CLINIC, paper=paper, large_print=large_print)
    sources = compounds(*(p.read_text(encoding="utf-8") for p in [pack_path, *pack_members(pack)]))
    assert_clean(rendered.pdf, large_print, pack_path.stem, sources, half_full=False)


AFTERCARE = ROOT / "aids" / "aftercare-cupping.yaml"
FIELDS = ["name=Invented Person One", "date=2026-11-23", "area=lower back", "practitioner=Dr Example",
          "next_appointment=2026-11-30 10:00"]


@pytest.mark.parametrize("large_print", PRINTS, ids=["regular", "large"])
@pytest.mark.parametrize("paper", PAPERS)
def test_patient_sheets_pass_the_audit(tmp_path, paper, large_print):
    options = ["--paper", paper] + (["--large-print"] if large_print else [])
    single = tmp_path / "one.pdf"
    args = ["aftercare", str(AFTERCARE), "-o", str(single), *options]
    for f in FIELDS:
        args += ["--field", f]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert_clean(single.read_bytes(), large_print, "single sheet")

    merged = tmp_path / "all.pdf"
    result = CliRunner().invoke(main, ["aftercare", str(AFTERCARE), "--roster", str(ROOT / "examples" / "roster.csv"),
                                       "--merge", "-o", str(merged), *options])
    assert result.exit_code == 0, result.output
    assert_clean(merged.read_bytes(), large_print, "merged sheets", half_full=False)


# Two seeds, papers alternating in blocks of four (one aid of each kind), the second seed
# on the other paper first. Seeds 1-10 were all checked clean on both papers when the
# generator last changed; two keep the suite's time down (about 15 s).
RANDOM = [(f"{name}-s{seed}", text, PAPERS[(i // 4 + flip) % 2])
          for seed, flip in ((9, 0), (3, 1)) for i, (name, text) in enumerate(random_aids(seed=seed, count=24))]


@pytest.mark.parametrize("large_print", PRINTS, ids=["regular", "large"])
@pytest.mark.parametrize("name,text,paper", RANDOM, ids=[f"{n}-{p}" for n, _, p in RANDOM])
def test_random_aids_pass_the_audit(write_yaml, name, text, paper, large_print):
    aid = load_aid(write_yaml(text, name + ".yaml"))
    assert_clean(render(aid, CLINIC, paper=paper, large_print=large_print).pdf, large_print, f"{name} {paper}",
                 compounds(text))


# ── the audit finds what it is meant to find ──────────────────────────────────────────


class TaggedCanvas(Canvas):
    """A canvas whose pages are tagged as a handout's are (layouts/tagging.py): the units
    drawn on it become elements of a structure tree, which is what the audit reads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_ids, self.page_index = itertools.count(1000), 0

    def declare_unit(self, number, tag, role, parents, attrs):
        tagging.declare(self, number, tag, role, parents, attrs)

    def showPage(self):
        tagging.tag_page(self, self._code, self.page_index, lambda: next(self.unit_ids))
        self._code.append(tagging.header_artifact())  # the chrome, drawn after, as a handout's is
        chrome(self)
        self._code.append("EMC")
        super().showPage()
        engine.set_last_page_entry(self, "StructParents", self.page_index)
        self.page_index += 1

    def save(self):
        tagging.write(self, "Audit test", "en")
        super().save()


TAGGINGS = pytest.mark.parametrize("tagged", [False, True], ids=["marks", "tree"])


def page_with(draw, pages: int = 1, tagged: bool = False) -> bytes:
    """A PDF with the chrome's two rules (the frame: x 50–545, top rule at 792, bottom at 50)
    and whatever `draw(canvas, page)` adds; `tagged`: with a structure tree, its units read
    from the tree (a handout), else from the renderer's marks (a PDF rendered untagged)."""
    buffer = io.BytesIO()
    c = (TaggedCanvas if tagged else Canvas)(buffer, pagesize=(595, 842))
    for n in range(1, pages + 1):
        if not tagged:
            chrome(c)
        draw(c, n)
        c.showPage()
    c.save()
    return buffer.getvalue()


def chrome(c) -> None:
    c._code.append("/AidChrome BMC")
    c.line(50, 792, 545, 792)
    c.line(50, 50, 545, 50)
    c._code.append("EMC")


def unit(c, tag, mcid, draw, **kw):
    if isinstance(c, TaggedCanvas):
        ident = c.idents.setdefault(mcid, [None]) if hasattr(c, "idents") else None
        if ident is None:
            c.idents = {}
            ident = c.idents.setdefault(mcid, [None])
        units.begin(c, tag, ident, **kw)
        draw()
        units.end(c)
        return
    c._code.append(f"/{tag} <</MCID {mcid}>> BDC")
    draw()
    c._code.append("EMC")


def kinds(pdf: bytes, **kw) -> list[tuple[int, str]]:
    return [(d.page, d.kind) for d in audit(pdf, **kw).defects]


def test_a_clean_page_has_no_defects():
    assert kinds(page_with(lambda c, n: c.drawString(60, 700, "Hello"))) == []


def test_overlapping_text_is_found():
    def draw(c, n):
        c.drawString(60, 700, "continued from page 3")
        c.drawString(90, 703, "Not sure")
    assert kinds(page_with(draw)) == [(1, "overlap")]


def test_text_outside_the_frame_is_found():
    assert kinds(page_with(lambda c, n: c.drawString(60, 30, "Too low"))) == [(1, "outside-frame")]


def test_small_text_is_found():
    def draw(c, n):
        c.setFont("Helvetica", 14.4)
        c.drawString(60, 700, "Step 1")
    assert kinds(page_with(draw), min_size=16) == [(1, "small-text")]
    assert audit(page_with(draw)).smallest == pytest.approx(14.4)


def test_a_shrunk_patient_value_is_found_and_named_by_its_label():
    """A value stamped on a patient sheet (marked AidValue) below the floor, beside a
    label at body size: what the old fit did to a long name (8 pt beside a 12 pt label)."""
    def draw(size, label=12):
        def on(c, n):
            c.setFont("Helvetica", label)
            c.drawString(60, 700, "Patient name:")
            c.setFont("Helvetica-Bold", size)
            unit(c, "AidValue", 5, lambda: c.drawString(200, 700, "Invented Person"))
        return page_with(on)
    assert kinds(draw(8), min_size=10) == [(1, "shrunk-value")]
    detail = audit(draw(8), min_size=10).defects[0].detail
    assert "8.0 pt < 10 pt" in detail and "Patient name:" in detail and "Invented" not in detail
    assert kinds(draw(10), min_size=10) == []
    assert kinds(draw(12, label=18), min_size=16) == [(1, "shrunk-value")]  # large print


@TAGGINGS
def test_a_unit_split_over_two_pages_is_found(tagged):
    def draw(c, n):
        unit(c, "AidKeep", 7, lambda: c.drawString(60, 100 if n == 1 else 700, f"part {n}"))
    assert kinds(page_with(draw, pages=2, tagged=tagged)) == [(1, "split-unit")]


@TAGGINGS
def test_a_short_row_split_is_found_and_a_stub_of_one_line(tagged):
    def draw(c, n):
        for i in range(3 if n == 1 else 1):
            unit(c, "AidRow", 3, lambda: c.drawString(60, 100 - i * 15 if n == 1 else 700, f"line {i}"))
    assert kinds(page_with(draw, pages=2, tagged=tagged)) == [(1, "split-row")]


@TAGGINGS
def test_a_heading_at_the_foot_of_a_page_is_found(tagged):
    def draw(c, n):
        if n == 1:
            unit(c, "AidHead", 2, lambda: c.drawString(60, 80, "Sources"))
            c.drawString(60, 62, "1. only one line follows")
        else:
            c.drawString(60, 700, "2. the rest")
    assert kinds(page_with(draw, pages=2, tagged=tagged)) == [(1, "heading-alone")]


@TAGGINGS
def test_a_page_of_only_closing_matter_is_found(tagged):
    def draw(c, n):
        if n == 1:
            for i in range(40):
                c.drawString(60, 780 - i * 18, f"content line {i}")
        else:
            unit(c, "AidTrail", 5, lambda: c.drawString(60, 760, "Riverside Physio, 1 Example Road"))
    assert kinds(page_with(draw, pages=2, tagged=tagged)) == [(2, "trailing-page")]


def test_a_page_under_half_full_before_the_last_is_found_but_not_the_last():
    def draw(c, n):
        for i in range(10 if n == 1 else 40 if n == 2 else 3):  # 10 lines: about a fifth of the frame
            c.drawString(60, 780 - i * 18, f"content line {i}")
    assert kinds(page_with(draw, pages=3)) == [(1, "half-empty")]
    assert kinds(page_with(draw, pages=3), half_full=False) == []  # a pack's member may end short


@TAGGINGS
def test_a_short_block_split_is_found_and_a_long_one_may_split(tagged):
    def block(lines_each):
        def draw(c, n):
            # the block's part on each page, as a stacked comparison's aspect draws it: its
            # box (untagged: a unit's drawing counts) or its lines of text (a tagged PDF's
            # boxes are artifacts, its text the block's content)
            top = 100 + lines_each * 18 if n == 1 else 780

            def lines():
                for i in range(lines_each + 1):
                    c.drawString(60, top - i * 18, f"row {i}")
            unit(c, "AidBlock", 4, lines if tagged else lambda: c.rect(55, top - lines_each * 18, 480,
                                                                       lines_each * 18))
        return draw
    assert kinds(page_with(block(3), pages=2, tagged=tagged), half_full=False) == [(1, "split-block")]  # 2 × 54 pt
    assert kinds(page_with(block(12), pages=2, tagged=tagged), half_full=False) == []  # 2 × 216 pt: over half a frame


@TAGGINGS
def test_totals_parted_from_the_rules_for_reading_them_are_found(tagged):
    """A tagged quiz's totals row (a TR) and its rules (a P) are two elements sharing one
    tie number; untagged, one mark."""
    tie = {"attrs": {"tie": 1}} if tagged else {}

    def draw(c, n):
        if n == 1:
            for i in range(38):
                c.drawString(60, 780 - i * 18, f"question {i}")
            unit(c, "AidTie", 9, lambda: c.drawString(60, 90, "Total"), **tie)
        else:
            unit(c, "AidTie", 10 if tagged else 9, lambda: c.drawString(60, 760, "How to read your score"), **tie)
    assert kinds(page_with(draw, pages=2, tagged=tagged)) == [(1, "parted")]


def test_a_box_that_must_not_split_is_found_split_though_its_heading_is_a_unit_of_its_own():
    """A warning box: a group (kept whole) holding its heading (a heading unit) and its
    items. Split after its heading, the heading's page holds none of the items."""
    def draw(c, n):
        if n == 1:
            for i in range(38):
                c.drawString(60, 780 - i * 18, f"content line {i}")
            unit(c, "AidHead", 21, lambda: c.drawString(60, 90, "Call the clinic if"), parents=(c.box,))
            unit(c, "AidRow", 22, lambda: c.drawString(60, 72, "you have a fever"), parents=(c.box,))
        else:
            unit(c, "AidRow", 23, lambda: c.drawString(60, 760, "you bleed"), parents=(c.box,))
            unit(c, "AidRow", 24, lambda: c.drawString(60, 742, "Phone 020 7946 0321"), parents=(c.box,))

    def pdf():
        buffer = io.BytesIO()
        c = TaggedCanvas(buffer, pagesize=(595, 842))
        c.box = units.Node("Sect", "AidKeep")
        for n in (1, 2):
            draw(c, n)
            c.showPage()
        c.save()
        return buffer.getvalue()
    assert ("split-unit") in {kind for _, kind in kinds(pdf())}


# ── page budgets ──────────────────────────────────────────────────────────────────────


def checklist_yaml(items: int, budget: int) -> str:
    lines = ["kind: checklist", "title: Budgeted", f"max_pages: {budget}", "sections:"]
    for s in range(4):
        lines += [f"  - heading: Section {s}", "    items:"]
        lines += [f"      - Item {s}.{i} says one plain thing to do today." for i in range(items)]
    return "\n".join(lines + ["sources:", "  - Invented."]) + "\n"


def pages_at_designed_spacing(aid) -> int:
    from layouts import Attempt, build_pdf, prepare

    ctx, paper, flowables = prepare(aid, CLINIC, None, False, attempt=Attempt(density=0))
    return build_pdf(aid, CLINIC, ctx.scale, paper, flowables)[1]


def test_a_budget_is_met_by_closing_up_spacing_never_by_shrinking_body_type(write_yaml):
    from tests.readback import read

    from aidpress.errors import UnfitContent

    # The longest checklist that fits one page closed up needs two as designed.
    fitted = None
    for items in range(4, 20):
        aid = load_aid(write_yaml(checklist_yaml(items, 1)))
        try:
            fitted = (aid, render(aid, CLINIC))
        except UnfitContent:
            break
    aid, rendered = fitted
    assert pages_at_designed_spacing(aid) == 2
    assert rendered.pages == 1
    sizes = {round(size, 1) for page in read(rendered.pdf) for text, size in page.sizes if "Item" in text}
    assert sizes == {12.0}  # body text stays 12 pt


def test_a_budget_that_cannot_be_met_is_an_error_at_max_pages_saying_how_many_pages(write_yaml):
    from aidpress.commands.preflight import BuildOptions, preflight

    path = write_yaml(checklist_yaml(40, 1))
    needed = render(load_aid(write_yaml(checklist_yaml(40, 9), "free.yaml")), CLINIC).pages
    item, = preflight([path], CLINIC, BuildOptions())
    problem, = item.errors
    assert problem.path == ("max_pages",)
    assert f"needs {needed} pages" in problem.message and "max_pages is 1" in problem.message
    # located by the preflight at the key's own line (line 3 of the YAML)
    assert str(problem).startswith(f"{path}:3:1: error: max_pages: ")


def test_large_print_is_not_held_to_the_regular_print_budget(write_yaml):
    aid = load_aid(write_yaml(checklist_yaml(40, 1)))
    assert render(aid, CLINIC, large_print=True).pages > 1


# ── urgent outcomes in black and white ────────────────────────────────────────────────


def test_urgent_and_ordinary_outcomes_differ_in_grayscale(write_yaml):
    """Printed in grey, an urgent box has a label with an icon and a border at least twice
    as heavy as an ordinary box's, measured on the rendered pixels."""
    import pdfplumber
    import pypdfium2

    from tests.test_long_content import URGENT_CHART

    pdf = render(load_aid(write_yaml(URGENT_CHART)), CLINIC).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        words = {w["text"]: w for w in page.extract_words()}
        text = page.extract_text()
    assert "⚠ URGENT" in text
    scale = 4
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=scale, grayscale=True).to_pil().convert("L")

    def border_thickness(word: dict) -> int:
        """Dark pixels crossed going left from a word in the box to the box's edge."""
        y = int((word["top"] + word["bottom"]) / 2 * scale)
        x = int(word["x0"] * scale) - 2
        run, seen = 0, False
        while x > 0:
            dark = image.getpixel((x, y)) < 160
            if dark:
                run, seen = run + 1, True
            elif seen:
                return run
            x -= 1
        return run

    urgent, ordinary = border_thickness(words["emergency"]), border_thickness(words["Rest"])
    assert urgent >= 2 * ordinary > 0


# ── references name the page, as printed ───────────────────────────────────────────


def check_references(pdf: bytes) -> int:
    """Every "Go to step/box X (page N)" finds Step/Box X on printed page N, and every
    "continued from page N" follows the page printed as N. Returns how many were checked."""
    import re

    from tests.readback import page_numbers, read

    pages = read(pdf)
    printed = {n: page for (n, _), page in zip(page_numbers(pages), pages)}
    checked = 0
    for index, page in enumerate(pages):
        for kind, name, n in re.findall(r"Go to (step|box) (\w+) \(page (\d+)\)", page.text):
            assert f"{kind.capitalize()} {name}" in printed[int(n)].body, (kind, name, n)
            checked += 1
        for n in re.findall(r"continued from page (\d+)", page.body):
            assert page_numbers([pages[index - 1]])[0][0] == int(n)
            checked += 1
    return checked


@pytest.mark.parametrize("large_print", PRINTS, ids=["regular", "large"])
def test_go_to_and_continued_name_the_printed_page(large_print):
    aid = load_aid(ROOT / "tests" / "fixtures" / "generic" / "commute-flowchart-3way.yaml")
    assert check_references(render(aid, CLINIC, large_print=large_print).pdf) >= 3


def test_in_the_pack_a_chart_counts_pages_from_the_cover():
    pack = load_aid(ROOT / "packs" / "waiting-room.yaml")
    rendered = render_pack(pack, [load_aid(p) for p in pack_members(pack)], CLINIC, large_print=True)
    assert check_references(rendered.pdf) >= 1


# ── large print: as many flowchart steps on a page as fit ──────────────────────────


def step_units(pdf: bytes) -> list[tuple[int, float, float, str]]:
    """(page, top, bottom, text) of every flowchart step as drawn (its AidKeep unit:
    the question, its branches and arrows), in pdfplumber's top-down coordinates."""
    units = {key: parts for key, parts in drawn_units(pdf).items() if key[0] == "AidKeep"}
    out = []
    for parts in units.values():
        (number, _), objs = parts[0], [o for _, o in parts]
        text = "".join(o.get("text", "") for o in objs)
        out.append((number, min(o["top"] for o in objs), max(o["bottom"] for o in objs), text))
    return sorted(out)


@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_puts_as_many_flowchart_steps_on_a_page_as_fit(paper):
    """The seed chart's four steps (aids/decision-flowchart.yaml) in large print.

    Steps never split, so a page ends where the next step would not fit; a page is
    wasted when a closer spacing would have let it fit. Asserted: (1) at every break
    between steps, the next step as drawn is taller than the room left on the page
    before it (the audit's frame-used measure); (2) the chart takes two pages, two
    steps each — 1–2 under the title, 3–4 — where the spacing as designed gave three,
    the first half empty; (3) so each of its pages is at least three quarters full
    (the audit's own bar for a unit a page could have held)."""
    aid = load_aid(ROOT / "aids" / "decision-flowchart.yaml")
    pdf = render(aid, CLINIC, paper=paper, large_print=True).pdf
    report = audit(pdf, min_size=LARGE_FLOOR)
    assert not report.defects
    steps = step_units(pdf)
    assert len(steps) == len([n for n in aid.nodes.values() if hasattr(n, "question")])  # a unit per step
    frame = frame_height(pdf)
    chart_pages = sorted({page for page, *_ in steps})
    for (page, _, _, _), (next_page, top, bottom, _) in zip(steps, steps[1:]):
        if next_page != page:
            assert (bottom - top) / frame > 1 - report.pages[page - 1].used
    assert chart_pages == [1, 2]
    assert [page for page, *_ in steps] == [1, 1, 2, 2]
    for page in chart_pages:
        assert report.pages[page - 1].used >= 0.75


def frame_height(pdf: bytes) -> float:
    """The frame's height: between the chrome's header and footer rules (as the audit)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        rules = [ln for ln in doc.pages[0].lines if ln.get("tag") == "AidChrome" and abs(ln["top"] - ln["bottom"]) < 0.5]
    return max(r["top"] for r in rules) - min(r["bottom"] for r in rules)


CHECKLISTS = [p for p in AIDS + GENERIC if load_aid(p).kind == "checklist"]


@pytest.mark.parametrize("large_print", PRINTS, ids=["regular", "large"])
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("path", CHECKLISTS, ids=lambda p: p.stem)
def test_an_instruction_sheet_never_grows_a_page_for_its_sources_and_address(path, paper, large_print):
    """A checklist has no About block to make a back page worth printing: its closing
    matter (the sources line and the clinic box) always shares a page with content,
    however much of a page it would fill alone."""
    rendered = render(load_aid(path), CLINIC, paper=paper, large_print=large_print)
    assert not audit(rendered.pdf).pages[-1].trailing_only


# ── large print that does not waste paper (issue 18) ─────────────────────────────────

FLOWCHARTS = [p for p in AIDS + GENERIC if load_aid(p).kind == "flowchart"]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("path", FLOWCHARTS, ids=lambda p: p.stem)
def test_every_large_print_chart_puts_as_many_steps_on_a_page_as_fit(path, paper):
    """At every page break between steps, the step that begins the next page is taller
    than the room left on the page before (as the audit measures both): no step was
    pushed over that could have been drawn there. The 13-node fixture
    (commute-flowchart-13) took 5 pages on Letter in large print when first made."""
    pdf = render(load_aid(path), CLINIC, paper=paper, large_print=True).pdf
    report = audit(pdf, min_size=LARGE_FLOOR)
    frame = frame_height(pdf)
    steps = step_units(pdf)
    assert steps
    for (page, *_), (next_page, top, bottom, text) in zip(steps, steps[1:]):
        if next_page != page:
            assert (bottom - top) / frame > 1 - report.pages[page - 1].used, (page, text[:40])


@pytest.mark.parametrize("large_print", PRINTS, ids=["regular", "large"])
@pytest.mark.parametrize("paper", PAPERS)
def test_the_seed_quiz_prints_its_scoring_rules_on_the_page_of_its_totals(paper, large_print):
    """Read back: the page holding the totals row ("Total — add up each column", the
    label from aidpress/labels.py) also holds the heading "How to read your score" and
    the first rule after it."""
    from tests.readback import read

    from aidpress.labels import LABELS

    aid = load_aid(ROOT / "aids" / "decision-quiz.yaml")
    pages = read(render(aid, CLINIC, paper=paper, large_print=large_print).pdf)
    total = " ".join(LABELS["total"].split())
    with_total = [i for i, page in enumerate(pages) if total in " ".join(page.body.split())]
    with_rules = [i for i, page in enumerate(pages) if LABELS["how_to_read"] in " ".join(page.body.split())]
    assert len(with_total) == 1 and with_total == with_rules


def budget_yaml(budget: str) -> str:
    return checklist_yaml(12, 1).replace("max_pages: 1", f"max_pages: {budget}")


def test_max_pages_takes_a_budget_per_print_size(write_yaml):
    """`max_pages: {regular: N, large_print: M}`: each print size held to its own number;
    a size left out has none; a plain number is regular print's alone (tested above)."""
    from aidpress.commands.preflight import BuildOptions, preflight

    roomy = load_aid(write_yaml(budget_yaml("{regular: 9, large_print: 9}"), "roomy.yaml"))
    regular, large = render(roomy, CLINIC).pages, render(roomy, CLINIC, large_print=True).pages
    assert regular < large  # the same content needs more pages in large print
    fits = load_aid(write_yaml(budget_yaml(f"{{regular: {regular}, large_print: {large}}}"), "fits.yaml"))
    assert render(fits, CLINIC, large_print=True).pages == large
    regular_only = load_aid(write_yaml(budget_yaml(f"{{regular: {regular}}}"), "regular.yaml"))
    assert render(regular_only, CLINIC, large_print=True).pages == large

    path = write_yaml(budget_yaml(f"{{regular: {regular}, large_print: 1}}"), "tight.yaml")
    assert not preflight([path], CLINIC, BuildOptions())[0].errors  # regular print meets its budget
    item, = preflight([path], CLINIC, BuildOptions(large_print=True))
    problem, = item.errors
    assert problem.path == ("max_pages", "large_print")
    assert f"needs {large} pages" in problem.message and "max_pages.large_print is 1" in problem.message
    assert str(problem).startswith(f"{path}:3:")  # the max_pages line


def test_max_pages_per_print_size_is_checked_like_any_key(write_yaml):
    from aidpress.errors import InvalidAid

    with pytest.raises(InvalidAid) as caught:
        load_aid(write_yaml(budget_yaml("{regular: 2, large: 4}")))
    assert ":3:25: error: max_pages: unknown key 'large' (did you mean 'large_print'?)" in str(caught.value)
