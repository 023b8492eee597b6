"""Stage 3, render: a validated aid → PDF bytes.

One module per aid kind, each a pure function `render(aid, ctx) -> flowables`; the
explicit mapping below says which handles which kind. Blocks any aid with options may
add (values worksheet, SURE test) follow in blocks.py; page.py owns the page itself.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass

from aidpress.audit import ROOM_SPARE, TRAILING_LITTLE  # the layout avoids what the audit calls waste
from aidpress.errors import UnfitContent
from aidpress.model import Aid, Checklist, Clinic, Comparison, Flowchart, Quiz, Worksheet

from . import engine  # noqa: F401  first: it imports ReportLab with its costly start-up put off
from . import blocks
from .common import Context, closing, keep_with_closing, opening
from .page import Laid, Stopped, ToPortrait, build_pdf, chrome_for, frame_size, lay_out, register_fonts
from .scale import DENSITY, LARGE_BODY, REGULAR_BODY, Scale

# ReportLab's own "cannot place this" error, for callers that must not import ReportLab.
from reportlab.platypus.doctemplate import LayoutError as LayoutFailed  # noqa: E402

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
    """A handout's PDF, its page count, and what the build should say about it."""

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
            density: int | None = None, known_pages: dict | None = None, boxes_only: bool = False,
            keep_tail: bool | None = None, compact: bool | None = None):
    """The flowables of a handout and what build_pdf needs to place them, at the density
    `render` settled on for this aid (or the one given). `boxes_only`: for a layout given
    up once its boxes are placed (see _settle), nothing after the last box is made.
    `keep_tail`: the end of the content goes over with the closing matter rather than
    leave it alone on a page; `compact`: the closing matter is set compactly too."""
    if density is None:
        fitted = fit(aid, clinic, paper=paper, large_print=large_print)
        density, known_pages, keep_tail, compact = (fitted.density, fitted.known_pages, fitted.keep_tail,
                                                    fitted.compact)
    ctx, paper = context(aid, clinic, paper, large_print, slots, density, known_pages)
    kind = renderer(aid)(aid, ctx)
    if boxes_only and ctx.referenced:
        return ctx, paper, opening(aid, ctx) + kind
    body = kind + blocks.render(aid, ctx)  # + values worksheet, SURE test
    end = ctx
    if body and isinstance(body[-1], ToPortrait):  # content ending on landscape pages: the handout does too
        body, end = body[:-1], dataclasses.replace(ctx, frame_width=ctx.landscape[0], frame_height=ctx.landscape[1])
    if keep_tail:
        return ctx, paper, keep_with_closing(opening(aid, ctx) + body, closing(aid, end, bool(compact)), end)
    return ctx, paper, opening(aid, ctx) + body + closing(aid, end, bool(compact))


@dataclass(frozen=True)
class Fitted:
    """The layout `fit` kept: its PDF, and the choices that reproduce it (spacing, page references)."""

    rendered: Rendered
    density: int
    known_pages: dict  # printed page of each flowchart box, as its "go to" references say
    keep_tail: bool = False  # the end of the content went over with the closing matter
    compact: bool = False  # the closing matter's heading heads its column (common.closing)


@dataclass
class Trial:
    """One density's layout, settled (its page references agree with where the boxes
    fell). `laid` is None when the layout was given up part-way, its outcome known: then
    `missed` and `over` are known, `pages` is not, and `_whole` lays it out again."""

    density: int
    known: dict  # the page references the kept layout was laid out with
    settled: dict  # the pages its boxes fell on (what the next density starts from)
    ctx: Context | None
    laid: Laid | None
    missed: bool
    over: bool
    keep_tail: bool = False
    compact: bool = False

    @property
    def pages(self) -> int:
        return self.laid.pages

    def wasted(self, aid: Aid) -> bool:
        """Pages of only closing matter are worth closing up for, unless it is one back
        page holding a fair share of it (the page audit's own limit): an About page. Nor
        is a page of closing matter that would nearly have fitted on the page before
        (the audit allows ROOM_SPARE of a frame for the space above it). An instruction sheet has
        no About block to fill a back page: its closing matter is its sources line and
        the clinic's address, never worth a page of their own."""
        laid = self.laid
        closing_only = laid.pages - max(laid.content_pages, default=0)
        room_before = 1 - laid.page_used.get(laid.pages - 1, 1.0)
        return laid.pages > 1 and closing_only > 0 and (
            closing_only > 1 or laid.last_page_used < TRAILING_LITTLE + FILL_SLACK
            or laid.last_page_used + ROOM_SPARE < room_before + 2 * FILL_SLACK or isinstance(aid, Checklist))

    def fitted(self) -> Fitted:
        return Fitted(Rendered(self.laid.pdf(), self.laid.pages, tuple(self.ctx.warnings)), self.density,
                      self.settled, self.keep_tail, self.compact)


