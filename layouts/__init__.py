"""Stage 3, render: a validated aid → PDF bytes.

One module per aid kind, each a pure function `render(aid, ctx) -> flowables`; the
explicit mapping below says which handles which kind. Blocks any aid with options may
add (values worksheet, SURE test) follow in blocks.py; page.py owns the page itself.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from aidpress.errors import UnfitContent
from aidpress.model import Aid, Checklist, Clinic, Comparison, Flowchart, Quiz, Worksheet

from . import engine  # noqa: F401  first: it imports ReportLab with its costly start-up put off
from . import blocks
from .common import Context, closing, opening
from .page import build_pdf, chrome_for, frame_size, register_fonts
from .scale import DENSITY, LARGE_BODY, REGULAR_BODY, Scale

# ReportLab's own "cannot place this" error, for callers that must not import ReportLab.
from reportlab.platypus.doctemplate import LayoutError as LayoutFailed  # noqa: E402

TRAILING_LITTLE = 0.25  # as aidpress/audit.py: a page of only closing matter filled less than this is waste

# Which module renders which kind. Imported on first use: a patient sheet needs only the
# checklist's, and a process's start-up counts when a practitioner prints a day's sheets.
RENDERERS = {
    Quiz: "quiz",
    Flowchart: "flowchart",
    Comparison: "comparison",
    Checklist: "checklist",
    Worksheet: "worksheet",
}


def renderer(aid: Aid):
    """The kind module's `render(aid, ctx) -> flowables` for this aid."""
    return importlib.import_module(f"{__name__}.{RENDERERS[type(aid)]}").render


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    warnings: tuple = ()  # Problems to report (e.g. a comparison stacked in large print)


def context(aid: Aid, clinic: Clinic, paper: str | None, large_print: bool,
            slots: list | None = None, density: int = 0, known_pages: dict | None = None) -> tuple[Context, str]:
    """The type scale and frame a handout is laid out in, and its paper size."""
    register_fonts()
    paper = paper or clinic.paper
    scale = Scale(LARGE_BODY if large_print else REGULAR_BODY, clinic.accent, density)
    # slots: a sheet to be filled in, whose header leaves room for the patient's line
    width, height = frame_size(scale, chrome_for(aid, clinic, scale, patient_line=slots is not None), paper)
    return Context(scale, clinic, width, height, slots, known_pages=dict(known_pages or {})), paper


def prepare(aid: Aid, clinic: Clinic, paper: str | None, large_print: bool, slots: list | None = None,
            density: int | None = None, known_pages: dict | None = None):
    """The flowables of a handout and what build_pdf needs to place them, at the density
    `render` settled on for this aid (or the one given)."""
    if density is None:
        fitted = fit(aid, clinic, paper=paper, large_print=large_print)
        density, known_pages = fitted.density, fitted.known_pages
    ctx, paper = context(aid, clinic, paper, large_print, slots, density, known_pages)
    body = renderer(aid)(aid, ctx) + blocks.render(aid, ctx)  # + values worksheet, SURE test
    return ctx, paper, opening(aid, ctx) + body + closing(aid, ctx)


@dataclass(frozen=True)
class Fitted:
    rendered: Rendered
    density: int
    known_pages: dict  # printed page of each flowchart box, as its "go to" references say


def fit(aid: Aid, clinic: Clinic, *, paper: str | None = None, large_print: bool = False,
        first_page: int = 1, total_pages: int | None = None) -> Fitted:
    """Lay the handout out as designed; if it ends on a page of only closing matter, or
    takes more than its `max_pages` (a budget for regular print), close up spacing and
    headings step by step (scale.DENSITY; body type never shrinks) and keep the first
    layout that fits. A budget still not met at the tightest spacing is an error."""
    budget = None if large_print else aid.max_pages
    first = None
    kept, missed = None, False  # the first layout that keeps page-1 matter (a quiz's key) on page 1
    known: dict = {}
    for density in range(len(DENSITY)):
        # References to other pages ("Go to box A on page 2") are known only once laid
        # out: lay out again with the pages found, until they stop changing. Each density
        # starts from the pages the looser one found (usually already right).
        try:
            for _attempt in range(3):
                ctx, paper_used, flowables = prepare(aid, clinic, paper, large_print, density=density,
                                                     known_pages=known)
                layout: dict = {}
                pdf, pages = build_pdf(aid, clinic, ctx.scale, paper_used, flowables, layout=layout,
                                       first_page=first_page, total_pages=total_pages)
                if ctx.drawn_pages == known:
                    break
                known = dict(ctx.drawn_pages)
        except LayoutFailed:
            if first is None:
                raise  # the layout as designed fails: that is the error to report
            break  # a tighter try that cannot be placed: keep what the looser ones gave
        fitted = Fitted(Rendered(pdf, pages, tuple(ctx.warnings)), density, known)
        first = first or fitted
        over = budget is not None and pages > budget
        # Pages of only closing matter are worth closing up for, unless it is one back page
        # holding a fair share of it (the page audit's own limit): an About page, not waste.
        closing_only = pages - max(layout["content_pages"], default=0)
        wasted = pages > 1 and closing_only > 0 and (closing_only > 1 or layout["last_page_used"] < TRAILING_LITTLE)
        if not over and not wasted and not layout["first_page_missed"]:
            return fitted
        if layout["first_page_missed"]:
            missed = True
        elif not over:
            kept = kept or fitted
    if missed and kept is not None:  # a back page of closing matter, rather than a score key off page 1
        return kept
    if budget is not None and fitted.rendered.pages > budget:
        raise UnfitContent(aid.where.file, ("max_pages",),
                           f"this handout needs {fitted.rendered.pages} pages even with its spacing "
                           f"closed up; max_pages is {budget}", "shorten the text, or raise max_pages")
    return fitted if fitted.rendered.pages < first.rendered.pages else first


def render(aid: Aid, clinic: Clinic, *, paper: str | None = None, large_print: bool = False,
           first_page: int = 1, total_pages: int | None = None) -> Rendered:
    """The PDF of one handout. In a pack, its pages are numbered from first_page of total_pages."""
    return fit(aid, clinic, paper=paper, large_print=large_print, first_page=first_page,
               total_pages=total_pages).rendered
