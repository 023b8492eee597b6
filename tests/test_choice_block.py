"""Issue 15 point 7: "your choice", after the Ottawa Personal Decision Guide — the options
to tick and "Not sure yet", who else is helping, whether anyone is pressing, ruled lines
for questions, the next step with a date. Read back from the PDF: its text in order, its
tick boxes and its ruled lines (pdfplumber geometry). Expected texts come from the YAML
or aidpress's labels; counts are worked out by hand."""

from __future__ import annotations

import dataclasses
import io

import pdfplumber
import pytest

from aidpress.errors import InvalidAid
from aidpress.labels import LABELS
from aidpress.validate import load_aid, load_clinic
from layouts import render

from .conftest import CLINIC, ROOT
from .readback import assert_in_order, body_text, read
from .test_blocks import tick_rows

GENERIC = ROOT / "tests" / "fixtures" / "generic"
LAYOUTS = pytest.mark.parametrize("paper, large_print", [("a4", False), ("letter", False), ("a4", True)],
                                  ids=["a4", "letter", "a4-large"])
BLOCK = [LABELS["choice_not_sure"], LABELS["choice_helpers"], LABELS["choice_pressure"], LABELS["no"],
         LABELS["yes"]]


def with_choice(path):
    """A fixture aid from the generic set, asking for "your choice"."""
    return dataclasses.replace(load_aid(path), choice=True)


def ruled_lines_below(pdf: bytes, heading: str, last: str) -> int:
    """Horizontal stroked lines from the block's heading down to the line of `last`
    (the "By (date)" line), on the page where the heading is."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            words = page.extract_words()
            first_word = heading.split()[0].rstrip(":")
            tops = [w["top"] for w in words if w["text"].rstrip(":") == first_word]
            ends = [w["bottom"] for w in words if w["text"] == last.split()[-1] + ":" or w["text"] == last.split()[-1]]
            if not tops or not ends:
                continue
            top, bottom = min(tops), max(ends)
            return sum(1 for line in page.lines if top < line["top"] <= bottom + 4
                       and abs(line["top"] - line["bottom"]) < 0.5 and line["width"] > 30)
    raise AssertionError("heading not found")


@LAYOUTS
def test_a_worksheet_ends_with_your_choice(paper, large_print):
    aid = with_choice(GENERIC / "commute-worksheet.yaml")
    pdf = render(aid, CLINIC, paper=paper, large_print=large_print).pdf
    text = body_text(pdf)
    assert_in_order(text, [LABELS["sure_heading"], LABELS["choice_heading"], *aid.options.values(), *BLOCK,
                           LABELS["choice_questions"], LABELS["choice_next"], LABELS["choice_by"],
                           LABELS["about_heading"]])
    rows = tick_rows(pdf, large_print)
    # values: 4 rows of 6 + 3; SURE: 4 rows of Yes/No; then the options and "Not sure yet"
    # (one row of 4 in regular print, one a row in large print), then No/Yes for pressure
    choice_rows = [4] if not large_print else [1, 1, 1, 1]
    assert [len(r) for r in rows] == [9] * 4 + [2] * 4 + choice_rows + [2]
    # lines to write on: who helps, who presses, the questions (1 line; 3 in large
    # print), the next step and its date
    expected = 2 + (3 if large_print else 1) + 2
    assert ruled_lines_below(pdf, LABELS["choice_heading"], LABELS["choice_by"]) == expected


def test_any_aid_with_options_can_ask_for_it_in_its_own_words(write_yaml):
    aid = load_aid(write_yaml("""
        kind: quiz
        title: Bike or bus?
        options: {bike: Cycling, bus: Bus}
        questions:
          - question: Do you like rain?
            points: {"Yes": {bike: 2}, "No": {bus: 2}}
        scoring:
          lean: {bike: Try cycling., bus: Take the bus.}
          otherwise: Either would do.
        choice:
          heading: What will you do?
          intro: Tick the one you lean towards today.
        """))
    for large_print in (False, True):
        pdf = render(aid, CLINIC, large_print=large_print).pdf
        text = body_text(pdf)
        assert_in_order(text, ["Either would do.", "What will you do?", "Tick the one you lean towards today.",
                               "Cycling", "Bus", *BLOCK])
        assert LABELS["choice_heading"] not in text


def test_an_aid_without_options_cannot_ask_for_it(write_yaml):
    path = write_yaml("""
        kind: flowchart
        title: Stay or go?
        choice: true
        nodes:
          q: {question: "Is it raining?", branches: {Yes: stay, No: go}}
          stay: {outcome: Stay in.}
          go: {outcome: Go out.}
        """)
    with pytest.raises(InvalidAid) as err:
        load_aid(path)
    assert str(err.value).startswith(f"{path}:3:1: error: unknown key 'choice'")


def test_a_clinic_can_translate_it(tmp_path):
    profile = tmp_path / "clinic.yaml"
    profile.write_text("name: Praxis\nlabels:\n  choice_heading: Ihre Wahl\n  choice_not_sure: Noch unsicher\n")
    aid = with_choice(GENERIC / "commute-worksheet.yaml")
    text = body_text(render(aid, load_clinic(profile)).pdf)
    assert_in_order(text, ["Ihre Wahl", "Cycling", "Noch unsicher", LABELS["choice_helpers"]])


# ── the seeds: the worksheet and the comparisons end with it, within their budgets ──

SEEDS = ["decision-worksheet", "cupping-vs-dry-needling", "dry-needling-vs-acupuncture"]


@pytest.mark.parametrize("stem", SEEDS)
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_seed_worksheet_and_comparisons_end_with_your_choice(stem, paper):
    aid = load_aid(ROOT / "aids" / f"{stem}.yaml")
    assert aid.choice is True
    rendered = render(aid, load_clinic(ROOT / "clinic.yaml"), paper=paper)
    if aid.page_budget(False):
        assert rendered.pages <= aid.page_budget(False)
    pages = read(rendered.pdf)
    text = body_text(rendered.pdf)
    assert text.count(LABELS["choice_heading"]) == 1
    # after everything the aid asks of the patient, before About this leaflet
    last_of_content = [LABELS["sure_heading"]] if aid.sure else [aid.aspect_label]
    assert_in_order(text, [*last_of_content, LABELS["choice_heading"], *aid.options.values(), *BLOCK,
                           LABELS["choice_next"], LABELS["about_heading"]])
    assert LABELS["choice_heading"] in " ".join(p.body for p in pages[-2:])