def _settle(aid: Aid, clinic: Clinic, paper, large_print: bool, density: int, known: dict, place: dict,
            budget: int | None = None, give_up: bool = False, keep_tail: bool = False, compact: bool = False) -> Trial:
    """Lay the handout out at one density. References to other pages ("Go to box A on
    page 2") are known only once laid out: lay out again with the pages found, until the
    referenced boxes' pages stop changing (three tries at most); a chart without such
    references is laid out once. A layout to be redone is given up as soon as its last
    referenced box is placed; with `give_up`, so is one already known to be of no use
    (page-1 matter off page 1, or past the page budget), once those pages are known."""
    outcome: list = []  # [missed, over] when a layout of no use is given up
    for attempt in range(3):
        # Without references yet (the first try), boxes drawn are sure to differ from the
        # references: the try stops at the last box, and what follows it is not even made.
        ctx, paper_used, flowables = prepare(aid, clinic, paper, large_print, density=density, known_pages=known,
                                             boxes_only=not known, keep_tail=keep_tail, compact=compact)

        def referenced(pages: dict, ctx=ctx) -> dict:
            return {box: pages[box] for box in ctx.referenced if box in pages}

        def stop(doc, ctx=ctx, known=known, last=attempt == 2) -> bool:
            if not ctx.referenced <= ctx.drawn_pages.keys():
                return False  # a referenced box still to come: its page is needed
            if referenced(ctx.drawn_pages) != referenced(known) and not last:
                return True  # laid out again with these pages
            # Either, once true, stays true (and both need page 2 begun, where page-1 matter is settled).
            outcome[:] = [doc.misses_first_page, budget is not None and doc.page > budget]
            return give_up and any(outcome)

        try:
            laid = lay_out(aid, clinic, ctx.scale, paper_used, flowables, stop=stop, **place)
        except Stopped:
            laid = None
        drawn = dict(ctx.drawn_pages)
        # (the layout reads the referenced boxes' pages only: when they agree, laying out
        # again with every box's page would give the same bytes)
        if referenced(drawn) == referenced(known) or attempt == 2:
            break
        known = drawn
    if laid is None:  # given up: of no use, unless a tighter layout cannot be placed at all
        return Trial(density, known, drawn, None, None, *outcome, keep_tail, compact)
    over = budget is not None and laid.pages > budget
    return Trial(density, known, drawn, ctx, laid, laid.first_page_missed, over, keep_tail, compact)


def _whole(aid: Aid, clinic: Clinic, paper, large_print: bool, trial: Trial, place: dict) -> Trial:
    """A given-up trial laid out in full, with the references it had settled on."""
    ctx, paper_used, flowables = prepare(aid, clinic, paper, large_print, density=trial.density,
                                         known_pages=trial.known)
    laid = lay_out(aid, clinic, ctx.scale, paper_used, flowables, **place)
    return Trial(trial.density, trial.known, trial.settled, ctx, laid, laid.first_page_missed, False)


