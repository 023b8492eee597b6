"""A phone number is never broken across lines: "+44 20 7946" / "0321" on the next line
sends a patient, reading in a hurry, to a wrong number."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from aidpress.validate import load_aid
from layouts import render

from .conftest import AIDS, CLINIC, GENERIC


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large-print"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("path", AIDS + GENERIC, ids=lambda p: p.stem)
def test_the_clinic_phone_is_whole_on_every_line_that_shows_it(path, paper, large_print):
    aid = load_aid(path)
    number = CLINIC.phone  # "+44 20 7946 0321"
    first, last = number.split()[0], number.split()[-1]
    pdf = render(aid, CLINIC, paper=paper, large_print=large_print).pdf
    shown = 0
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for line in (page.extract_text() or "").replace("\u00a0", " ").splitlines():
                if first in line or line.strip().startswith(last):
                    assert number in line, (page.page_number, line)
                    shown += 1
    assert shown >= len(doc.pages)  # the header line on every page, at least
