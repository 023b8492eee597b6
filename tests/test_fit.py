"""Fitting a handout to its pages (layouts/fitting.py): the rule that chooses among the
layouts tried, stated once in `choose`, and what the loop around it guarantees — it may
give an attempt up part-way and write only the layout it keeps, yet every handout comes
out exactly as when each attempt is laid out to its last page; a flowchart's page
references name the pages their boxes are printed on."""

from __future__ import annotations

import dataclasses
import io
import re
from types import SimpleNamespace

import pypdf
import pytest

import layouts
from aidpress.errors import UnfitContent
from aidpress.validate import load_aid
from layouts import fitting
from layouts.fitting import Attempt, Candidate, OverBudget, Rule, choose

from .conftest import AIDS, CLINIC, GENERIC, ROOT


def in_full(monkeypatch, run):
    """`run()` with every attempt laid out to the end and its PDF written straight away."""
    lay_out = layouts.lay_out

    def whole(*args, stop=None, **kwargs):
        laid = lay_out(*args, **kwargs)
        laid.pdf()
        return laid

    with monkeypatch.context() as patch:
        patch.setattr(layouts, "lay_out", whole)
        return run()


def outcome(run):
    try:
        rendered = run()
        return rendered.pdf, rendered.pages
    except UnfitContent as exc:
        return str(exc)


CASES = [(path, large) for path in AIDS + GENERIC for large in (False, True)]


@pytest.mark.parametrize("path, large", CASES, ids=[f"{p.stem}-{'large' if lg else 'regular'}" for p, lg in CASES])
def test_every_handout_comes_out_as_if_every_attempt_were_laid_out_in_full(path, large, monkeypatch):
    aid = load_aid(path)

    def run():
        return layouts.render(aid, CLINIC, large_print=large)

    assert outcome(run) == in_full(monkeypatch, lambda: outcome(run))


# ── the rule, on made-up candidates ─────────────────────────────────────────────────


def candidate(density: int, pages: int | None, *, missed=False, over=False, wasted=False, given_up=False,
              keep_tail=False, compact=False, thin=0, lists_split=False) -> Candidate:
    """A layout as choose() sees it: its attempt, its page count (None: given up part-way)
    and the verdicts (`thin`: how many pages before the last are under half full)."""
    laid = None if pages is None else SimpleNamespace(pages=pages)
    return Candidate(Attempt(density, keep_tail, compact, lists_split), {}, {}, laid, (), missed, over, wasted,
                     given_up or pages is None, thin)


RULE = Rule(budget=None, fewest=False, back_page=True)


def test_the_loosest_layout_that_meets_every_rule_is_kept():
    a, b, c = candidate(0, 3, wasted=True), candidate(1, 2), candidate(2, 2)
    assert choose([a, b, c], RULE) is b


def test_a_page_under_half_full_is_avoided_where_any_layout_can():
    a, b, c = candidate(0, 3, thin=1), candidate(1, 3, thin=1), candidate(0, 3, lists_split=True)
    assert choose([a, b, c], RULE) is c
    # none without: the fewest such pages, then the loosest
    a, b, c = candidate(0, 4, thin=2), candidate(1, 3, thin=1), candidate(2, 3, thin=1)
    assert choose([a, b, c], RULE) is b


def test_large_print_takes_the_fewest_pages_the_loosest_of_equals():
    fewest = Rule(budget=None, fewest=True, back_page=True)
    a, b, c = candidate(0, 5), candidate(1, 4), candidate(2, 4)
    assert choose([a, b, c], fewest) is b


def test_page_one_matter_no_layout_keeps_on_page_one_does_not_decide():
    a, b = candidate(0, 5, missed=True, thin=1), candidate(1, 5, missed=True)
    assert choose([a, b], RULE) is b


def test_under_fewest_the_fewest_pages_win_the_loosest_of_equals():
    a, b, c, d = candidate(0, 4), candidate(1, 3), candidate(2, 3), candidate(3, 4)
    assert choose([a, b, c, d], dataclasses.replace(RULE, fewest=True)) is b


def test_a_back_page_of_closing_matter_beats_a_score_key_off_page_one():
    kept_on_page_one = candidate(0, 3, wasted=True)
    key_moved = candidate(1, 2, missed=True, wasted=True)
    assert choose([kept_on_page_one, key_moved, candidate(2, None, missed=True)], RULE) is kept_on_page_one


