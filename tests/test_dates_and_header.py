"""Issue 18 point 7: every printed date in the one unambiguous form patients' sheets use,
and a running header that stays on one line.

Expected dates are worked out by hand from the YAML below (2026-03-04 is the 4th of March:
"4 Mar 2026"; a day and month both under 13, so a numeric style could be misread). The
header is read back with pdfplumber: the words above the header rule.
"""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from pypdf import PdfReader

from aidpress.dates import printed
from aidpress.model import Clinic
from aidpress.patient import friendly_date
from aidpress.validate import load_aid, load_from_file, pack_members
from layouts import render
from layouts.pack import render_pack

from .conftest import AIDS, ROOT
from .readback import norm, read

STYLES = ["year-month-day", "day/month/year"]  # the default, and a UK clinic's

COMPARISON = """
kind: comparison
title: Walking or cycling to work
updated: 2026-03-04
review_by: 2027-02-01
version: "1.0"
options: {walk: Walking, bike: Cycling}
rows: [{aspect: Cost, cells: {walk: Shoes only., bike: A bike and its upkeep.}}]
sources: [Invented for aidpress tests (2026).]
"""

CHECKLIST = """
kind: checklist
title: Before you ride
updated: 2026-03-04
review_by: 2027-02-01
sections: [{heading: Check, items: [Pump the tyres.]}]
sources: [Invented for aidpress tests (2026).]
"""

ISO_OR_NUMERIC = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b")


def test_one_formatter_prints_a_patient_s_date_and_a_leaflet_s():
    # 4 Mar 2026 was a Wednesday (calendar)
    import datetime

    assert printed(datetime.date(2026, 3, 4), weekday=False) == "4 Mar 2026"
    assert printed(datetime.date(2026, 3, 4)) == "Wed 4 Mar 2026"
    assert friendly_date("04/03/2026 09:15", "day/month/year") == "Wed 4 Mar 2026, 09:15"


@pytest.mark.parametrize("date_format", STYLES)
def test_footer_and_about_block_print_dates_spelled_out(write_yaml, date_format):
    clinic = Clinic(name="Riverside", phone="1", date_format=date_format)
    aid = load_aid(write_yaml(COMPARISON))
    pages = read(render(aid, clinic).pdf)
    text = " ".join(p.text for p in pages)
    assert "Version 1.0 · updated 4 Mar 2026" in pages[0].text  # the footer
    assert "Produced: 4 Mar 2026 · Review by: 1 Feb 2027" in text  # About this leaflet
    assert ISO_OR_NUMERIC.findall(text) == []


@pytest.mark.parametrize("date_format", STYLES)
def test_an_instruction_sheet_s_dates_line_prints_them_spelled_out(write_yaml, date_format):
    clinic = Clinic(name="Riverside", phone="1", date_format=date_format)
    text = " ".join(p.text for p in read(render(load_aid(write_yaml(CHECKLIST)), clinic).pdf))
    assert "Produced: 4 Mar 2026 · Review by: 1 Feb 2027" in text
    assert ISO_OR_NUMERIC.findall(text) == []


@pytest.mark.parametrize("date_format", STYLES)
def test_a_pack_cover_prints_its_latest_date_spelled_out(write_yaml, date_format):
    write_yaml(COMPARISON, "walk.yaml")
    write_yaml(CHECKLIST.replace("2026-03-04", "2026-05-06"), "ride.yaml")  # the latest date
    pack = load_aid(write_yaml("kind: pack\ntitle: Getting to work\nupdated: 2026-04-01\n"
                               "aids: [walk.yaml, ride.yaml]\n", "pack.yaml"))
    aids = [load_aid(p) for p in pack_members(pack)]
    clinic = Clinic(name="Riverside", phone="1", date_format=date_format)
    pages = read(render_pack(pack, aids, clinic).pdf)
    assert "Updated 6 May 2026" in pages[0].body  # the cover: "Updated", and "May" keeps its capital
    assert ISO_OR_NUMERIC.findall(" ".join(p.text for p in pages)) == []


# ── the running header ───────────────────────────────────────────────────────────

SEED_CLINIC = load_from_file(ROOT / "clinic.yaml", Clinic).value
CLINIC_LINE = "Riverside Physio & Wellbeing · Phone 020 7946 0321"  # clinic.yaml's name and phone
VARIANTS = [("a4", False), ("letter", False), ("a4", True)]


def header_lines(pdf: bytes) -> list[tuple[str, str, int]]:
    """Each page's header: (title as printed, the rest, how many baselines its letters sit on)."""
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            rules = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.5
                     and ln["x1"] - ln["x0"] > page.width / 2]
            top_rule = min(rules, key=lambda ln: ln["top"])
            band = page.crop((0, 0, page.width, top_rule["top"]))
            baselines = {round(c["matrix"][5], 1) for c in band.chars}
            words = band.extract_words(extra_attrs=["fontname"])
            title = " ".join(w["text"] for w in words if "Bold" in w["fontname"])
            rest = " ".join(w["text"] for w in words if "Bold" not in w["fontname"])
            out.append((title, rest, len(baselines)))
    return out


@pytest.mark.parametrize("paper, large_print", VARIANTS, ids=["a4", "letter", "large-print"])
@pytest.mark.parametrize("path", AIDS, ids=[p.stem for p in AIDS])
def test_the_running_header_is_one_line_and_shortens_only_the_title(path, paper, large_print):
    aid = load_aid(path)
    pdf = render(aid, SEED_CLINIC, paper=paper, large_print=large_print).pdf
    for number, (title, rest, baselines) in enumerate(header_lines(pdf), 1):
        assert baselines == 1, f"page {number}: the header is on {baselines} lines"
        assert norm(rest) == norm(CLINIC_LINE), f"page {number}"  # never cut short
        if title != aid.title:  # shortened: two or more whole words of the title, then "…" (or left out)
            assert title == "" or (title.endswith("…") and aid.title.startswith(title[:-1])
                                   and aid.title[len(title) - 1] in " ,;:" and len(title.split()) >= 2), \
                f"page {number}: {title!r}"
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == aid.title  # the full title stays in the metadata
    assert norm(aid.title) in read(pdf)[0].body  # and on page 1, as its heading


def test_the_key_factors_header_is_shortened_on_a4_and_keeps_its_title_elsewhere():
    """The case the issue saw wrap onto two lines: now one line, "…" at a word's end."""
    aid = load_aid(ROOT / "aids" / "key-factors.yaml")
    title, rest, baselines = header_lines(render(aid, SEED_CLINIC, paper="a4").pdf)[0]
    assert (baselines, norm(rest)) == (1, norm(CLINIC_LINE))
    assert title.endswith("…") and len(title) < len(aid.title)
    assert aid.title.startswith(title[:-1]) and aid.title[len(title) - 1] == " "
    pdf = render(aid, SEED_CLINIC, paper="a4").pdf
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "What to think about before you choose"  # the YAML's
