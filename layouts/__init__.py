"""Stage 3, render: a validated aid → PDF bytes.

One module per aid kind, each a pure function `render(aid, ctx) -> flowables`; the
explicit mapping below says which handles which kind. Blocks any aid with options may
add (values worksheet, SURE test) follow in blocks.py; page.py owns the page itself.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass

from aidpress.errors import UnfitContent
from aidpress.model import Aid, Checklist, Clinic, Comparison, Flowchart, Quiz, Worksheet

from . import blocks
from .common import Context, closing, keep_with_closing, opening
from .page import ToPortrait, build_pdf, chrome_for, frame_size, register_fonts
from .scale import DENSITY, LARGE_BODY, REGULAR_BODY, Scale

# ReportLab's own "cannot place this" error, for callers that must not import ReportLab.
from reportlab.platypus.doctemplate import LayoutError as LayoutFailed  # noqa: E402

TRAILING_LITTLE = 0.25  # as aidpress/audit.py: a page of only closing matter filled less than this is waste
# The layout measures a page's fill to the end of its last flowable (padding and space
# after included), the audit to the lowest thing drawn: judge with a little to spare.
FILL_SLACK = 0.03
FULL = 0.75  # a page of flowchart steps this full leaves no room a step could have used

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
    chrome = chrome_for(aid, clinic, scale, patient_line=slots is not None)
    width, height = frame_size(scale, chrome, paper)
    return Context(scale, clinic, width, height, slots, known_pages=dict(known_pages or {}),
                   landscape=frame_size(scale, chrome, paper, landscape=True)), paper


def prepare(aid: Aid, clinic: Clinic, paper: str | None, large_print: bool, slots: list | None = None,
            density: int | None = None, known_pages: dict | None = None, keep_tail: bool | None = None,
            compact: bool | None = None):
    """The flowables of a handout and what build_pdf needs to place them, at the density
    `render` settled on for this aid (or the one given). `keep_tail`: the end of the
    content goes over with the closing matter rather than leave it alone on a page."""
    if density is None:
        fitted = fit(aid, clinic, paper=paper, large_print=large_print)
        density, known_pages, keep_tail, compact = (fitted.density, fitted.known_pages, fitted.keep_tail,
                                                    fitted.compact)
    ctx, paper = context(aid, clinic, paper, large_print, slots, density, known_pages)
    body = renderer(aid)(aid, ctx) + blocks.render(aid, ctx)  # + values worksheet, SURE test
    end = ctx
    if body and isinstance(body[-1], ToPortrait):  # content ending on landscape pages: the handout does too
        body, end = body[:-1], dataclasses.replace(ctx, frame_width=ctx.landscape[0], frame_height=ctx.landscape[1])
    if keep_tail:
        return ctx, paper, keep_with_closing(opening(aid, ctx) + body, closing(aid, end, bool(compact)), end)
    return ctx, paper, opening(aid, ctx) + body + closing(aid, end, bool(compact))


@dataclass(frozen=True)
class Fitted:
    rendered: Rendered
    density: int
    known_pages: dict  # printed page of each flowchart box, as its "go to" references say
    keep_tail: bool = False  # the end of the content went over with the closing matter
    compact: bool = False  # the closing matter's heading heads its column (common.closing)


def fit(aid: Aid, clinic: Clinic, *, paper: str | None = None, large_print: bool = False,
        first_page: int = 1, total_pages: int | None = None) -> Fitted:
    """Lay the handout out as designed; if it ends on a page of only closing matter, or
    takes more than its `max_pages` (a budget for regular print), close up spacing and
    headings step by step (scale.DENSITY; body type never shrinks) and keep the first
    layout that fits. A budget still not met at the tightest spacing is an error. When
    no spacing pulls the closing matter onto the last page of content, the end of the
    content goes over to the closing matter's page instead (common.KeepWithClosing)."""
    budget = None if large_print else aid.max_pages
    first = None
    kept, missed = None, False  # the first layout that keeps page-1 matter (a quiz's key) on page 1
    clean = None  # the first that misses page 1 but leaves no page of only a little closing matter
    known: dict = {}

    def lay_out(density: int, known: dict, keep_tail: bool = False, compact: bool = False) -> tuple[Fitted, dict]:
        # References to other pages ("Go to box A on page 2") are known only once laid
        # out: lay out again with the pages found, until they stop changing. Each density
        # starts from the pages the looser one found (usually already right).
        for _attempt in range(3):
            ctx, paper_used, flowables = prepare(aid, clinic, paper, large_print, density=density,
                                                 known_pages=known, keep_tail=keep_tail, compact=compact)
            layout: dict = {}
            pdf, pages = build_pdf(aid, clinic, ctx.scale, paper_used, flowables, layout=layout,
                                   first_page=first_page, total_pages=total_pages)
            if ctx.drawn_pages == known:
                break
            known = dict(ctx.drawn_pages)
        # Pages of only closing matter are worth closing up for, unless it is one back page
        # holding a fair share of it (the page audit's own limit): an About page, not waste.
        # Nor is a page of closing matter that would nearly have fitted on the page before
        # (the audit allows 5% of a frame for the space above it). An instruction sheet
        # has no About block to fill a back page: its closing matter is its sources line
        # and the clinic's address, never worth a page of their own.
        closing_only = pages - max(layout["content_pages"], default=0)
        room_before = 1 - layout["page_used"].get(pages - 1, 1.0)
        layout["wasted"] = pages > 1 and closing_only > 0 and (
            closing_only > 1 or layout["last_page_used"] < TRAILING_LITTLE + FILL_SLACK
            or layout["last_page_used"] + 0.05 < room_before + 2 * FILL_SLACK or isinstance(aid, Checklist))
        return Fitted(Rendered(pdf, pages, tuple(ctx.warnings)), density, known, keep_tail, compact), layout

    wasted: dict[int, bool] = {}
    # A large-print flowchart puts as many steps on a page as fit: its steps cannot split,
    # so a step that misses a page by a little leaves most of it empty. It takes the
    # density that needs the fewest pages (the loosest of equals), not the first that works.
    fewest, best = large_print and isinstance(aid, Flowchart), None
    for density in range(len(DENSITY)):
        try:
            fitted, layout = lay_out(density, known)
        except LayoutFailed:
            if first is None:
                raise  # the layout as designed fails: that is the error to report
            break  # a tighter try that cannot be placed: keep what the looser ones gave
        known = fitted.known_pages
        wasted[density] = layout["wasted"]
        first = first or fitted
        over = budget is not None and fitted.rendered.pages > budget
        if not over and not layout["wasted"] and not layout["first_page_missed"]:
            if not fewest:
                return fitted
            best = fitted if best is None or fitted.rendered.pages < best.rendered.pages else best
            last = max(layout["content_pages"], default=1)
            if all(layout["page_used"].get(p, 1.0) >= FULL for p in range(1, last)):
                break  # no page of steps left well short: closer spacing would not save one
            continue
        if layout["first_page_missed"]:
            missed = True
            if not over and not layout["wasted"]:
                clean = clean or fitted
        elif not over:
            kept = kept or fitted
    if best is not None:
        return best
    if missed and kept is not None:
        # A back page of closing matter rather than a score key off page 1 — unless that
        # page would hold only a little of it: then the key goes over with it.
        return clean or kept
    if budget is not None and fitted.rendered.pages > budget:
        raise UnfitContent(aid.where.file, ("max_pages",),
                           f"this handout needs {fitted.rendered.pages} pages even with its spacing "
                           f"closed up; max_pages is {budget}", "shorten the text, or raise max_pages")
    chosen = fitted if fitted.rendered.pages < first.rendered.pages else first
    if wasted.get(chosen.density):
        # Closing up did not help: the end of the content goes over with the closing
        # matter; failing that, the closing matter is set more compactly too.
        for compact in (False, True):
            try:
                tail, layout = lay_out(chosen.density, chosen.known_pages, keep_tail=True, compact=compact)
            except LayoutFailed:
                continue
            if not layout["wasted"] and tail.rendered.pages <= chosen.rendered.pages:
                return tail
    return chosen


def render(aid: Aid, clinic: Clinic, *, paper: str | None = None, large_print: bool = False,
           first_page: int = 1, total_pages: int | None = None) -> Rendered:
    """The PDF of one handout. In a pack, its pages are numbered from first_page of total_pages."""
    return fit(aid, clinic, paper=paper, large_print=large_print, first_page=first_page,
               total_pages=total_pages).rendered
