"""The independent checker: it passes a valid allocation and names each kind of violation in a hand-built bad one.

The world: providers 101 (HOME, 2 places, 1 of them for ASD), 102 (HOME, 3 places, 1 reserved for HOME, so 2
unreserved) and 103 (AWAY, 2 places, £30,000 a year; the others £20,000). Children C1..C7; C1 is not a candidate at
103, every other pair is.
"""

import pandas as pd
import pytest

from matcher.allocation.check import check_allocation
from matcher.policy import Policy
from tests.helpers.allocation_cases import (
    AWAY,
    HOME,
    arcs_table,
    case,
    children_table,
    placements,
    providers_table,
    solve,
)

CHILDREN = children_table(("C1", HOME, "ASD"), ("C2", HOME, "SLD"), ("C3", HOME, "ASD"), ("C4", AWAY, "ASD"),
                          ("C5", AWAY, "SLD"), ("C6", HOME, "SLD"), ("C7", AWAY, "SLD"))
PROVIDERS = providers_table(
    {"provider_id": 101, "vacancies": 2, "need_vacancies": {"ASD": 1}},
    {"provider_id": 102, "vacancies": 3, "quotas": {HOME: 1}},
    {"provider_id": 103, "vacancies": 2, "host_council": AWAY},
)
CANDIDATES = pd.DataFrame(
    [(child, provider, 30_000.0 if provider == 103 else 20_000.0)
     for child in CHILDREN.index for provider in PROVIDERS.index if (child, provider) != ("C1", 103)],
    columns=["child_id", "provider_id", "annual_cost_gbp"])
# Every cap holds: 101 has 2 (1 ASD); 102 has 1 HOME + 1 other; 103 has 1. Cost £110,000, HOME's £60,000.
# HOME places nobody out of area; AWAY places C4 out (at 102) and C5 in: 50%.
VALID = {"C1": 101, "C2": 101, "C3": 102, "C4": 102, "C5": 103, "C6": None, "C7": None}


def assignments(placed: dict[str, int | None]) -> pd.DataFrame:
    frame = CHILDREN.reset_index()
    frame["provider_id"] = pd.array([placed.get(child) for child in frame["child_id"]], dtype="Int64")
    return frame


def check(placed: dict[str, int | None], policy: Policy | None = None) -> list[str]:
    return check_allocation(assignments(placed), CANDIDATES, PROVIDERS, policy or Policy())


def test_a_valid_allocation_passes_under_every_constraint():
    policy = Policy(budget_gbp=110_000, council_budgets_gbp={HOME: 60_000, AWAY: 50_000},
                    max_out_of_area_share=0.5)
    assert check(VALID, policy) == []


def test_nobody_placed_passes():
    assert check({}, Policy(budget_gbp=0, council_budgets_gbp={HOME: 0}, max_out_of_area_share=0.0)) == []


def test_a_child_placed_twice():
    twice = pd.concat([assignments(VALID), assignments({"C5": 103}).iloc[[4]]], ignore_index=True)
    assert check_allocation(twice, CANDIDATES, PROVIDERS, Policy()) == ["child C5 appears more than once"]


@pytest.mark.parametrize(("change", "problems"), [
    ({"C1": 103}, ["child C1 placed at 103, which is not one of its candidates"]),
    ({"C6": 101}, ["provider 101: 3 placed, over its 2 places"]),
    # C3 (ASD) joins C1 (ASD) at 101; C2 makes room by going to 103.
    ({"C2": 103, "C3": 101}, ["provider 101: 2 placed for ASD, over its 1 places"]),
    # C6 (HOME) joins C3 (HOME) at 102: 3 places, but HOME's quota is 1.
    ({"C6": 102}, [f"provider 102: 2 placed from {HOME}, over its quota of 1"]),
    # C3 leaves 102 for 103; C4, C5 and C7 (AWAY) share the 2 unreserved places: 3 of 3 places, over the rest.
    ({"C3": 103, "C5": 102, "C7": 102},
     ["provider 102: 3 placed from councils without a quota, over the 2 unreserved places"]),
    # A provider missing from the register has no places and no candidates.
    ({"C7": 999}, ["child C7 placed at 999, which is not one of its candidates", "provider 999: 1 placed, over its 0 "
                   "places"]),
])
def test_each_capacity_violation_is_named(change, problems):
    assert check({**VALID, **change}) == problems


