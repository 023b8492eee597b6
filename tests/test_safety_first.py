"""Issue 15, points 1–3: what keeps a patient safe reaches them whole and first.

A checklist's warning box (heading, every item, the clinic's phone and emergency route)
is one unit on page 1 in every variant; a flowchart's urgent outcome stands out in
grayscale and carries the emergency route; a quiz can open with a red-flag question.
Every test reads the built PDF back; expected texts come from the YAML, the clinic
profile or aidpress's own labels."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from aidpress.audit import audit
from aidpress.labels import LABELS
from aidpress.model import Checklist, Clinic
from aidpress.validate import load_aid, load_clinic
from cli import main
from layouts import render

from .conftest import ROOT
from .readback import assert_in_order, norm, read

PROFILE = load_clinic(ROOT / "clinic.yaml")
CHECKLISTS_WITH_WARNINGS = [
    ROOT / "aids" / "aftercare-cupping.yaml",
    ROOT / "aids" / "aftercare-dry-needling.yaml",
    ROOT / "tests" / "fixtures" / "generic" / "commute-checklist.yaml",  # its warning comes last in the YAML
    ROOT / "tests" / "fixtures" / "generic" / "commute-after-repair.yaml",
    ROOT / "tests" / "fixtures" / "sheets" / "garden-care.yaml",  # warning last, custom fields
    ROOT / "aidpress" / "starter" / "aids" / "before-your-visit.yaml",
]
VARIANTS = pytest.mark.parametrize("paper, large_print", [("a4", False), ("letter", False), ("a4", True),
                                                          ("letter", True)],
                                   ids=["a4", "letter", "a4-large", "letter-large"])


def warning_texts(aid: Checklist, clinic: Clinic, index: int | None = None) -> list[list[str]]:
    """Each warning section's texts as printed, in order: heading, intro, items, phone, route."""
    out = []
    for section in aid.sections:
        if not section.warning or (index is not None and section is not aid.sections[index]):
            continue
        texts = [section.heading] + ([section.intro] if section.intro else [])
        for item in section.items:
            texts += [item.text, *item.details]
        texts += [f"{LABELS['call_clinic']}: {clinic.phone}", f"{LABELS['emergency']}: {clinic.emergency}"]
        out.append(texts)
    return out


def assert_whole_on(pages, texts: list[str], page: int) -> None:
    """Every text of one warning box, in order, on one page (0-based)."""
    assert_in_order(pages[page].body, texts)
    for other in range(len(pages)):
        if other != page:  # no part of the box printed elsewhere (the items are unique to it)
            assert all(norm(t) not in pages[other].body for t in texts[1:-2]), (other, texts)


def no_split_units(pdf: bytes) -> None:
    assert [d for d in audit(pdf).defects if d.kind in ("split-unit", "split-row")] == []


# ── point 1: the warning box, whole and on page 1 ────────────────────────────────


def test_the_large_print_cupping_aftercare_keeps_its_warning_box_whole_on_page_1(tmp_path):
    """The reported case: built as a user builds it. Before the fix the phone and the
    emergency route went over to page 2 without their heading."""
    aid_file = ROOT / "aids" / "aftercare-cupping.yaml"
    result = CliRunner().invoke(main, ["build", "--large-print", "--clinic", str(ROOT / "clinic.yaml"),
                                       "--out", str(tmp_path), str(aid_file)])
    assert result.exit_code == 0, result.stderr
    pdf = (tmp_path / "aftercare-cupping-large-print.pdf").read_bytes()
    pages = read(pdf)
    [texts] = warning_texts(load_aid(aid_file), PROFILE)
    assert_whole_on(pages, ["⚠ " + texts[0]] + texts[1:], 0)
    no_split_units(pdf)


@VARIANTS
@pytest.mark.parametrize("path", CHECKLISTS_WITH_WARNINGS, ids=lambda p: p.stem)
def test_every_warning_box_is_whole_on_page_1_before_the_other_sections(path, paper, large_print):
    aid = load_aid(path)
    pdf = render(aid, PROFILE, paper=paper, large_print=large_print).pdf
    pages = read(pdf)
    boxes = warning_texts(aid, PROFILE)
    for texts in boxes:
        assert_whole_on(pages, texts, 0)
    # Warnings before every other section, which keep their YAML order.
    others = [s.heading for s in aid.sections if not s.warning]
    assert_in_order(" \f ".join(p.body for p in pages), [t for box in boxes for t in box] + others)
    no_split_units(pdf)


LONG_ITEM = ("If the pain in the treated area grows worse over the next two days instead of easing, and "
             "rest, cold packs and gentle movement do not help it at all")


