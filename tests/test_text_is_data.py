"""YAML text never reaches ReportLab as markup: it prints literally."""

from __future__ import annotations

import io

import pdfplumber

from aidpress.validate import load_aid
from layouts import render

from .conftest import CLINIC
from .readback import body_text

TRICKY = [
    "score > 2",
    "A & B",
    "AT&T",
    "<b>not bold</b>",
    '<font color="red">plain</font>',
    '<a href="https://example.org">no link</a>',
    '<img src="/etc/passwd"/>',
    "a<b",
    "&amp; stays as typed",
]


def test_markup_in_yaml_prints_literally(write_yaml):
    items = "\n".join(f"      - '{t}'" for t in TRICKY)
    path = write_yaml(f"kind: checklist\ntitle: 'Title <i>x</i> & y'\nsections:\n  - heading: H\n    items:\n{items}\n")
    pdf = render(load_aid(path), CLINIC).pdf
    text = body_text(pdf)
    assert "Title <i>x</i> & y" in text
    for t in TRICKY:
        assert t in text
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        assert not page.annots and not page.hyperlinks and not page.images
        bold_chars = {c["text"] for c in page.chars if "Bold" in c["fontname"] and c["top"] > 150}
        # '<b>not bold</b>' is set in the regular face like the other items
        line = [c for c in page.chars if c["text"] == "n" and "Bold" not in c["fontname"]]
        assert line
        assert "<" not in bold_chars
