"""A comparison of 2–4 options stays a side-by-side grid in regular print (long words
hyphenate, columns balance); only large print stacks, and then the build says so."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from aidpress.validate import load_aid
from layouts import render

from .conftest import CLINIC, ROOT
from .readback import norm, read, text_lines

GENERIC = ROOT / "tests" / "fixtures" / "generic"


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("name", ["commute-comparison-3", "commute-comparison-4"])
def test_three_and_four_options_stay_side_by_side_in_regular_print(name, paper):
    aid = load_aid(GENERIC / f"{name}.yaml")
    rendered = render(aid, CLINIC, paper=paper)
    header = norm(" ".join([aid.aspect_label, *aid.options.values()]))
    # The header row, aspect label first, then every option, on one line: a grid.
    assert header in [norm(line) for line in text_lines(rendered.pdf)[0]]
    assert not rendered.warnings


def test_a_word_wider_than_its_column_is_hyphenated(write_yaml):
    """pyphen must be installed for ReportLab to hyphenate: without it, this fails."""
    word = "Electroencephalographically"
    path = write_yaml(f"""
        kind: comparison
        title: T
        options: {{a: A, b: B, c: C, d: D}}
        rows:
          - aspect: Who
            cells: {{a: {word} and more, b: x, c: y, d: z}}
        """)
    with pdfplumber.open(io.BytesIO(render(load_aid(path), CLINIC).pdf)) as doc:
        words = [w["text"] for w in doc.pages[0].extract_words()]
    head = next(w for w in words if w.endswith("-") and word.startswith(w[:-1]))
    assert word[len(head) - 1:] in words  # the rest of the word begins the next line
    assert word not in words


def test_large_print_stacks_says_so_and_keeps_the_aspect_label():
    aid = load_aid(GENERIC / "commute-comparison-4.yaml")
    rendered = render(aid, CLINIC, large_print=True)
    assert [w.severity for w in rendered.warnings] == ["warning"]
    assert "side by side in large print" in rendered.warnings[0].message
    body = " ".join(p.body for p in read(rendered.pdf))
    for row in aid.rows:
        assert norm(f"{aid.aspect_label}: {row.aspect}") in body


WIDE = GENERIC / "commute-comparison-wide.yaml"
FIGURES = ["£13,840–£14,120.", "£12,960–£13,480.", "£11,150–£11,390.", "£11,720–£11,980."]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_grid_too_wide_for_portrait_is_set_on_landscape_pages(paper):
    """Four columns each holding a figure that cannot break: on a portrait page each
    option's column gets at most the frame less the aspect column (≥ 17% of it), shared
    four ways, and a figure with its cell padding (1.5 × 0.4 × 12 pt a side) needs more."""
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from pypdf import PdfReader

    from aidpress.audit import audit
    from layouts.page import register_fonts

    from .readback import assert_in_order, body_text, expected_texts

    register_fonts()
    frame = (A4 if paper == "a4" else LETTER)[0] - 2 * 16 * mm
    padding = 2 * 1.5 * 0.4 * 12
    assert all(stringWidth(f, "DejaVuSans", 12) + padding > frame * 0.83 / 4 for f in FIGURES)

    aid = load_aid(WIDE)
    rendered = render(aid, CLINIC, paper=paper)
    assert [w.severity for w in rendered.warnings] == ["warning"]
    assert "landscape" in rendered.warnings[0].message
    pages = PdfReader(io.BytesIO(rendered.pdf)).pages
    assert all(p.mediabox.width > p.mediabox.height for p in pages)  # the table's pages: here, all
    # Still a grid: the header row on one line, each figure whole on a line of its own cell.
    lines = [norm(line) for page in text_lines(rendered.pdf) for line in page]
    assert norm(" ".join([aid.aspect_label, *aid.options.values()])) in lines
    assert norm(" ".join(["Cost a year", *FIGURES])) in lines
    assert_in_order(body_text(rendered.pdf), expected_texts(aid))
    assert not audit(rendered.pdf, min_size=10).defects


def test_a_grid_that_fits_portrait_stays_portrait():
    rendered = render(load_aid(GENERIC / "commute-comparison-4.yaml"), CLINIC)
    from pypdf import PdfReader

    assert all(p.mediabox.width < p.mediabox.height for p in PdfReader(io.BytesIO(rendered.pdf)).pages)
