"""Cohort allocation: one provider or unplaced per child, optimal under the policy, with a reason for every gap.

Methods (``auto`` picks the first that holds the policy's constraints exactly):
- ``flow``: OR-Tools min-cost flow; capacities per provider, per provider and need, per council quota.
- ``lagrangian``: a total budget around the flow (see ``matcher.budget``): placed count exact, score within a
  proven gap.
- ``mip``: HiGHS, for council budgets, out-of-area caps, crossing capacities and the lexicographic objective;
  also a total budget when asked for by name.
Solver outcomes are statuses (optimal, feasible, infeasible, no_solution_within_limit), never exceptions.
"""

import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from core.errors import PlacewiseError
from matcher.allocation.budget import maximise_within_budget
from matcher.allocation.candidate_table import CandidateTable
from matcher.allocation.capacity import Capacities, capacity_families
from matcher.allocation.child_groups import ChildGroups
from matcher.allocation.components import Mapper, SolvedNetwork, WarmStart, count_parts, solve_parts, solve_whole
from matcher.allocation.flow import NotNested, arc_values, build_network, check_nested, score_points, solve_network
from matcher.allocation.mip import solve_mip
from matcher.allocation.pricing import solve_with_pricing
from matcher.allocation.result import Allocation, SolveStatus, explain_unplaced
from matcher.policy import Policy
from matcher.solve_control import SolveControl

Method = Literal["auto", "flow", "lagrangian", "mip"]
SMALLEST_PART = 200  # children: smaller parts of the candidate graph are solved together


@dataclass(frozen=True)
class SolveSettings:
    method: Method = "auto"
    time_limit_seconds: float = 60.0
    workers: int = 1
    seed: int = 0
    parameters: dict = field(default_factory=dict)
    group_children: bool = True  # the flow: interchangeable children share a node (``child_groups``), same optimum

    def __post_init__(self) -> None:
        if not self.time_limit_seconds > 0 or self.workers < 1:
            raise PlacewiseError("solver: give a positive time limit and at least one worker")