def test_warnings_too_many_for_page_1_each_move_over_whole(write_yaml):
    """Three boxes of half a page each: the third cannot share page 1 and goes to page 2
    whole — never its heading on one page and its items on the next."""
    sections = "".join(f"  - heading: Warning {n}\n    warning: true\n    items:\n"
                       + "".join(f'      - "{LONG_ITEM} ({n}.{i})."\n' for i in range(5)) for n in range(3))
    path = write_yaml("kind: checklist\ntitle: Three warnings\nsections:\n" + sections)
    aid = load_aid(path)
    for paper, large in (("a4", False), ("letter", False)):
        pdf = render(aid, PROFILE, paper=paper, large_print=large).pdf
        pages = read(pdf)
        assert len(pages) >= 2
        for index, texts in enumerate(warning_texts(aid, PROFILE)):
            page = next(i for i, p in enumerate(pages) if norm(texts[1]) in p.body)
            assert index > 0 or page == 0
            assert_whole_on(pages, texts, page)
        no_split_units(pdf)


def test_a_warning_box_taller_than_a_page_is_a_located_error(write_yaml):
    items = "".join(f'      - "{LONG_ITEM} ({i})."\n' for i in range(40))
    path = write_yaml("kind: checklist\ntitle: Too much to warn about\nsections:\n"
                      "  - heading: What to do\n    items: [Rest]\n"
                      "  - heading: Call us if\n    warning: true\n    items:\n" + items)
    for args in (["build", "--out", str(path.parent / "out")], ["check"]):
        result = CliRunner().invoke(main, [*args, "--clinic", str(ROOT / "clinic.yaml"), str(path)])
        assert result.exit_code == 1
        said = result.stdout + result.stderr  # check reports on stdout, build on stderr
        assert f"{path}:6:5: error: sections[1]: the warning section 'Call us if' of 'Too much to warn about' " \
               "is taller than a page" in said, said
        assert "Traceback" not in said
    assert not (path.parent / "out" / "aid.pdf").exists()


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large"])
def test_in_a_pack_each_aftercare_warning_box_is_whole_on_the_members_first_page(tmp_path, large_print):
    members = [ROOT / "aids" / "before-treatment.yaml", ROOT / "aids" / "aftercare-cupping.yaml",
               ROOT / "aids" / "aftercare-dry-needling.yaml"]
    pack = tmp_path / "pack.yaml"
    pack.write_text("kind: pack\ntitle: Aftercare pack\nupdated: 2026-11-24\naids:\n"
                    + "".join(f"  - {m}\n" for m in members))
    args = ["build", "--clinic", str(ROOT / "clinic.yaml"), "--out", str(tmp_path / "out"), str(pack)]
    result = CliRunner().invoke(main, args + (["--large-print"] if large_print else []))
    assert result.exit_code == 0, result.stderr
    [pdf] = list((tmp_path / "out").glob("*.pdf"))
    pages = read(pdf.read_bytes())
    for member in members[1:]:
        aid = load_aid(member)
        [texts] = warning_texts(aid, PROFILE)
        # The member's first page (its title opens it) holds the whole box.
        [page] = [p for p in pages if norm(aid.title) in p.body and norm(texts[1]) in p.body]
        assert_in_order(page.body, texts)
    no_split_units(pdf.read_bytes())


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large"])
def test_per_patient_sheets_merged_or_separate_keep_the_warning_box_whole_on_page_1(tmp_path, large_print):
    aid_file = ROOT / "aids" / "aftercare-cupping.yaml"
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date,area\nP1,Ann Example,2026-11-23,lower back\nP2,Bo Example,2026-11-24,neck\n")
    [texts] = warning_texts(load_aid(aid_file), PROFILE)
    extra = ["--clinic", str(ROOT / "clinic.yaml")] + (["--large-print"] if large_print else [])
    result = CliRunner().invoke(main, ["aftercare", str(aid_file), "--roster", str(roster),
                                       "--out", str(tmp_path / "separate"), *extra])
    assert result.exit_code == 0, result.stderr
    sheets = sorted((tmp_path / "separate").rglob("*.pdf"))
    assert len(sheets) == 2
    for sheet in sheets:
        pages = read(sheet.read_bytes())
        assert_whole_on(pages, texts, 0)
    merged = tmp_path / "merged.pdf"
    result = CliRunner().invoke(main, ["aftercare", str(aid_file), "--roster", str(roster), "--merge",
                                       "-o", str(merged), *extra])
    assert result.exit_code == 0, result.stderr
    pages = read(merged.read_bytes())
    firsts = [next(i for i, p in enumerate(pages) if name in p.text) for name in ("Ann Example", "Bo Example")]
    for first in firsts:
        assert_in_order(pages[first].body, texts)
    holding = [i for i, p in enumerate(pages) if norm(texts[1]) in p.body]
    assert holding == firsts


# ── point 2: an urgent outcome stands out on any printer ─────────────────────────

CHART = """\
kind: flowchart
title: Which way home?
nodes:
  q:
    question: Is the bridge closed?
    branches:
      "Yes, flooded": flood
      "No": walk
  flood:
    outcome: Stay where you are and get help now.
    urgent: true
    next_step: Do not cross the water.
  walk:
    outcome: Walk home over the bridge.
    next_step: Take the usual path.
"""