@pytest.mark.parametrize(("policy", "problems"), [
    (Policy(budget_gbp=109_997), ["total annual cost £110,000 over the budget of £109,997"]),
    (Policy(council_budgets_gbp={HOME: 50_000, AWAY: 50_000}),
     [f"council {HOME}: £60,000 over its budget of £50,000"]),
    (Policy(max_out_of_area_share=0.4), [f"council {AWAY}: 50.0% placed out of area, over the cap of 40%"]),
    (Policy(budget_gbp=100_000, council_budgets_gbp={AWAY: 49_000}, max_out_of_area_share=0.0), [
        "total annual cost £110,000 over the budget of £100,000",
        f"council {AWAY}: £50,000 over its budget of £49,000",
        f"council {AWAY}: 50.0% placed out of area, over the cap of 0%",
    ]),
])
def test_each_policy_violation_is_named(policy, problems):
    assert check(VALID, policy) == problems


def test_budgets_allow_half_a_pound_a_placed_child_for_rounding():
    # Five placed: £2.50 of tolerance on £110,000.
    assert check(VALID, Policy(budget_gbp=109_998)) == []
    assert check(VALID, Policy(budget_gbp=109_997)) != []


def test_every_violation_is_reported_at_once():
    # C1 to 103 (not a candidate, so it costs nothing here); C3 and C6 join C2 at 101; C7 to 102.
    # Cost: C2, C3, C4, C6, C7 at £20,000 and C5 at £30,000.
    bad = {**VALID, "C1": 103, "C3": 101, "C6": 101, "C7": 102}
    assert check(bad, Policy(budget_gbp=100_000)) == [
        "child C1 placed at 103, which is not one of its candidates",
        "provider 101: 3 placed, over its 2 places",
        "total annual cost £130,000 over the budget of £100,000",
    ]


def test_a_solver_allocation_passes_and_fails_once_tampered_with():
    # 7 children and 7 places, and a way to fit everyone: the solver places all 7, and the checker agrees
    # (``solve`` runs it). Moving a child from 102 to 103 then overfills 103.
    arcs = arcs_table(*[(row.child_id, row.provider_id, 0.5, row.annual_cost_gbp) for row in CANDIDATES.itertuples()])
    allocation = solve(case(CHILDREN, PROVIDERS, arcs))
    placed = placements(allocation)
    assert None not in placed.values()
    mover = next(child for child, provider in placed.items() if provider == 102 and child != "C1")
    tampered = allocation.assignments()
    tampered.loc[tampered["child_id"] == mover, "provider_id"] = 103
    problems = check_allocation(tampered, allocation.table.arcs_frame(), PROVIDERS, Policy())
    assert problems == ["provider 103: 3 placed, over its 2 places"]


def test_the_arcs_child_ids_as_a_categorical_give_the_same_problems_as_plain_ids():
    # the candidate table hands the checker its child ids as a categorical over its children; a placement that is
    # no arc (C1 at 103) and a child among no arc's (C9) are found either way
    placed = assignments({**VALID, "C1": 103})
    placed = pd.concat([placed, placed.iloc[[0]].assign(child_id="C9", provider_id=pd.array([101], dtype="Int64"))],
                       ignore_index=True)
    categorical = CANDIDATES.astype({"child_id": "category"})
    problems = check_allocation(placed, CANDIDATES, PROVIDERS, Policy(budget_gbp=0))
    assert check_allocation(placed, categorical, PROVIDERS, Policy(budget_gbp=0)) == problems
    assert {"child C1 placed at 103, which is not one of its candidates",
            "child C9 placed at 101, which is not one of its candidates"} <= set(problems)


def test_a_child_placed_twice_at_two_providers_has_each_placement_checked():
    # C1 at 101 (a candidate) and at 103 (not one): each pair is looked up, with plain and categorical ids alike
    twice = pd.concat([assignments(VALID), assignments({"C1": 103}).iloc[[0]]], ignore_index=True)
    problems = check_allocation(twice, CANDIDATES, PROVIDERS, Policy())
    assert problems[:2] == ["child C1 appears more than once",
                            "child C1 placed at 103, which is not one of its candidates"]
    categorical = CANDIDATES.astype({"child_id": "category", "provider_id": "category"})
    assert check_allocation(twice, categorical, PROVIDERS, Policy()) == problems
