"""Stage 3, render: a validated aid → PDF bytes.

One module per aid kind, each a pure function `render(aid, ctx) -> flowables`; the
explicit mapping below says which handles which kind. Blocks any aid with options may
add (values worksheet, SURE test) follow in blocks.py; page.py owns the page itself;
fitting.py chooses among a handout's possible layouts (spacing, page references).

    render(aid) ─ fitted ─▶ fitting.fit_to_pages(lay_for(aid), rule_for(aid))
                              └─ per attempt: lay ─ prepare (context + renderer) ─▶ page.lay_out ─▶ Laid
                ◀─ the kept Candidate ─ its Laid written once ─▶ Rendered
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass

from aidpress.errors import Problem, UnfitContent
from aidpress.model import Aid, Checklist, Clinic, Comparison, Flowchart, Quiz, Worksheet

from . import engine  # noqa: F401  first: it imports ReportLab with its costly start-up put off
from . import blocks
from .common import Context, closing, keep_with_closing, opening
from .fitting import Attempt, Candidate, Lay, OverBudget, fit_to_pages, rule_for
from .page import Laid, Stopped, ToPortrait, build_pdf, lay_out, page_setup, register_fonts  # noqa: F401
from .scale import LARGE_BODY, REGULAR_BODY, Scale

# ReportLab's own "cannot place this" error, for callers that must not import ReportLab.
from reportlab.platypus.doctemplate import LayoutError as LayoutFailed  # noqa: E402

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
    """The type scale and frame a handout is laid out in, and its paper size (page.page_setup
    works out what follows from the paper)."""
    register_fonts()
    scale = Scale(LARGE_BODY if large_print else REGULAR_BODY, clinic.accent, density)
    # slots: a sheet to be filled in, whose header leaves room for the patient's line
    page = page_setup(aid, clinic, scale, paper, patient_line=slots is not None)
    *_, width, height = page.frame()
    return Context(scale, clinic, width, height, slots, known_pages=dict(known_pages or {}),
                   landscape=page.frame(landscape=True)[2:], rule_gap=page.rule_gap()), page.paper


def prepare(aid: Aid, clinic: Clinic, paper: str | None, large_print: bool, slots: list | None = None,
            attempt: Attempt | None = None, known_pages: dict | None = None, boxes_only: bool = False):
    """The flowables of a handout and what build_pdf needs to place them, for one attempt
    (fitting.Attempt: spacing, how the closing matter is held), by default the one `fitted`
    keeps for this aid. `boxes_only`: for a layout given up once its boxes are placed
    (fitting.settle), nothing after the last box is made."""
    if attempt is None:
        kept = fitted(aid, clinic, paper=paper, large_print=large_print)
        attempt, known_pages = kept.attempt, kept.settled
    ctx, paper = context(aid, clinic, paper, large_print, slots, attempt.density, known_pages)
    ctx = dataclasses.replace(ctx, lists_split=attempt.lists_split)
    kind = renderer(aid)(aid, ctx)
    if boxes_only and ctx.referenced:
        return ctx, paper, opening(aid, ctx) + kind
    body = kind + blocks.render(aid, ctx)  # + values worksheet, SURE test
    end = ctx
    if body and isinstance(body[-1], ToPortrait):  # content ending on landscape pages: the handout does too
        body, end = body[:-1], dataclasses.replace(ctx, frame_width=ctx.landscape[0], frame_height=ctx.landscape[1])
    if attempt.keep_tail:
        return ctx, paper, keep_with_closing(opening(aid, ctx) + body, closing(aid, end, attempt.compact), end)
    return ctx, paper, opening(aid, ctx) + body + closing(aid, end, attempt.compact)


def fitted(aid: Aid, clinic: Clinic, *, paper: str | None = None, large_print: bool = False,
        first_page: int = 1, total_pages: int | None = None) -> Candidate:
    """The layout kept for a handout (layouts/fitting.py: the attempts and the rule). A
    page budget (`max_pages`, per print size) still not met at the tightest spacing is
    an error."""
    lay = lay_for(aid, clinic, paper=paper, large_print=large_print, first_page=first_page, total_pages=total_pages)
    try:
        return with_safety_note(aid, fit_to_pages(lay, rule_for(aid, large_print)))
    except OverBudget as over:
        size = "large_print" if large_print else "regular"
        key = ("max_pages",) if isinstance(aid.max_pages, int) else ("max_pages", size)
        raise UnfitContent(aid.where.file, key,
                           f"this handout needs {over.pages} pages even with its spacing closed up; "
                           f"{'.'.join(key)} is {aid.page_budget(large_print)}", f"shorten the text, or raise {'.'.join(key)}")


def with_safety_note(aid: Aid, kept: Candidate) -> Candidate:
    """A checklist's warnings are asked for on page 1; when even the closest spacing cannot
    put them all there (a long intro, several long warnings), each still prints whole, and
    the build says so: what sends a patient to help belongs on the first page."""
    if not (isinstance(aid, Checklist) and kept.missed and any(s.warning for s in aid.sections)):
        return kept
    note = Problem(aid.where, ("sections",), "not every warning section fits on page 1 with the title, intro and "
                   "patient details: the rest print whole on the next page",
                   "shorten the intro or the warnings, or move what is not a warning to another section",
                   severity="warning")
    return dataclasses.replace(kept, warnings=(*kept.warnings, note))


def lay_for(aid: Aid, clinic: Clinic, *, paper: str | None = None, large_print: bool = False,
            first_page: int = 1, total_pages: int | None = None) -> Lay:
    """The one function the fitting loop lays this handout out with: each attempt renders
    the aid afresh (a new Context) and lays it out, given up part-way when `stop` says so."""

    def lay(attempt: Attempt, known: dict, boxes_only: bool, stop) -> tuple[Context, Laid | None]:
        ctx, paper_used, flowables = prepare(aid, clinic, paper, large_print, attempt=attempt, known_pages=known,
                                             boxes_only=boxes_only)
        try:
            return ctx, lay_out(aid, clinic, ctx.scale, paper_used, flowables, first_page=first_page,
                                total_pages=total_pages, stop=stop and (lambda doc: stop(doc, ctx)))
        except Stopped:
            return ctx, None

    return lay


def render(aid: Aid, clinic: Clinic, *, paper: str | None = None, large_print: bool = False,
           first_page: int = 1, total_pages: int | None = None) -> Rendered:
    """The PDF of one handout. In a pack, its pages are numbered from first_page of total_pages."""
    kept = fitted(aid, clinic, paper=paper, large_print=large_print, first_page=first_page, total_pages=total_pages)
    return Rendered(kept.laid.pdf(), kept.pages, kept.warnings)


