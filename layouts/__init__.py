"""Stage 3, render: a validated aid → PDF bytes.

One module per aid kind, each a pure function `render(aid, ctx) -> flowables`; the
explicit mapping below says which handles which kind. Blocks any aid with options may
add (values worksheet, SURE test) follow in blocks.py; page.py owns the page itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from aidpress.model import Aid, Checklist, Clinic, Comparison, Flowchart, Quiz, Worksheet

from . import blocks, checklist, comparison, flowchart, quiz, worksheet
from .common import Context, closing, opening
from .page import build_pdf, chrome_for, frame_size, register_fonts
from .scale import LARGE_BODY, REGULAR_BODY, Scale

# ReportLab's own "cannot place this" error, for callers that must not import ReportLab.
from reportlab.platypus.doctemplate import LayoutError as LayoutFailed  # noqa: E402

RENDERERS = {
    Quiz: quiz.render,
    Flowchart: flowchart.render,
    Comparison: comparison.render,
    Checklist: checklist.render,
    Worksheet: worksheet.render,
}


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


def context(aid: Aid, clinic: Clinic, paper: str | None, large_print: bool,
            slots: list | None = None) -> tuple[Context, str]:
    """The type scale and frame a handout is laid out in, and its paper size."""
    register_fonts()
    paper = paper or clinic.paper
    scale = Scale(LARGE_BODY if large_print else REGULAR_BODY, clinic.accent)
    width, height = frame_size(scale, chrome_for(aid, clinic, scale), paper)
    return Context(scale, clinic, width, height, slots), paper


def prepare(aid: Aid, clinic: Clinic, paper: str | None, large_print: bool, slots: list | None = None):
    """The flowables of a handout and what build_pdf needs to place them."""
    ctx, paper = context(aid, clinic, paper, large_print, slots)
    body = RENDERERS[type(aid)](aid, ctx) + blocks.render(aid, ctx)  # + values worksheet, SURE test
    return ctx, paper, opening(aid, ctx) + body + closing(aid, ctx)


def render(aid: Aid, clinic: Clinic, *, paper: str | None = None, large_print: bool = False,
           first_page: int = 1, total_pages: int | None = None) -> Rendered:
    """The PDF of one handout. In a pack, its pages are numbered from first_page of total_pages."""
    ctx, paper, flowables = prepare(aid, clinic, paper, large_print)
    pdf, pages = build_pdf(aid, clinic, ctx.scale, paper, flowables, first_page=first_page, total_pages=total_pages)
    return Rendered(pdf, pages)