def box_around(page, word: str) -> dict:
    """The smallest stroked outline drawn around a word (an outcome's box)."""
    [found] = [w for w in page.extract_words() if w["text"] == word]
    around = [c for c in page.curves + page.rects if c.get("stroke") and c["x0"] < found["x0"]
              and c["x1"] > found["x1"] and c["top"] < found["top"] and c["bottom"] > found["bottom"]]
    return min(around, key=lambda c: (c["x1"] - c["x0"]) * (c["bottom"] - c["top"]))


def grey(pdf: bytes, page: int, scale: float):
    import pypdfium2

    return pypdfium2.PdfDocument(pdf)[page].render(scale=scale, grayscale=True).to_pil().convert("L")


def dark_band(image, box: dict, scale: float, inset: float) -> list[int]:
    """Grey levels of the rows inside a box (inset from its outline) that are dark across
    at least 80% of its width: a band of fill, not a line of text."""
    x0, x1 = int((box["x0"] + inset) * scale), int((box["x1"] - inset) * scale)
    rows = []
    for y in range(int((box["top"] + inset) * scale), int((box["bottom"] - inset) * scale)):
        values = [image.getpixel((x, y)) for x in range(x0, x1)]
        if sum(v < 120 for v in values) >= 0.8 * len(values):
            rows.append(sorted(values)[len(values) // 2])
    return rows


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large"])
def test_an_urgent_outcome_is_reversed_out_of_a_dark_band_as_the_warning_box_heading_is(write_yaml, large_print):
    import pdfplumber

    from layouts.scale import LARGE_BODY, REGULAR_BODY

    scale, body = 3, LARGE_BODY if large_print else REGULAR_BODY
    pdf = render(load_aid(write_yaml(CHART)), PROFILE, large_print=large_print).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        urgent, ordinary = box_around(page, "Stay"), box_around(page, "Walk")
        urgent_text = norm(page.crop((urgent["x0"], urgent["top"], urgent["x1"], urgent["bottom"])).extract_text())
        ordinary_text = norm(page.crop((ordinary["x0"], ordinary["top"], ordinary["x1"],
                                        ordinary["bottom"])).extract_text())
    image = grey(pdf, 0, scale)
    band, plain = dark_band(image, urgent, scale, 4), dark_band(image, ordinary, scale, 4)
    assert plain == []  # an ordinary outcome: no band at all
    assert len(band) >= body * scale  # at least a line of type high
    # As dark as the aftercare warning box's heading bar, measured the same way.
    sheet = render(load_aid(ROOT / "aids" / "aftercare-cupping.yaml"), PROFILE, large_print=large_print).pdf
    with pdfplumber.open(io.BytesIO(sheet)) as doc:
        words = doc.pages[0].extract_words()
        [heading] = [w for w in words if w["text"] == "Call"][:1]
        bar = {"x0": 60, "x1": float(doc.pages[0].width) - 60, "top": heading["top"] - 2,
               "bottom": heading["bottom"] + 2}
    reference = dark_band(grey(sheet, 0, scale), bar, scale, 0)
    assert reference and sorted(band)[len(band) // 2] <= sorted(reference)[len(reference) // 2] + 10
    # Read back: the reversed label with the way to emergency care, then the outcome.
    assert_in_order(urgent_text, [f"{LABELS['warning_mark']} {LABELS['urgent']} · "
                                  f"{LABELS['emergency']}: {PROFILE.emergency}",
                                  "Stay where you are and get help now.", "Next: Do not cross the water."])
    assert LABELS["urgent"] not in ordinary_text and LABELS["emergency"] not in ordinary_text


def test_without_an_emergency_route_the_urgent_outcome_has_a_line_to_write_it_on(write_yaml):
    import pdfplumber

    pdf = render(load_aid(write_yaml(CHART)), Clinic(name="Riverside", phone="01632 960000")).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        box = box_around(page, "Stay")
        inside = page.crop((box["x0"], box["top"], box["x1"], box["bottom"]))
        assert_in_order(norm(inside.extract_text()), ["Stay where you are", f"{LABELS['emergency']}:"])
        [label] = inside.search(f"{LABELS['emergency']}:")
        lines = [ln for ln in inside.lines if ln["x0"] > label["x1"] and abs(ln["top"] - label["bottom"]) < 6
                 and ln["x1"] - ln["x0"] > 0.3 * (box["x1"] - box["x0"])]
        assert len(lines) == 1


def test_the_seed_charts_urgent_outcome_carries_the_clinics_emergency_route():
    aid = load_aid(ROOT / "aids" / "decision-flowchart.yaml")
    [urgent] = [n for n in aid.nodes.values() if getattr(n, "urgent", False)]
    text = " \f ".join(p.body for p in read(render(aid, PROFILE).pdf))
    assert_in_order(text, [f"{LABELS['warning_mark']} {LABELS['urgent']} · {LABELS['emergency']}: "
                           f"{PROFILE.emergency}", urgent.outcome])