def test_unless_a_layout_moves_the_key_without_wasting_a_page():
    kept_on_page_one = candidate(0, 3, wasted=True)
    clean = candidate(2, 2, missed=True)
    assert choose([kept_on_page_one, candidate(1, 2, missed=True, wasted=True), clean], RULE) is clean


def test_a_layout_given_up_counts_only_for_what_it_missed():
    """Laid out whole after all (a tighter one could not be placed), it is still not taken
    for one that moves the key cleanly."""
    kept_on_page_one = candidate(0, 3, wasted=True)
    given_up = candidate(1, 2, missed=True, given_up=True)
    assert choose([kept_on_page_one, given_up], RULE) is kept_on_page_one


def test_a_budget_the_tightest_layout_misses_is_over_budget_with_its_page_count():
    with pytest.raises(OverBudget) as raised:
        choose([candidate(0, 4, over=True), candidate(1, None, over=True), candidate(3, 3, over=True)],
               dataclasses.replace(RULE, budget=2))
    assert raised.value.pages == 3


def test_closing_up_is_kept_only_when_it_saves_a_page_over_the_designed_spacing():
    designed, tightest = candidate(0, 3, wasted=True), candidate(3, 3, wasted=True)
    assert choose([designed, tightest], RULE) is designed
    shorter = candidate(3, 2, wasted=True)
    assert choose([designed, shorter], RULE) is shorter


def test_a_close_up_replaces_a_wasted_page_only_without_adding_one():
    designed = candidate(0, 2, wasted=True)
    longer = candidate(0, 3, keep_tail=True)
    still_wasted = candidate(0, 2, keep_tail=True, wasted=True)
    compact = candidate(0, 2, keep_tail=True, compact=True)
    assert choose([designed, longer], RULE) is designed
    assert choose([designed, still_wasted, compact], RULE) is compact


# ── what a page of closing matter is worth, by the audit's own limits ─────────────────


def laid(pages: int, content_pages: set, used: dict) -> SimpleNamespace:
    return SimpleNamespace(pages=pages, content_pages=content_pages, page_used=used, last_page_used=used[pages])


@pytest.mark.parametrize("last_used, room_before, checklist, wasted", [
    (0.10, 0.05, False, True),   # a tenth of a page: under TRAILING_LITTLE (a quarter)
    (0.50, 0.05, False, False),  # half a page of notes and sources, no room before: an About page
    (0.50, 0.80, False, True),   # would have fitted in the room left on the page before
    (0.50, 0.05, True, True),    # an instruction sheet's sources and address: never worth a page
])
def test_a_back_page_of_closing_matter_is_waste_as_the_audit_counts_it(last_used, room_before, checklist, wasted):
    back = laid(2, {1}, {1: 1 - room_before, 2: last_used})
    rule = dataclasses.replace(RULE, back_page=not checklist)
    assert fitting.wastes_a_page(back, rule) is wasted
    assert fitting.wastes_a_page(laid(2, {1, 2}, {1: 0.9, 2: last_used}), rule) is False  # content on it


# ── the loop, on real handouts ────────────────────────────────────────────────────────


def test_a_budget_out_of_reach_is_reported_at_max_pages_alike(monkeypatch):
    aid = dataclasses.replace(load_aid(ROOT / "aids" / "cupping-vs-dry-needling.yaml"), max_pages=1)

    def run():
        return layouts.render(aid, CLINIC)

    message = outcome(run)
    assert isinstance(message, str) and "max_pages is 1" in message
    assert in_full(monkeypatch, lambda: outcome(run)) == message


def test_an_attempt_given_up_part_way_judges_it_as_laid_out_whole():
    """What choose() reads from an attempt it gave up — over the budget, or page-1 matter
    off page 1 — is what the whole layout shows: more pages than the budget; the quiz's
    score key, read back from the PDF, after page 1."""
    over = dataclasses.replace(load_aid(ROOT / "aids" / "cupping-vs-dry-needling.yaml"), max_pages=1)
    rule = fitting.rule_for(over, False)
    short = fitting.settle(layouts.lay_for(over, CLINIC), Attempt(1), {}, rule, give_up=True)
    full = fitting.settle(layouts.lay_for(over, CLINIC), Attempt(1), {}, rule)
    assert short.laid is None and short.over and not short.missed
    assert full.over and full.pages > 1 and not full.missed

    quiz = load_aid(ROOT / "aids" / "decision-quiz.yaml")
    rule = fitting.rule_for(quiz, True)
    short = fitting.settle(layouts.lay_for(quiz, CLINIC, large_print=True), Attempt(1), {}, rule, give_up=True)
    full = fitting.settle(layouts.lay_for(quiz, CLINIC, large_print=True), Attempt(1), {}, rule)
    assert short.laid is None and short.missed and not short.over
    assert full.missed
    key = " ".join(quiz.scoring.otherwise.split()[:4])  # the score key's last line begins so
    pages = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(full.laid.pdf())).pages]
    assert key not in pages[0] and any(key in page for page in pages[1:])


