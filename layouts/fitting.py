"""Fitting a handout to its pages: one loop over a plain sequence of attempts, one step
that settles page references, and one rule that chooses among the layouts made.

    for attempt in attempts() (densities, then split):    settle(attempt) → a candidate
        stop as soon as choose() cannot change its mind
    choose(candidates)                                      → the one kept, or over budget
    when the kept one still leaves a page of only closing matter:
        for attempt in CLOSE_UPS, at its density:           settle(attempt) → a candidate
        choose(candidates)                                  → the one kept

Nothing carries over from one attempt to the next except the page references found (a
flowchart's "go to box B on page 2"): every attempt renders the aid afresh through `lay`,
a pure function of (attempt, page references) given by layouts/__init__.py, so this
module knows nothing of aid kinds, paper or flowables. Only the layout kept is written as
PDF; an attempt whose outcome is known before its last page (page-1 matter already off
page 1, or past the budget) is given up there (its outcome is all choose() needs).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from reportlab.platypus.doctemplate import LayoutError

from aidpress.model import Aid, Checklist
from aidpress.thresholds import HALF_FULL, ROOM_SPARE, TRAILING_LITTLE  # the layout avoids what the audit calls waste

from .page import Laid
from .scale import DENSITY

if TYPE_CHECKING:
    from .common import Context

# The layout measures a page's fill to the end of its last flowable (padding and space
# after included), the audit to the lowest thing drawn: judge with a little to spare.
FILL_SLACK = 0.03
FULL = 0.75  # a page of flowchart steps this full leaves no room a step could have used
SETTLE_TRIES = 3  # layouts of one attempt, at most, for its page references to settle


@dataclass(frozen=True)
class Attempt:
    """One way to lay a handout out: how closely it is spaced (scale.DENSITY), and how its
    closing matter is held (common.KeepWithClosing, common.closing's `compact`)."""

    density: int = 0
    keep_tail: bool = False  # the end of the content goes over with the closing matter
    compact: bool = False  # the closing matter's heading heads its column
    # What is kept whole as designed may split, rather than leave a page under half full:
    # a quiz's scoring rules after the first, a long About block, a stacked comparison's
    # blocks over half a page.
    lists_split: bool = False


# The attempts, in the order they are tried: the spacing as designed, then closer and
# closer (body type never shrinks); then, at the density chosen, the close-ups.
DENSITIES = tuple(Attempt(density) for density in range(len(DENSITY)))
CLOSE_UPS = (Attempt(keep_tail=True), Attempt(keep_tail=True, compact=True))


def attempts() -> tuple[Attempt, ...]:
    """The designed attempts in order: every density as designed; then every density again
    with what is kept whole as designed free to split (Attempt.lists_split), tried only
    while every layout before leaves a page under half full (see `decided`)."""
    return DENSITIES + tuple(dataclasses.replace(a, lists_split=True) for a in DENSITIES)


@dataclass(frozen=True)
class Rule:
    """What choose() holds a handout to."""

    budget: int | None  # the aid's max_pages for this print size (Aid.page_budget)
    fewest: bool  # take the layout with the fewest pages, not the first that works (large print)
    back_page: bool  # a back page of closing matter can be worth printing (not on a checklist)


def rule_for(aid: Aid, large_print: bool) -> Rule:
    # Large print takes the density that needs the fewest pages (the loosest of equals),
    # not the first that works: its units are large (a flowchart step, a quiz question, a
    # stacked block), so one that misses a page by a little leaves most of it empty.
    return Rule(aid.page_budget(large_print), large_print, not isinstance(aid, Checklist))


@dataclass(frozen=True)
class Candidate:
    """One attempt laid out, its page references settled. `laid` is None when it was given
    up part-way: then `missed` and `over` are known (as they stood when it stopped) and its
    pages are not. `given_up` stays true once it is laid out whole after all."""

    attempt: Attempt
    known: dict  # the page references it was laid out with
    settled: dict  # the pages its boxes fell on (what the next attempt starts from)
    laid: Laid | None
    warnings: tuple  # Problems the build reports (e.g. a comparison stacked in large print)
    missed: bool  # page-1 matter (a quiz's score key) fell after page 1
    over: bool  # more pages than the budget
    wasted: bool  # it ends on a page of only closing matter not worth its page
    given_up: bool = False
    thin: int = 0  # how many pages before the last are under half full (see `thin`)

    @property
    def pages(self) -> int:
        return self.laid.pages

    @property
    def fits(self) -> bool:
        """Within budget, page-1 matter on page 1, no page wasted on closing matter."""
        return self.laid is not None and not (self.over or self.missed or self.wasted or self.given_up)

    @property
    def ok(self) -> bool:
        return self.fits and not self.thin


class OverBudget(Exception):
    """No attempt meets the page budget: the tightest needs `pages`."""

    def __init__(self, pages: int):
        super().__init__(pages)
        self.pages = pages


# ── the rule ─────────────────────────────────────────────────────────────────────────


def wastes_a_page(laid: Laid, rule: Rule) -> bool:
    """Pages of only closing matter are worth closing up for, unless it is one back page
    holding a fair share of it (the page audit's own limit): an About page. Nor is a page
    of closing matter that would nearly have fitted on the page before (the audit allows
    ROOM_SPARE of a frame for the space above it). An instruction sheet has no About
    block to fill a back page: its closing matter is its sources line and the clinic's
    address, never worth a page of their own."""
    closing_only = laid.pages - max(laid.content_pages, default=0)
    room_before = 1 - laid.page_used.get(laid.pages - 1, 1.0)
    return laid.pages > 1 and closing_only > 0 and (
        closing_only > 1 or laid.last_page_used < TRAILING_LITTLE + FILL_SLACK
        or laid.last_page_used + ROOM_SPARE < room_before + 2 * FILL_SLACK or not rule.back_page)


def thin(laid: Laid) -> int:
    """How many pages before the last are under half full (the page audit's HALF_FULL):
    what follows such a page could have begun there. Judged with a little to spare, as
    the layout measures a page's fill to the end of its last flowable."""
    return sum(laid.page_used.get(page, 1.0) < HALF_FULL + FILL_SLACK for page in range(1, laid.pages))


def choose(candidates: list[Candidate], rule: Rule) -> Candidate:
    """The layout kept, by one rule, in this order:

    1. the first (loosest) layout within budget, its page-1 matter on page 1 (unless no
       layout keeps it there), no page wasted on closing matter, and the fewest pages
       before the last under half full (none, where one can); under `rule.fewest`, the
       one of those with fewest pages;
    2. when page-1 matter went off page 1 somewhere and a layout within budget keeps it
       there: the first layout that moves it (a quiz's key goes over with its About
       block) without wasting a page; failing that, a back page of closing matter rather
       than a score key off page 1;
    3. none within budget, even the tightest: OverBudget;
    4. else the tightest if it saves a page over the designed spacing, else the designed;
       and if that wastes a page, its first close-up that does not, and takes no more
       pages.
    Layouts given up part-way count for their outcome only (whether they missed page 1)."""
    designed = [c for c in candidates if not c.attempt.keep_tail]
    close_ups = [c for c in candidates if c.attempt.keep_tail]
    pick = _meets_all(designed, rule) or _keeps_page_one(designed)
    if pick is not None:
        return pick
    fallback = _fallback(designed, rule)
    better = [c for c in close_ups if not c.wasted and c.thin <= fallback.thin and c.pages <= fallback.pages]
    return better[0] if better and fallback.wasted else fallback


def _fitting(designed: list[Candidate]) -> list[Candidate]:
    """The layouts within budget, with page-1 matter on page 1 (no test where no layout
    keeps it there: a large-print quiz's key), and no page wasted on closing matter."""
    moot = all(c.missed for c in designed)
    return [c for c in designed if c.fits or moot and dataclasses.replace(c, missed=False).fits]


def _meets_all(designed: list[Candidate], rule: Rule) -> Candidate | None:  # rule 1
    fits = _fitting(designed)
    if not fits:
        return None
    fine = [c for c in fits if c.thin == min(c.thin for c in fits)]
    return min(fine, key=lambda c: c.pages) if rule.fewest else fine[0]


def _keeps_page_one(designed: list[Candidate]) -> Candidate | None:  # rule 2
    placed = [c for c in designed if c.laid is not None and not c.given_up and not c.over]
    kept = [c for c in placed if not c.missed]
    if not (kept and any(c.missed for c in designed)):
        return None
    return next((c for c in placed if c.missed and not c.wasted), kept[0])


def _fallback(designed: list[Candidate], rule: Rule) -> Candidate:  # rules 3 and 4
    first, last = designed[0], designed[-1]
    if rule.budget is not None and last.pages > rule.budget:
        raise OverBudget(last.pages)
    return last if last.pages < first.pages else first


def decided(candidates: list[Candidate], rule: Rule) -> bool:
    """Whether a tighter attempt could change what choose() keeps: not once one meets the
    rule (under `fewest`, once one also leaves no page of steps well short of full)."""
    last = candidates[-1]
    if not last.ok:
        return False
    content = max(last.laid.content_pages, default=1)
    return not rule.fewest or all(last.laid.page_used.get(p, 1.0) >= FULL for p in range(1, content))


def wants_close_up(candidates: list[Candidate], rule: Rule) -> Candidate | None:
    """The layout choose() falls back on (rule 4), when it wastes a page: its close-ups
    may do better. Raises OverBudget as choose() would."""
    if _meets_all(candidates, rule) or _keeps_page_one(candidates):
        return None
    fallback = _fallback(candidates, rule)
    return fallback if fallback.wasted else None


# ── the loop ─────────────────────────────────────────────────────────────────────────

# lay(attempt, known page references, boxes_only, stop(doc, ctx) or None)
#   -> (the attempt's Context, its Laid, or None when `stop` gave it up)
Lay = Callable[[Attempt, dict, bool, "Callable | None"], "tuple[Context, Laid | None]"]


def fit_to_pages(lay: Lay, rule: Rule) -> Candidate:
    """The layout kept for a handout: `lay` renders and lays it out for one attempt.
    Raises OverBudget, or ReportLab's LayoutError when even the designed spacing cannot
    be placed (a tighter attempt that cannot be placed ends the search instead)."""
    candidates: list[Candidate] = []
    known: dict = {}
    sequence = attempts()
    for attempt in sequence:
        if attempt.lists_split:
            candidates = _moot_given_up(lay, candidates, rule)
            if any(not c.thin for c in _fitting(candidates)):
                break  # splitting what is kept whole is only for a page under half full
        try:  # each density starts from the pages the looser one found (usually already right)
            candidate = settle(lay, attempt, known, rule, give_up=sequence[0] != attempt != sequence[-1])
        except LayoutError:
            if not candidates:
                raise  # the layout as designed fails: that is the error to report
            break
        known = candidate.settled
        candidates.append(candidate)
        if decided(candidates, rule):
            return choose(candidates, rule)
    if candidates[-1].laid is None:  # the last that could be placed was given up: lay it out whole
        candidates[-1] = whole(lay, candidates[-1])
    candidates = _moot_given_up(lay, candidates, rule)
    base = wants_close_up(candidates, rule)
    for close_up in CLOSE_UPS if base is not None else ():
        try:
            candidates.append(settle(lay, dataclasses.replace(close_up, density=base.attempt.density,
                                                              lists_split=base.attempt.lists_split),
                                     base.known, rule))
        except LayoutError:
            continue
        if choose(candidates, rule) is not base:
            break
    return choose(candidates, rule)


def settle(lay: Lay, attempt: Attempt, known: dict, rule: Rule, give_up: bool = False) -> Candidate:
    """Lay the handout out for one attempt. References to other pages ("Go to box A on
    page 2") are known only once laid out: lay out again with the pages found, until the
    referenced boxes' pages stop changing (SETTLE_TRIES at most); a chart without such
    references is laid out once. A layout to be redone is given up as soon as its last
    referenced box is placed; with `give_up`, so is one already known to be of no use
    (page-1 matter off page 1, or past the budget), once those pages are known."""
    outcome: list = []  # [missed, over] when a layout of no use is given up
    for tries in range(1, SETTLE_TRIES + 1):
        last = tries == SETTLE_TRIES

        def stop(doc, ctx, known=known, last=last) -> bool:
            if not ctx.referenced <= ctx.drawn_pages.keys():
                return False  # a referenced box still to come: its page is needed
            if _referenced(ctx, ctx.drawn_pages) != _referenced(ctx, known) and not last:
                return True  # laid out again with these pages
            # Either, once true, stays true (and both need page 2 begun, where page-1 matter is settled).
            outcome[:] = [doc.misses_first_page, rule.budget is not None and doc.page > rule.budget]
            return give_up and any(outcome)

        # Without references yet (the first try), boxes drawn are sure to differ from the
        # references: the try stops at the last box, and what follows it is not even made.
        ctx, laid = lay(attempt, known, not known, stop)
        drawn = dict(ctx.drawn_pages)
        # (the layout reads the referenced boxes' pages only: when they agree, laying out
        # again with every box's page would give the same bytes)
        if _referenced(ctx, drawn) == _referenced(ctx, known) or last:
            break
        known = drawn
    if laid is None:  # given up: of no use, unless a tighter layout cannot be placed at all
        return Candidate(attempt, known, drawn, None, (), *outcome, wasted=False, given_up=True)
    return Candidate(attempt, known, drawn, laid, tuple(ctx.warnings), laid.first_page_missed,
                     rule.budget is not None and laid.pages > rule.budget, wastes_a_page(laid, rule),
                     thin=thin(laid))


def whole(lay: Lay, given_up: Candidate) -> Candidate:
    """A candidate given up part-way, laid out in full with the references it had settled
    on; what it was judged by when given up stands."""
    ctx, laid = lay(given_up.attempt, given_up.known, False, None)
    return dataclasses.replace(given_up, laid=laid, warnings=tuple(ctx.warnings))


def _moot_given_up(lay: Lay, candidates: list[Candidate], rule: Rule) -> list[Candidate]:
    """With page-1 matter off page 1 whatever the spacing, there was no reason to give a
    layout up for it: those given up are laid out whole and judged on their pages."""
    if not all(c.missed for c in candidates):
        return candidates
    return [c if c.laid is not None or c.over else judged(whole(lay, c), rule) for c in candidates]


def judged(candidate: Candidate, rule: Rule) -> Candidate:
    """A candidate laid out whole after being given up, judged on its pages as a whole."""
    laid = candidate.laid
    return dataclasses.replace(candidate, given_up=False, wasted=wastes_a_page(laid, rule), thin=thin(laid))


def _referenced(ctx, pages: dict) -> dict:
    return {box: pages[box] for box in ctx.referenced if box in pages}
