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
