"""Issue 15 point 8 (and 7's pack part): a pack numbers its sources once across its
members (one document, one number), renumbers the members' references to match, and
prints one source list, one About block and one "your choice" block, at its end. Read
back from the built PDF, page by page; the expected numbers are worked out by hand from
the YAML below."""

from __future__ import annotations

import pytest

from aidpress.labels import LABELS
from aidpress.model import Clinic
from aidpress.validate import load_aid
from aidpress.model import renumber
from layouts.pack import render_pack

from .conftest import CLINIC
from .readback import assert_in_order, norm, read

LAYOUTS = pytest.mark.parametrize("paper, large_print", [("a4", False), ("letter", False), ("a4", True)],
                                  ids=["a4", "letter", "a4-large"])

# Sources: the first aid cites X and Y, the second Y and Z (Y written with other spacing
# and no final stop: still the same document). The pack numbers X=1, Y=2, Z=3.
X, Y, Z = "Bike guide, Example Cycling Trust (2024).", "Bus timetable notes, Example Buses (2025).", \
    "Walking leaflet, Example Council (2023)."
FIRST = f"""\
kind: comparison
title: Bike or bus?
options: {{bike: Cycling, bus: Taking the bus}}
choice: true
rows:
  - aspect: Time
    cells: {{bike: "20 minutes (1).", bus: "35 minutes (sources 1, 2 differ)."}}
about: {{written_by: The commute team., conflicts: "None. Source 2 sells bus passes."}}
sources: ["{X}", "{Y}"]
"""
SECOND = f"""\
kind: worksheet
title: Your commute worksheet
options: {{bus: Taking the bus, walk: Walking}}
choice: true
sure: true
intro: ["Buses run every 10 minutes (1). Walking takes an hour (2)."]
about: {{written_by: The commute team., conflicts: "None. Source 1 sells bus passes."}}
sources: ["Bus  timetable notes, Example Buses (2025)", "{Z}"]
"""
PACK = """\
kind: pack
title: Getting to work
aids: [first.yaml, second.yaml]
"""


@pytest.fixture
def pack(write_yaml):
    write_yaml(FIRST, "first.yaml")
    write_yaml(SECOND, "second.yaml")
    path = write_yaml(PACK, "pack.yaml")
    members = [load_aid(path.parent / name) for name in ("first.yaml", "second.yaml")]
    return load_aid(path), members


def member_pages(pages, title: str, next_title: str | None) -> str:
    start = next(i for i, p in enumerate(pages) if i > 0 and p.body.startswith(title))  # after the cover
    end = next((i for i, p in enumerate(pages) if i > start and next_title and p.body.startswith(next_title)),
               len(pages))
    return " ".join(p.body for p in pages[start:end])


@LAYOUTS
def test_one_numbering_of_sources_across_the_pack(pack, paper, large_print):
    pack_aid, members = pack
    pages = read(render_pack(pack_aid, members, CLINIC, paper=paper, large_print=large_print).pdf)
    whole = " ".join(p.body for p in pages)
    first = member_pages(pages, "Bike or bus?", "Your commute worksheet")
    second = member_pages(pages, "Your commute worksheet", LABELS["choice_heading"])
    # the first aid's numbers already are the pack's; the second's 1 (Y) is 2, its 2 (Z) is 3
    assert "20 minutes (1)." in first and "35 minutes (sources 1, 2 differ)." in first
    assert "Buses run every 10 minutes (2). Walking takes an hour (3)." in second
    assert "(1)" not in second
    # one source list, at the end, each document once
    assert whole.count(f"{LABELS['sources']}:") == 1
    assert_in_order(whole, [LABELS["about_pack_heading"], LABELS["sources"], f"1. {X}", f"2. {Y}", f"3. {Z}"])
    for source in (X, Y, Z):
        assert whole.count(norm(source).rstrip(".")) == 1
    # one About block, at the end: none of the members prints its own
    assert LABELS["about_heading"] not in whole
    assert whole.count(LABELS["about_pack_heading"]) == 1  # (the contents name the end by "your choice")
    tail = " ".join(p.body for p in pages[-2:])
    # the conflicts, renumbered: "Source 2" (Y) in both, said once
    assert_in_order(tail, [LABELS["conflicts"], "None. Source 2 sells bus passes."])
    assert whole.count("sells bus passes") == 1
    assert whole.count("The commute team.") == 1


