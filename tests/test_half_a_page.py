""""Half a page" means one thing to the layout and to the page audit: half the page a
reader sees, from the rule under the header to the rule over the footer (not half the
frame the content is set in, which is shorter by the space around the rules)."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from aidpress.audit import audit
from aidpress.validate import load_aid
from layouts import context, render

from .conftest import CLINIC, ROOT
from .random_aids import random_aids
from .test_page_audit import compounds, floor


def rules(pdf: bytes) -> tuple[float, float]:
    """The first page's header rule and footer rule, as drawn: the highest and the lowest
    horizontal line spanning most of the page's width (pdfplumber's top-down points)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        wide = [ln["top"] for ln in page.lines if ln["x1"] - ln["x0"] > page.width * 0.6
                and abs(ln["top"] - ln["bottom"]) < 0.5]
    return min(wide), max(wide)


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_layout_s_page_height_is_the_distance_between_the_drawn_rules(paper, large_print):
    aid = load_aid(ROOT / "aids" / "key-factors.yaml")
    header, footer = rules(render(aid, CLINIC, paper=paper, large_print=large_print).pdf)
    ctx, _ = context(aid, CLINIC, paper, large_print)
    assert ctx.page_height == pytest.approx(footer - header, abs=0.01)
    assert ctx.page_height > ctx.frame_height  # the frame sits inside the rules, with room around it


def test_a_block_under_half_the_page_between_the_rules_is_not_split(write_yaml):
    """Random aid 20 of seed 17, four options stacked in A4 large print: its blocks of
    0.50-0.51 of the frame are 0.48-0.49 of the page between the rules. Laid out against
    the frame, one was split over pages 7 and 8, and the audit (which measures the page)
    called it a short block split; against the page alone, another (the audit measures a
    continued part from its first text, so a block's top padding less)."""
    name, text = random_aids(seed=17, count=24)[20]
    aid = load_aid(write_yaml(text, name + ".yaml"))
    report = audit(render(aid, CLINIC, paper="a4", large_print=True).pdf, min_size=floor(True),
                   compounds=compounds(text))
    assert [str(d) for d in report.defects if d.kind == "split-block"] == []
