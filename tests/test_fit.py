"""layouts.fit lays a handout out more than once when it must (closing up spacing, settling
a flowchart's page references), but writes only the layout it keeps and gives up a trial
part-way once its outcome is known. Neither may change a byte: every handout here comes
out exactly as when each trial is laid out to its last page and written at once."""

from __future__ import annotations

import dataclasses

import pytest

import layouts
from aidpress.errors import UnfitContent
from aidpress.validate import load_aid

from .conftest import AIDS, CLINIC, GENERIC, ROOT


@pytest.fixture
def given_up(monkeypatch) -> list:
    """Counts the layouts fit gives up part-way."""
    stopped: list = []
    lay_out = layouts.lay_out

    def counting(*args, **kwargs):
        try:
            return lay_out(*args, **kwargs)
        except layouts.Stopped:
            stopped.append(args[2].density)
            raise

    monkeypatch.setattr(layouts, "lay_out", counting)
    return stopped


def in_full(monkeypatch, run):
    """`run()` with every trial laid out to the end and its PDF written straight away."""
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
def test_every_handout_comes_out_as_if_every_trial_were_laid_out_in_full(path, large, monkeypatch):
    aid = load_aid(path)

    def run():
        return layouts.render(aid, CLINIC, large_print=large)

    assert outcome(run) == in_full(monkeypatch, lambda: outcome(run))


def test_trials_are_given_up_where_their_outcome_is_known(given_up, monkeypatch):
    """A flowchart with "go to" references: its first try (no pages known yet) stops at
    the last referenced box. The seed flowchart has none: it is laid out once. The quiz's
    large-print tries between the first and the tightest stop once the score key has
    missed page 1."""
    made = []
    lay_out = layouts.lay_out

    def counting(*args, **kwargs):
        made.append(args[2].density)
        return lay_out(*args, **kwargs)

    monkeypatch.setattr(layouts, "lay_out", counting)
    layouts.render(load_aid(ROOT / "tests" / "fixtures" / "generic" / "commute-flowchart-3way.yaml"), CLINIC)
    assert given_up == [0] and made == [0, 0]
    given_up.clear(), made.clear()
    layouts.render(load_aid(ROOT / "aids" / "decision-flowchart.yaml"), CLINIC)
    assert given_up == [] and made == [0]
    made.clear()
    layouts.render(load_aid(ROOT / "aids" / "decision-quiz.yaml"), CLINIC, large_print=True)
    assert given_up == [1, 2] and made == [0, 1, 2, 3]


FLOWCHARTS = [ROOT / "aids" / "decision-flowchart.yaml", ROOT / "tests" / "fixtures" / "generic" / "commute-flowchart-3way.yaml"]


@pytest.mark.parametrize("path", FLOWCHARTS, ids=[p.stem for p in FLOWCHARTS])
def test_settling_on_the_referenced_boxes_gives_what_settling_on_every_box_gave(path, monkeypatch):
    """A flowchart is laid out again until the pages of the boxes its references name
    stop changing; it used to wait for every box's page. The layout reads only the
    referenced pages, so the bytes are the same: compared here with every box counted."""
    from layouts import flowchart

    aid = load_aid(path)
    cases = [(paper, large) for paper in ("a4", "letter") for large in (False, True)]
    settled = [outcome(lambda: layouts.render(aid, CLINIC, paper=paper, large_print=large)) for paper, large in cases]
    render = flowchart.render

    def every_box(chart, ctx):
        rows = render(chart, ctx)
        ctx.referenced.update(box for row in rows for box in row.ids)
        return rows

    monkeypatch.setattr(flowchart, "render", every_box)
    assert [outcome(lambda: layouts.render(aid, CLINIC, paper=paper, large_print=large))
            for paper, large in cases] == settled


def test_a_budget_out_of_reach_is_reported_alike(given_up, monkeypatch):
    aid = dataclasses.replace(load_aid(ROOT / "aids" / "cupping-vs-dry-needling.yaml"), max_pages=1)

    def run():
        return layouts.render(aid, CLINIC)

    message = outcome(run)
    assert isinstance(message, str) and "max_pages is 1" in message
    assert given_up == [1, 2]  # past page 1 already: over the budget
    assert in_full(monkeypatch, lambda: outcome(run)) == message


def test_a_given_up_trial_is_laid_out_whole_when_a_tighter_one_cannot_be_placed(given_up, monkeypatch):
    """The layout before one that fails to place is the one kept; if it was given up, it
    is laid out again, whole, with the same page references."""
    aid = load_aid(ROOT / "aids" / "decision-quiz.yaml")
    prepare = layouts.prepare

    def failing_at_2(*args, **kwargs):
        if kwargs.get("density") == 2:
            raise layouts.LayoutFailed("too tight")
        return prepare(*args, **kwargs)

    monkeypatch.setattr(layouts, "prepare", failing_at_2)

    def run():
        return layouts.render(aid, CLINIC, large_print=True)

    result = outcome(run)
    assert given_up == [1]
    assert in_full(monkeypatch, lambda: outcome(run)) == result


def test_a_trial_given_up_says_why():
    """What the choice between densities reads from a trial it gave up: over the budget
    (the comparison has nothing that must be on page 1), or page-1 matter off page 1."""
    place = {"first_page": 1, "total_pages": None}
    over = dataclasses.replace(load_aid(ROOT / "aids" / "cupping-vs-dry-needling.yaml"), max_pages=1)
    trial = layouts._settle(over, CLINIC, None, False, 1, {}, place, budget=1, give_up=True)
    assert trial.laid is None and trial.over and not trial.missed
    quiz = load_aid(ROOT / "aids" / "decision-quiz.yaml")
    trial = layouts._settle(quiz, CLINIC, None, True, 1, {}, place, budget=None, give_up=True)
    assert trial.laid is None and trial.missed and not trial.over
    trial = layouts._settle(quiz, CLINIC, None, True, 1, {}, place, budget=None, give_up=False)
    assert trial.laid is not None and trial.missed and trial.laid.pages > 2


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