def allocate(table: CandidateTable, capacities: Capacities, policy: Policy,
             settings: SolveSettings | None = None, control: SolveControl | None = None,
             mapper: Mapper = map) -> Allocation:
    """Allocate the cohort of a candidate table under the policy's objective and constraints.

    ``control`` carries the deadline and the cancel flag (a run's, whose deadline is what remains of the whole
    run); the solve keeps the sooner of its deadline and the settings' time limit from now, and the caller's
    control is left as it was. Stopped early by either, the allocation is the best found, and its parameters
    say so (``stopped_by``: ``time_limit`` or ``cancel``). The flow is solved part by part where the candidate
    graph falls apart (``matcher.allocation.components``), each part through ``mapper`` (a Dask client's ``map``
    fans them out across a cluster).
    """
    settings = settings or SolveSettings()
    started = time.monotonic()
    control = (control or SolveControl()).part(settings.time_limit_seconds)
    families = capacity_families(table, capacities)
    method = _choose_method(settings.method, policy)
    gap, bound = 0.0, None
    extra: dict[str, float | str | None] = {}
    flow: np.ndarray | None
    status: SolveStatus
    if method != "mip":
        try:
            check_nested(families)
        except NotNested:
            method = "mip"
    if method == "flow" and table.reserve is not None:

        def solve(candidates: CandidateTable, groups: ChildGroups | None) -> np.ndarray | SolvedNetwork | None:
            if mapper is map:  # one process: the table as one network, which the pricing reads again
                return solve_whole(candidates, capacities, settings.group_children, groups)
            return solve_parts(candidates, capacities, mapper, smallest_part=SMALLEST_PART,
                               grouped=settings.group_children, groups=groups)[0]

        def solve_from(candidates: CandidateTable, groups: ChildGroups | None, start: WarmStart,
                       ) -> SolvedNetwork | None:
            return solve_whole(candidates, capacities, settings.group_children, groups, start)

        table, flow, proof = solve_with_pricing(table, table.reserve, capacities, solve,
                                                grouped=settings.group_children,
                                                solve_reads_values=mapper is map,  # solve_whole: no regrouping
                                                solve_from=solve_from if mapper is map else None)
        families = capacity_families(table, capacities)  # the arcs brought in have their groups too
        extra = {"parts": count_parts(table, SMALLEST_PART), **proof.as_parameters()}
        status = "optimal" if flow is not None and proof.proven else (
            "feasible" if flow is not None else "no_solution_within_limit")
    elif method == "flow":
        flow, parts = solve_parts(table, capacities, mapper, smallest_part=SMALLEST_PART,
                                  grouped=settings.group_children)
        extra = {"parts": parts}
        status = "optimal" if flow is not None else "no_solution_within_limit"
    elif method == "lagrangian":
        network, values = build_network(table, families), arc_values(table)
        most_flow, _ = solve_network(network, values)
        most = int(most_flow.sum()) if most_flow is not None else 0
        result = maximise_within_budget(network, values, table.whole_cost_gbp, float(policy.budget_gbp or 0.0),
                                        most, control, score_points(table))
        flow, gap, bound = result.flow, result.gap, result.bound
        extra = {"flow_solves": result.flow_solves, "value": result.value, "budget_gbp": float(policy.budget_gbp or 0),
                 "most_placeable": most, "one_more_child_gbp": result.one_more_child_gbp,
                 "unbudgeted_cost_gbp": float(np.rint(table.whole_cost_gbp) @ most_flow) if most_flow is not None
                 else None, "multiplier_value_per_pound": result.multiplier}  # not "gbp": never rounded to a pound
        status = ("no_solution_within_limit" if flow is None else
                  "optimal" if result.complete and gap <= 1e-9 else "feasible")
    else:
        mip = solve_mip(table, families, policy, control, settings.workers, settings.seed)
        flow, status, gap, bound = mip.flow, mip.status, mip.gap, mip.bound
    stopped_by = control.stopped_by()
    if stopped_by is not None and status not in ("optimal", "infeasible"):
        extra["stopped_by"] = stopped_by
    if table.reserve is not None and method != "flow":  # the budget or the MIP on a cut table: the cut's optimum
        extra["proven_optimal_for_all_arcs"] = False
    chosen = _chosen_arcs(table, flow)
    wall = time.monotonic() - started
    unplaced = explain_unplaced(table, families, chosen, policy, solved=flow is not None)
    return Allocation(
        table=table, chosen_arc=chosen, status=status, method=method,
        parameters={"time_limit_seconds": settings.time_limit_seconds, "workers": settings.workers,
                    "seed": settings.seed, **settings.parameters, **extra},
        gap=float(gap), bound=bound, wall_seconds=wall, unplaced=unplaced,
    )


def _choose_method(asked: Method, policy: Policy) -> str:
    needs_mip = bool(policy.council_budgets_gbp) or policy.max_out_of_area_share is not None or (
        policy.objective == "lexicographic")
    if asked == "auto":
        return "mip" if needs_mip else "lagrangian" if policy.budget_gbp is not None else "flow"
    if asked == "flow" and (needs_mip or policy.budget_gbp is not None):
        raise PlacewiseError("solver.method: flow cannot hold a budget, an out-of-area cap or a lexicographic "
                         "objective; use auto")
    if asked == "lagrangian" and (needs_mip or policy.budget_gbp is None):
        raise PlacewiseError("solver.method: lagrangian is for a total budget alone; use auto")
    return asked


def _chosen_arcs(table: CandidateTable, flow: np.ndarray | None) -> np.ndarray:
    """Each child's chosen arc, or -1 where unplaced (every child is unplaced where no solution was found)."""
    chosen = np.full(table.n_children, -1, dtype=np.int64)
    if flow is not None:
        used = np.flatnonzero(flow > 0)
        chosen[table.child[used]] = used
    return chosen