@LAYOUTS
def test_the_pack_prints_your_choice_once_at_its_end(pack, paper, large_print):
    pack_aid, members = pack
    pages = read(render_pack(pack_aid, members, CLINIC, paper=paper, large_print=large_print).pdf)
    heading = LABELS["choice_heading"]
    bodies = [p.body for p in pages]
    with_choice = [i for i, b in enumerate(bodies) if heading in b and i > 0]  # not the contents (page 1)
    assert len(with_choice) == 1
    end = with_choice[0]
    assert end >= len(pages) - 2  # at the end, after every member
    tail = " ".join(bodies[end:])
    # every option of the members that ask for it, once each, then "Not sure yet"
    assert_in_order(tail, [heading, "Cycling", "Taking the bus", "Walking", LABELS["choice_not_sure"],
                           LABELS["choice_helpers"], LABELS["choice_pressure"], LABELS["choice_questions"],
                           LABELS["choice_next"], LABELS["about_pack_heading"]])
    assert tail.count("Taking the bus") == 1
    # the contents list it after the members, with the page it is on
    contents = bodies[0]  # under the cover
    assert_in_order(contents, ["Bike or bus?", "Your commute worksheet", f"{heading} {end + 1}"])


def test_a_pack_whose_members_ask_for_no_choice_prints_none(write_yaml):
    write_yaml(FIRST.replace("choice: true\n", ""), "first.yaml")
    write_yaml(SECOND.replace("choice: true\n", ""), "second.yaml")
    path = write_yaml(PACK, "pack.yaml")
    members = [load_aid(path.parent / n) for n in ("first.yaml", "second.yaml")]
    text = " ".join(p.body for p in read(render_pack(load_aid(path), members, CLINIC).pdf))
    assert LABELS["choice_heading"] not in text
    assert text.count(LABELS["about_pack_heading"]) == 2


def test_the_clinics_interests_print_once_in_a_pack_that_concerns_them(pack):
    pack_aid, members = pack
    for scope, printed in (("first", True), ("nothing-here", False)):
        from aidpress.model import Interests

        clinic = Clinic(name="Hub", phone="1", interests=Interests(text="We sell bikes.", aids=(scope,)))
        text = " ".join(p.body for p in read(render_pack(pack_aid, members, clinic).pdf))
        assert text.count("We sell bikes.") == (1 if printed else 0)


@pytest.mark.parametrize("text, expected", [
    ("Less pain (3).", "Less pain (30)."),
    ("They differ (sources 1, 3 differ).", "They differ (sources 10, 30 differ)."),
    ("Sources 1 and 3 sell it. Source 2 does not.", "Sources 10 and 30 sell it. Source 20 does not."),
    ("(1, 2)", "(10, 20)"),
    ("Soreness for 1 to 2 days (or 3).", "Soreness for 1 to 2 days (or 3)."),  # not a reference
    ("Rest for 2 days (1 to 2 weeks).", "Rest for 2 days (1 to 2 weeks)."),
    ("(7)", "(7)"),  # a number the aid does not cite is kept
])
def test_only_references_are_renumbered(text, expected):
    assert renumber(text, {1: 10, 2: 20, 3: 30}) == expected


def test_a_reference_to_a_source_the_aid_does_not_list_is_a_located_error(write_yaml):
    from aidpress.errors import InvalidAid

    path = write_yaml(FIRST.replace('"35 minutes (sources 1, 2 differ)."', '"35 minutes (sources 1, 3 differ)."'))
    with pytest.raises(InvalidAid) as err:
        load_aid(path)
    assert str(err.value) == (f"{path}:7:43: error: rows[0].cells.bus: refers to source 3, but 'sources:' lists 2 "
                              "(number the sources from 1, as listed under 'sources:')")


def test_a_pack_with_nothing_to_gather_has_no_end_page(write_yaml):
    sheet = "kind: checklist\ntitle: {title}\nsections:\n  - heading: Before you go\n    items: [Pump the tyres.]\n"
    write_yaml(sheet.format(title="Sheet one"), "one.yaml")
    write_yaml(sheet.format(title="Sheet two"), "two.yaml")
    path = write_yaml("kind: pack\ntitle: Two sheets\naids: [one.yaml, two.yaml]\n", "pack.yaml")
    members = [load_aid(path.parent / n) for n in ("one.yaml", "two.yaml")]
    pages = read(render_pack(load_aid(path), members, CLINIC).pdf)
    # cover and contents, one page per sheet: no page of only the clinic's box at the end
    assert len(pages) == 3 and pages[-1].body.startswith("Sheet two")
    assert LABELS["about_pack_heading"] not in " ".join(p.body for p in pages)
