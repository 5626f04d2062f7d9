"""Money in a finance officer's words, on the demo: what a budget did (checked by running the budget it says one
more child needs), the cost basis, and capital with its payback."""

from pathlib import Path

import pytest

from matcher.costs import default_costs
from scenarios.finance import (
    CAPITAL_COST_PER_PLACE_GBP,
    budget_statement,
    capital_and_payback,
    cost_basis,
    new_places,
)
from scenarios.packages_config import load_catalogue
from scenarios.run import run_scenario
from scenarios.schema import load_scenario, parse_scenario
from tests.helpers.samples import DEMO


def _run_with_budget(budget: float):
    document = load_scenario(DEMO).model_dump(mode="json", exclude={"base_dir", "roads"}, exclude_none=True)
    document["policy"]["budget_gbp"] = budget
    run = run_scenario(parse_scenario(document, Path("budget.json")))
    return run, budget_statement(run.kpis, document["policy"])


@pytest.fixture(scope="module")
def unbudgeted():
    return run_scenario(load_scenario(DEMO))


def test_a_binding_budget_says_what_it_costs_and_what_one_more_child_would_need(unbudgeted):
    run, statement = _run_with_budget(0.8 * unbudgeted.kpis["annual_cost_gbp"])
    assert statement["binds"] is True and statement["committed_gbp"] <= statement["budget_gbp"] + 1
    assert statement["children_it_costs"] == unbudgeted.kpis["placed"] - run.kpis["placed"] > 0
    assert statement["shadow_score_per_1000_gbp"] > 0
    needed = statement["budget_gbp"] + statement["one_more_child_needs_gbp"]
    more, _ = _run_with_budget(needed + 1)  # what it says one more child needs does place one more
    assert more.kpis["placed"] == run.kpis["placed"] + 1
    fewer, _ = _run_with_budget(needed - 2)
    assert fewer.kpis["placed"] == run.kpis["placed"]


def test_a_budget_above_the_whole_cost_does_not_bind(unbudgeted):
    run, statement = _run_with_budget(unbudgeted.kpis["annual_cost_gbp"] + 10_000)
    assert statement["binds"] is False and statement["children_it_costs"] == 0
    assert run.kpis["placed"] == unbudgeted.kpis["placed"]
    assert budget_statement(unbudgeted.kpis, {}) is None  # no budget, no statement


def test_the_cost_basis_names_the_year_the_figures_and_what_is_illustrative(unbudgeted):
    basis = unbudgeted.cost_basis
    assert basis["s251_year"] == "2023-24" and basis["illustrative"] == []
    assert basis["national_cost_by_kind_gbp"]["special_maintained"] == 26_373
    priced = load_scenario(DEMO.parents[0] / "north-east-packages.yaml").packages_file()
    with_bands = cost_basis(default_costs().with_catalogue(load_catalogue(priced)))
    assert with_bands["illustrative"] == ["national price bands of Specialist Provision Packages"]


def test_new_places_and_payback():
    deltas = [{"open": {"places": 40}}, {"expand": {"100": 10, "101": -5}}, {"close": 7},
              {"add_places": {"provider_id": 3, "need": "ASD", "places": 6}}]
    assert new_places(deltas) == 56
    paid = capital_and_payback(56, 500_000.0)
    assert paid["capital_gbp"] == 56 * CAPITAL_COST_PER_PLACE_GBP and paid["illustrative"]
    assert paid["payback_years"] == pytest.approx(56 * CAPITAL_COST_PER_PLACE_GBP / 500_000)
    assert capital_and_payback(56, -10.0)["payback_years"] is None and capital_and_payback(0, 1.0) is None
    assert capital_and_payback(10, 1_000.0, per_place_gbp=50_000)["illustrative"] is False