def test_when_a_tighter_attempt_cannot_be_placed_the_one_before_is_kept_whole(monkeypatch):
    """The layout before one that fails to place is kept; given up part-way, it is laid out
    again, whole, with the page references it had: the same bytes as never giving up."""
    aid = load_aid(ROOT / "aids" / "decision-quiz.yaml")

    def failing_at_2(lay):
        def failing(attempt, *args):
            if attempt.density == 2:
                raise layouts.LayoutFailed("too tight")
            return lay(attempt, *args)
        return failing

    def run():
        kept = fitting.fit_to_pages(failing_at_2(layouts.lay_for(aid, CLINIC, large_print=True)),
                                    fitting.rule_for(aid, True))
        return layouts.Rendered(kept.laid.pdf(), kept.pages)

    assert outcome(run) == in_full(monkeypatch, lambda: outcome(run))


FLOWCHARTS = [p for p in AIDS + GENERIC if load_aid(p).kind == "flowchart"]
REFERENCE = re.compile(r"Go to (step \d+|box [A-Z]) \(page (\d+)\)")


@pytest.mark.parametrize("large", [False, True], ids=["regular", "large"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("path", FLOWCHARTS, ids=lambda p: p.stem)
def test_every_page_reference_names_the_page_its_box_is_printed_on(path, paper, large):
    """Page references are settled: "Go to step 5 (page 2)" and step 5 is on page 2."""
    pdf = layouts.render(load_aid(path), CLINIC, paper=paper, large_print=large).pdf
    pages = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    references = [(target, int(page)) for text in pages for target, page in REFERENCE.findall(text)]
    for target, page in references:
        label = target[0].upper() + target[1:]  # "Step 5", "Box A": printed on the box (a reference says "step 5")
        assert re.search(rf"\b{label}\b", pages[page - 1]), f"{target} is not on page {page}"


def test_the_seed_flowchart_references_are_checked_on_a_chart_that_has_them():
    """The test above is not empty: the three-way fixture's references span two pages."""
    pdf = layouts.render(load_aid(ROOT / "tests" / "fixtures" / "generic" / "commute-flowchart-3way.yaml"), CLINIC).pdf
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert {page for _, page in REFERENCE.findall(" ".join(text.split()))} == {"1", "2"}


@pytest.mark.parametrize("path", AIDS, ids=[p.stem for p in AIDS])
def test_the_height_closing_is_sure_of_never_exceeds_the_laid_out_height(path):
    """common.height_at_least lets `closing` skip the About block beside the clinic's box
    when it cannot be short there: it must never claim more than the lines take."""
    from layouts import context
    from layouts.common import about, height_at_least

    aid = load_aid(path)
    for large in (False, True):
        ctx, _ = context(aid, CLINIC, None, large)
        for width in (150.0, 250.0, ctx.frame_width * 0.62):
            _, lines = about(aid, ctx)
            bound = height_at_least(lines, width)
            laid = sum(p.wrap(width, 10_000)[1] for p in lines)
            assert bound <= laid
            assert bound >= laid * 0.6  # close enough to be of use
            assert height_at_least(lines, width) == 0  # wrapped paragraphs: their words are not known cheaply


def test_laying_a_handout_out_keeps_no_page_chrome_alive():
    """A long `watch` lays handouts out for hours: what the page template caches is keyed
    on plain values, so the header and footer of a handout laid out are freed with it."""
    import gc
    import weakref

    from layouts.page import Chrome, register_fonts

    register_fonts()
    aid = load_aid(ROOT / "aids" / "decision-quiz.yaml")
    layouts.render(aid, CLINIC)  # everything a render caches, cached
    made = []
    original = Chrome.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(weakref.ref(self))

    Chrome.__init__ = recording
    try:
        layouts.render(dataclasses.replace(aid, title="Another title", disclaimer="Another footer note."), CLINIC)
    finally:
        Chrome.__init__ = original
    gc.collect()
    assert made and all(ref() is None for ref in made)
