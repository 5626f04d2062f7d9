"""A MIP solve stopped through its control (as a cancelled job or a deadline stops it) keeps its best solution.

The stop comes from a deterministic hook (after a given stage of the lexicographic solve), never a timer, so the
test holds on any machine.
"""

import numpy as np
import pandas as pd

from matcher.allocation.allocate import SolveSettings, allocate
from matcher.allocation.candidate_table import candidate_table_from_arcs
from matcher.allocation.capacity import Capacities
from matcher.policy import Policy
from matcher.solve_control import SolveControl


def hard_budget_instance(n_children: int = 400, n_providers: int = 20, seed: int = 3):
    """Random scores and costs under a tight total budget: a knapsack-like MIP with several stages."""
    rng = np.random.default_rng(seed)
    children = pd.DataFrame({"home_council": "C1", "primary_need": "ASD"},
                            index=pd.Index([f"K{number}" for number in range(n_children)], name="child_id"))
    providers = pd.DataFrame({"host_council": "C1", "kind": "special_academy"},
                             index=pd.Index(np.arange(1, n_providers + 1), name="provider_id"))
    child = np.repeat(children.index.to_numpy(), 8)
    provider = rng.integers(1, n_providers + 1, len(child))
    arcs = pd.DataFrame({"child_id": child, "provider_id": provider, "total_score": rng.uniform(0, 1, len(child)),
                         "placement_cost_gbp": rng.uniform(20_000, 60_000, len(child))})
    arcs = arcs.drop_duplicates(["child_id", "provider_id"])
    places = np.full(n_providers, int(n_children * 0.9 / n_providers))
    return candidate_table_from_arcs(children, providers, arcs), Capacities(places=places)


def budget_policy(table) -> Policy:
    return Policy(budget_gbp=0.6 * 40_000 * len(table.child_ids))


def test_a_mip_cancelled_after_its_first_stage_keeps_that_stage_s_solution():
    table, capacities = hard_budget_instance()
    policy = budget_policy(table)
    stages: list[int] = []
    control = SolveControl()
    control.after_stage = lambda stage: (stages.append(stage), control.cancel())
    allocation = allocate(table, capacities, policy, SolveSettings(method="mip", time_limit_seconds=600), control)
    left_alone = allocate(table, capacities, policy, SolveSettings(method="mip", time_limit_seconds=600))
    assert stages == [0]  # the first stage (children placed) was proven, then the solve stopped
    assert allocation.status == "feasible" and left_alone.status == "optimal"
    placed = allocation.assignments()["provider_id"].notna().sum()
    assert placed == left_alone.assignments()["provider_id"].notna().sum()  # the first objective is already optimal
    terms = allocation.objective()
    assert terms["placement_cost_gbp"] + terms["transport_cost_gbp"] <= policy.budget_gbp + 1e-6
    assert terms["total_score"] <= left_alone.objective()["total_score"] + 1e-6


def test_a_control_cancelled_before_the_solve_returns_at_once_without_claiming_a_solution():
    table, capacities = hard_budget_instance()
    control = SolveControl()
    control.cancel()
    allocation = allocate(table, capacities, budget_policy(table), SolveSettings(method="mip"), control)
    assert allocation.status in ("feasible", "no_solution_within_limit")
    assert allocation.status != "optimal"
