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


def test_warnings_that_cannot_all_be_on_page_1_are_said_by_check_and_build(write_yaml):
    """The boxes that go over still print whole, and the editor is told, at `sections:`."""
    sections = "".join(f"  - heading: Warning {n}\n    warning: true\n    items:\n"
                       + "".join(f'      - "{LONG_ITEM} ({n}.{i})."\n' for i in range(5)) for n in range(3))
    path = write_yaml("kind: checklist\ntitle: Three warnings\nsections:\n" + sections)
    for args in (["build", "--out", str(path.parent / "out")], ["check"]):
        result = CliRunner().invoke(main, [*args, "--clinic", str(ROOT / "clinic.yaml"), str(path)])
        said = result.stdout + result.stderr
        assert f"{path}:3:1: warning: sections: not every warning section fits on page 1" in said, said
    one = write_yaml("kind: checklist\ntitle: One warning\nsections:\n  - heading: Call us if\n    warning: true\n"
                     "    items: [You feel worse]\n", name="one.yaml")
    result = CliRunner().invoke(main, ["check", "--clinic", str(ROOT / "clinic.yaml"), str(one)])
    assert "page 1" not in result.stdout + result.stderr


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


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large"])
def test_without_an_emergency_route_the_urgent_outcome_has_a_line_to_write_it_on(write_yaml, large_print):
    import pdfplumber

    pdf = render(load_aid(write_yaml(CHART)), Clinic(name="Riverside", phone="01632 960000"),
                 large_print=large_print).pdf
    assert [d for d in audit(pdf).defects if d.kind == "outside-frame"] == []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        box = box_around(page, "Stay")
        inside = page.crop((box["x0"], box["top"], box["x1"], box["bottom"]))
        assert_in_order(norm(inside.extract_text()), ["Stay where you are", f"{LABELS['emergency']}:"])
        label = inside.search(f"{LABELS['emergency'].split()[-1]}:")[-1]  # its last line (a narrow box wraps it)
        # A line to write on: after the label where the box leaves room for it, else under it.
        after = [ln for ln in inside.lines if ln["x0"] > label["x1"] and abs(ln["top"] - label["bottom"]) < 6
                 and ln["x1"] - ln["x0"] > 0.3 * (box["x1"] - box["x0"])]
        under = [ln for ln in inside.lines if label["bottom"] < ln["top"] < label["bottom"] + 30
                 and ln["x1"] - ln["x0"] > 0.6 * (box["x1"] - box["x0"])]
        assert len(after + under) == 1


def test_the_seed_charts_urgent_outcome_carries_the_clinics_emergency_route():
    aid = load_aid(ROOT / "aids" / "decision-flowchart.yaml")
    [urgent] = [n for n in aid.nodes.values() if getattr(n, "urgent", False)]
    text = " \f ".join(p.body for p in read(render(aid, PROFILE).pdf))
    assert_in_order(text, [f"{LABELS['warning_mark']} {LABELS['urgent']} · {LABELS['emergency']}: "
                           f"{PROFILE.emergency}", urgent.outcome])


# ── point 3: a quiz may open with a red-flag question ─────────────────────────────

QUIZ = ROOT / "aids" / "decision-quiz.yaml"


def red_flag_texts(quiz, clinic: Clinic) -> list[str]:
    flag = quiz.red_flag
    return [flag.question, *([flag.help] if flag.help else []),
            f"{LABELS['yes']}: {flag.action or LABELS['red_flag_action']}",
            f"{LABELS['no']}: {LABELS['red_flag_if_no']}",
            f"{LABELS['call_clinic']}: {clinic.phone}", f"{LABELS['emergency']}: {clinic.emergency}"]


@VARIANTS
def test_the_seed_quiz_opens_with_its_red_flag_question_on_page_1(paper, large_print):
    quiz = load_aid(QUIZ)
    pdf = render(quiz, PROFILE, paper=paper, large_print=large_print).pdf
    pages = read(pdf)
    # Whole on page 1, before the quiz's table and its first question.
    assert_in_order(pages[0].body, red_flag_texts(quiz, PROFILE))
    assert_in_order(" \f ".join(p.body for p in pages), red_flag_texts(quiz, PROFILE) + [
        LABELS["question"], quiz.questions[0].question, LABELS["how_to_read"],
        "⚠ " + LABELS["red_flag_key"].format(answer="Yes")])
    no_split_units(pdf)


