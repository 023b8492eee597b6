"""Issue 15 point 6: the clinic's own facts. A comparison's cost row prints the clinic's
fees (clinic.yaml `fees:` with `currency:`); without a fee it prints the sources' prices as
written, and "Ask us for our price". The clinic's `interests:` print only on the aids they
concern. Everything is read back from the built PDFs; expected texts come from the YAML
below, the seed files, or aidpress's labels."""

from __future__ import annotations

import re

import pytest
import yaml

from aidpress.errors import InvalidAid
from aidpress.labels import LABELS
from aidpress.validate import load_aid, load_clinic
from layouts import render

from .conftest import ROOT
from .readback import assert_in_order, body_text, norm

LAYOUTS = pytest.mark.parametrize("paper, large_print", [("a4", False), ("letter", False), ("a4", True)],
                                  ids=["a4", "letter", "a4-large"])

COMPARISON = """\
kind: comparison
title: Bike or bus?
options: {bike: Cycling, bus: Taking the bus, walk: Walking}
rows:
  - aspect: How long
    cells: {bike: 20 minutes., bus: 35 minutes., walk: An hour.}
  - aspect: Cost a week
    cost: [bike, bus]
    cells: {bike: "Guides say US$5 to US$10 (1).", bus: "One guide says €12 (2).", walk: Nothing to pay.}
sources: [A cycling guide (2024)., A bus company page (2025).]
"""


def clinic_file(tmp_path, text: str):
    path = tmp_path / "clinic.yaml"
    path.write_text("name: Example Cycle Hub\nphone: 0100 000 000\n" + text, encoding="utf-8")
    return load_clinic(path)


@LAYOUTS
def test_the_cost_row_prints_the_clinics_own_fees(write_yaml, tmp_path, paper, large_print):
    aid = load_aid(write_yaml(COMPARISON))
    clinic = clinic_file(tmp_path, "currency: \"£\"\nfees:\n  bike: 8\n  bus: 11.50\n")
    text = body_text(render(aid, clinic, paper=paper, large_print=large_print).pdf)
    our = LABELS["our_price"]
    assert_in_order(text, ["Cost a week", our.format(fee="£8"), our.format(fee="£11.50"), "Nothing to pay."])
    # the web prices are not printed as if they were the clinic's, nor offered as well
    assert "US$5" not in text and "€12" not in text
    assert LABELS["ask_price"] not in text


@LAYOUTS
def test_without_fees_the_sources_prices_print_with_ask_us_for_our_price(write_yaml, paper, large_print):
    aid = load_aid(write_yaml(COMPARISON))
    clinic = load_clinic(None)
    text = body_text(render(aid, clinic, paper=paper, large_print=large_print).pdf)
    ask = LABELS["ask_price"]
    assert_in_order(text, ["Cost a week", "Guides say US$5 to US$10 (1).", ask, "One guide says €12 (2).", ask,
                           "Nothing to pay."])
    assert norm(text).count(ask) == 2  # not on the option the clinic does not charge for (walking)
    assert "Our price" not in text


def test_a_fee_for_one_option_only(write_yaml, tmp_path):
    aid = load_aid(write_yaml(COMPARISON))
    clinic = clinic_file(tmp_path, "currency: CHF\nfees: {bus: 20}\n")
    text = body_text(render(aid, clinic).pdf)
    assert_in_order(text, ["Guides say US$5 to US$10 (1).", LABELS["ask_price"],
                           LABELS["our_price"].format(fee="CHF 20")])


def test_fees_need_a_currency_and_plain_amounts(tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text("name: A\nfees:\n  bike: 8\n", encoding="utf-8")
    with pytest.raises(InvalidAid) as err:
        load_clinic(path)
    assert str(err.value).startswith(f"{path}:2:1: error: fees: fees need a currency")
    path.write_text("name: A\ncurrency: \"£\"\nfees:\n  bike: £8\n", encoding="utf-8")
    with pytest.raises(InvalidAid) as err:
        load_clinic(path)
    assert str(err.value).startswith(f"{path}:4:9: error: fees.bike: ")
    assert "an amount like 45 or 45.50" in str(err.value)


def test_the_cost_row_names_options_of_the_comparison(write_yaml):
    path = write_yaml(COMPARISON.replace("cost: [bike, bus]", "cost: [bike, train]"))
    with pytest.raises(InvalidAid) as err:
        load_aid(path)
    assert str(err.value).startswith(f"{path}:8:18: error: rows[1].cost[1]: unknown option 'train'")


def test_only_one_cost_row(write_yaml):
    path = write_yaml(COMPARISON.replace("  - aspect: How long\n", "  - aspect: How long\n    cost: [walk]\n"))
    with pytest.raises(InvalidAid) as err:
        load_aid(path)
    assert "only one row can be the cost row" in str(err.value)


# ── the seed comparison with the sample clinic ──────────────────────────────────────


def test_the_sample_clinic_prints_its_own_pounds_on_the_seed_comparison():
    raw = yaml.safe_load((ROOT / "clinic.yaml").read_text(encoding="utf-8"))
    assert raw["currency"] == "£"
    aid = load_aid(ROOT / "aids" / "cupping-vs-dry-needling.yaml")
    (cost,) = [row for row in aid.rows if row.cost]
    pdf = render(aid, load_clinic(ROOT / "clinic.yaml")).pdf
    text = body_text(pdf)
    fees = [LABELS["our_price"].format(fee=f"£{raw['fees'][o]}") for o in cost.cost]
    assert_in_order(text, [cost.aspect, *fees])
    assert not re.search(r"\$\s?\d", text)  # no web price in dollars anywhere
    # with no clinic fees, the sources' prices print with their currency, and "ask us"
    text = body_text(render(aid, load_clinic(None)).pdf)
    for option in cost.cost:
        assert_in_order(text, [cost.aspect, cost.cells[option], LABELS["ask_price"]])
        assert "US$" in cost.cells[option] or "$" in cost.cells[option]


# ── interests, scoped ───────────────────────────────────────────────────────────────

OTHER = """\
kind: comparison
title: Tea or coffee?
tags: [drinks]
options: {tea: Tea, coffee: Coffee}
rows:
  - aspect: Caffeine
    cells: {tea: Less., coffee: More.}
about: {conflicts: None.}
"""
INTEREST = "We sell bicycles."


@pytest.mark.parametrize("scope, on_bike, on_tea", [
    ("", True, True),  # a plain statement concerns every aid
    ("  aids: [aid]\n", True, False),  # by aid id (the bike comparison's file is aid.yaml)
    ("  tags: [drinks]\n", False, True),  # by tag
    ("  aids: [aid]\n  tags: [drinks]\n", True, True),
])
def test_interests_print_only_on_the_aids_they_concern(write_yaml, tmp_path, scope, on_bike, on_tea):
    bike = load_aid(write_yaml(COMPARISON.replace("sources:", "about: {conflicts: None.}\nsources:")))
    tea = load_aid(write_yaml(OTHER, "tea.yaml"))
    interests = f"interests: {INTEREST}\n" if not scope else f"interests:\n  text: {INTEREST}\n{scope}"
    clinic = clinic_file(tmp_path, interests)
    for aid, expected in ((bike, on_bike), (tea, on_tea)):
        text = body_text(render(aid, clinic).pdf)
        assert_in_order(text, [LABELS["conflicts"], "None."])
        assert (INTEREST in text) == expected, (aid.id, scope)