def fit(aid: Aid, clinic: Clinic, *, paper: str | None = None, large_print: bool = False,
        first_page: int = 1, total_pages: int | None = None) -> Fitted:
    """Lay the handout out as designed; if it ends on a page of only closing matter, or
    takes more than its `max_pages` (a budget for regular print), close up spacing and
    headings step by step (scale.DENSITY; body type never shrinks) and keep the first
    layout that fits. A budget still not met at the tightest spacing is an error. When
    no spacing pulls the closing matter onto the last page of content, the end of the
    content goes over to the closing matter's page instead (common.KeepWithClosing), and
    failing that the closing matter is set compactly too.

    Only the layout kept is written as PDF. A layout between the first and the tightest
    that already shows it cannot be kept (page-1 matter gone to page 2, or a page past
    the budget) is given up there: its outcome is all the choice needs."""
    budget = None if large_print else aid.max_pages
    place = {"first_page": first_page, "total_pages": total_pages}
    tightest = len(DENSITY) - 1
    first = fitted = None
    kept, missed = None, False  # the first layout that keeps page-1 matter (a quiz's key) on page 1
    clean = None  # the first that misses page 1 but leaves no page of only a little closing matter
    # A large-print flowchart puts as many steps on a page as fit: its steps cannot split,
    # so a step that misses a page by a little leaves most of it empty. It takes the
    # density that needs the fewest pages (the loosest of equals), not the first that works.
    fewest, best = large_print and isinstance(aid, Flowchart), None
    known: dict = {}
    for density in range(len(DENSITY)):
        # Each density starts from the pages the looser one found (usually already right).
        try:
            trial = _settle(aid, clinic, paper, large_print, density, known, place, budget,
                            give_up=0 < density < tightest)
        except LayoutFailed:
            if first is None:
                raise  # the layout as designed fails: that is the error to report
            break  # a tighter try that cannot be placed: keep what the looser ones gave
        known = trial.settled
        fitted = trial
        first = first or trial
        if trial.laid is None:  # given up: page-1 matter off page 1, or over the budget
            missed = missed or trial.missed
            continue
        wasted = trial.wasted(aid)
        if not trial.over and not wasted and not trial.missed:
            if not fewest:
                return trial.fitted()
            best = trial if best is None or trial.pages < best.pages else best
            last = max(trial.laid.content_pages, default=1)
            if all(trial.laid.page_used.get(p, 1.0) >= FULL for p in range(1, last)):
                break  # no page of steps left well short: closer spacing would not save one
            continue
        if trial.missed:
            missed = True
            if not trial.over and not wasted:
                clean = clean or trial
        elif not trial.over:
            kept = kept or trial
    if best is not None:
        return best.fitted()
    if fitted.laid is None:  # the last layout that could be placed was given up: lay it out whole
        fitted = _whole(aid, clinic, paper, large_print, fitted, place)
    if missed and kept is not None:
        # A back page of closing matter rather than a score key off page 1 — unless that
        # page would hold only a little of it: then the key goes over with it.
        return (clean or kept).fitted()
    if budget is not None and fitted.pages > budget:
        raise UnfitContent(aid.where.file, ("max_pages",),
                           f"this handout needs {fitted.pages} pages even with its spacing "
                           f"closed up; max_pages is {budget}", "shorten the text, or raise max_pages")
    chosen = fitted if fitted.pages < first.pages else first
    if chosen.wasted(aid):
        # Closing up did not help: the end of the content goes over with the closing
        # matter; failing that, the closing matter is set more compactly too.
        for compact in (False, True):
            try:
                tail = _settle(aid, clinic, paper, large_print, chosen.density, chosen.known, place,
                               keep_tail=True, compact=compact)
            except LayoutFailed:
                continue
            if tail.laid is not None and not tail.wasted(aid) and tail.pages <= chosen.pages:
                return tail.fitted()
    return chosen.fitted()


def render(aid: Aid, clinic: Clinic, *, paper: str | None = None, large_print: bool = False,
           first_page: int = 1, total_pages: int | None = None) -> Rendered:
    """The PDF of one handout. In a pack, its pages are numbered from first_page of total_pages."""
    return fit(aid, clinic, paper=paper, large_print=large_print, first_page=first_page,
               total_pages=total_pages).rendered
