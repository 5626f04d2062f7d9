"""A MIP solve stopped through its control (as a cancelled job or a deadline stops it) keeps its best solution.

The stop comes from a deterministic hook (after a given stage of the lexicographic solve), never a timer, so the
test holds on any machine.
"""

from matcher.allocation.allocate import SolveSettings, allocate
from matcher.solve_control import SolveControl
from tests.helpers.staged_solves import budget_policy, hard_budget_instance


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