def test_the_red_flag_has_yes_and_no_boxes_and_no_points_boxes():
    import pdfplumber

    from layouts.scale import REGULAR_BODY, Scale

    quiz, scale = load_aid(QUIZ), Scale(REGULAR_BODY)
    pdf = render(quiz, PROFILE).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        squares = [r for r in page.rects if r["stroke"] and not r["fill"] and abs(r["width"] - r["height"]) < 0.5]
        first_question = page.search(quiz.questions[0].question)[0]
        above = [r for r in squares if r["bottom"] < first_question["top"]]
        # Above the first scored question: the Yes and No boxes, each just before its word.
        assert [r["width"] for r in above] == [pytest.approx(scale.tick, abs=0.5)] * 2
        for word, box in zip((f"{LABELS['yes']}:", f"{LABELS['no']}:"), sorted(above, key=lambda r: r["x0"])):
            [found] = [w for w in page.search(word) if w["bottom"] < first_question["top"]]
            assert 0 < found["x0"] - box["x1"] < scale.body * 1.5 and abs(found["top"] - box["top"]) < scale.body
    # Points boxes only for the scored questions and the totals.
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        points = [r for page in doc.pages for r in page.rects
                  if r["stroke"] and not r["fill"] and r["width"] == pytest.approx(scale.write_box, abs=0.5)]
    # one under each option a question can give points to; the totals row, one per option
    scored = sum(len({o for given in q.points.values() for o, p in given.items() if p}) for q in quiz.questions)
    assert len(points) == scored + len(quiz.options)


def test_the_red_flag_box_is_reversed_out_of_a_dark_band_in_grayscale():
    import pdfplumber

    from layouts.scale import REGULAR_BODY

    quiz, scale = load_aid(QUIZ), 3
    pdf = render(quiz, PROFILE).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        first = page.search(" ".join(quiz.red_flag.question.split()[:3]))[0]
        band = {"x0": 60, "x1": float(page.width) - 60, "top": first["top"] - 2, "bottom": first["bottom"] + 2}
    rows = dark_band(grey(pdf, 0, scale), band, scale, 0)
    assert len(rows) >= REGULAR_BODY * scale * 0.5 and sorted(rows)[len(rows) // 2] < 100


def test_a_yes_to_the_red_flag_stops_the_quiz_whatever_the_other_answers():
    import itertools

    from aidpress.scoring import score

    quiz = load_aid(QUIZ)
    choices = [quiz.answers_for(q) + (None,) for q in quiz.questions]
    for answers in itertools.islice(itertools.product(*choices), 0, None, 7):
        stopped = score(quiz, list(answers), red_flag="Yes")
        assert stopped.stopped and stopped.favoured is None and stopped.ruled_out == ()
        assert stopped.text == LABELS["red_flag_action"]  # the seed quiz keeps aidpress's wording
        assert set(stopped.totals.values()) == {0}
        assert score(quiz, list(answers), red_flag="No") == score(quiz, list(answers))
    with pytest.raises(ValueError):
        score(quiz, [None] * len(quiz.questions), red_flag="Maybe")


def test_the_seed_red_flag_names_the_seed_signs_for_any_pain_not_only_new_pain():
    """Seed 000 (source 1) names fever, progressive neurological loss, uncontrolled bleeding
    and severe swelling; these need care whether the pain is new or not."""
    import re

    quiz = load_aid(QUIZ)
    asked = quiz.red_flag.question.lower()
    for sign in ("growing numbness or weakness", "fever", "bleeding that won't stop", "severe swelling"):
        assert sign in asked  # the words every other decision aid uses for them
    assert "new or old pain" in asked and not re.search(r"\bis your pain new\b", asked)
    assert "Call Doctor Now" in quiz.sources[0]  # source 1 is seed 000


def test_any_quiz_can_have_a_red_flag_with_its_own_action_and_lines_to_write_on(write_yaml):
    path = write_yaml("""
        kind: quiz
        title: Which walk today?
        options: {hill: Hill walk, park: Park walk}
        red_flag:
          question: Do you have chest pain or feel faint?
          help: Ask yourself this before every walk.
          action: Do not walk today. Sit down and call for help.
        questions:
          - question: Do you want a view?
            points: {"Yes": {hill: 2}}
        scoring:
          lean: {hill: Try the hill., park: Try the park.}
          otherwise: Either is fine.
        """)
    quiz = load_aid(path)
    pdf = render(quiz, Clinic()).pdf
    first = read(pdf)[0].body
    assert_in_order(first, ["Do you have chest pain or feel faint?", "Ask yourself this before every walk.",
                            "Yes: Do not walk today. Sit down and call for help.", f"No: {LABELS['red_flag_if_no']}",
                            f"{LABELS['call_clinic']}:", f"{LABELS['emergency']}:", "Do you want a view?"])
    from aidpress.scoring import score

    assert score(quiz, ["Yes"], red_flag="Yes").text == "Do not walk today. Sit down and call for help."
    assert score(quiz, ["Yes"], red_flag="No").text == "Try the hill."


def test_a_misspelt_red_flag_key_is_a_located_error(write_yaml):
    from aidpress.errors import InvalidAid

    path = write_yaml("kind: quiz\ntitle: T\noptions: {a: A, b: B}\nred_flag:\n  question: Q?\n  acton: Stop.\n"
                      "questions:\n  - question: Q\n    points: {Yes: {a: 1}}\nscoring: {lean: {a: x, b: y}, otherwise: z}\n")
    with pytest.raises(InvalidAid) as err:
        load_aid(path)
    assert str(err.value) == f"{path}:6:3: error: red_flag: unknown key 'acton' (did you mean 'action'?)"
