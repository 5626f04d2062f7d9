"""The allocation as a mixed-integer programme (HiGHS), for side constraints that break the flow structure.

One binary per candidate arc. Rows: each child at most once; every capacity group; the total budget and each
council's budget; each council's out-of-area share (out-of-area placements - share x placements <= 0).
Objectives are lexicographic, solved in turn: children placed, then priority points
(stay, preference), then the policy's criteria in order where it asks for that, then the weighted score.
"""

from dataclasses import dataclass

import highspy
import numpy as np

from matcher.allocation.candidate_table import CandidateTable
from matcher.allocation.capacity import GroupFamily
from matcher.allocation.result import SolveStatus
from matcher.highs import pass_column_model, quiet_highs
from matcher.policy import Policy
from matcher.solve_control import SolveControl

OBJECTIVE_TOLERANCE = 1e-6  # how far a later objective may pull an earlier one below its optimum


@dataclass(frozen=True)
class MipResult:
    flow: np.ndarray | None
    status: SolveStatus
    gap: float
    bound: float | None


def solve_mip(table: CandidateTable, families: list[GroupFamily], policy: Policy, control: SolveControl,
              workers: int, seed: int) -> MipResult:
    """Build and solve the MIP; the status is one of optimal, feasible, no_solution_within_limit (also when the
    control is cancelled or its deadline passes, which ends it early with its best solution).

    The deadline holds even where HiGHS cannot stop (building a model of millions of columns, or its presolve):
    the work runs beside the caller, who takes its answer by the deadline (and a moment's grace), or says that no
    solution came within the limit while the abandoned work winds down on its own."""
    if len(table.child) == 0:  # nobody has a candidate: nothing to decide, and HiGHS would call the model empty
        return MipResult(np.zeros(0, dtype=np.int64), "optimal", 0.0, 0.0)
    answer = control.call_by_deadline(lambda: _build_and_solve(table, families, policy, control, workers, seed))
    return answer if answer is not None else MipResult(None, "no_solution_within_limit", np.inf, None)


def _build_and_solve(table: CandidateTable, families: list[GroupFamily], policy: Policy, control: SolveControl,
                     workers: int, seed: int) -> MipResult:
    n_arcs = len(table.child)
    rows, columns, values, upper = _rows(table, families, policy)
    if control.expired():
        return MipResult(None, "no_solution_within_limit", np.inf, None)
    highs = quiet_highs()
    for option, value in (("output_flag", False), ("threads", int(workers)), ("random_seed", int(seed))):
        highs.setOptionValue(option, value)
    pass_column_model(highs, np.zeros(n_arcs), rows, columns, values, np.full(len(upper), -np.inf),
                      np.asarray(upper, float), integer=True)
    if control.expired():
        return MipResult(None, "no_solution_within_limit", np.inf, None)
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    highs.HandleUserInterrupt = True  # so the control's cancel and watchdog reach the solve
    return _solve_in_order(highs, _objectives(table, policy), control)


def _solve_in_order(highs: highspy.Highs, objectives: list[np.ndarray], control: SolveControl) -> MipResult:
    """Lexicographic: maximise each objective in turn, holding the ones before at their optimum (a row each).
    A stage that ends without proof (time limit, interrupt) ends the sequence with its best solution."""
    n_arcs = len(objectives[0])
    columns = np.arange(n_arcs, dtype=np.int32)
    best: MipResult | None = None
    for stage, coefficients in enumerate(objectives):
        if control.expired():  # stopped between stages: the later objectives stay unoptimised
            return MipResult(best.flow, "feasible", np.inf, None) if best is not None else MipResult(
                None, "no_solution_within_limit", np.inf, None)
        highs.changeColsCost(n_arcs, columns, np.asarray(coefficients, dtype=float))
        highs.setOptionValue("time_limit", max(min(control.remaining(), 1e9), 1e-3))
        if best is not None and best.flow is not None:  # the last stage's answer is feasible: start from it
            start = highspy.HighsSolution()
            start.col_value = best.flow.astype(float)
            highs.setSolution(start)
        with control.running(highs):
            highs.run()
        status, info = highs.getModelStatus(), highs.getInfo()
        if info.primal_solution_status != 2:
            return best or MipResult(None, "no_solution_within_limit", np.inf, None)
        flow = np.rint(np.asarray(highs.getSolution().col_value)).astype(np.int64)
        if status != highspy.HighsModelStatus.kOptimal:
            return MipResult(flow, "feasible", float(info.mip_gap), float(info.mip_dual_bound))
        best = MipResult(flow, "optimal", 0.0, float(info.mip_dual_bound))
        control.stage_done(stage)
        if stage < len(objectives) - 1:
            nonzero = np.flatnonzero(coefficients)
            highs.addRow(float(info.objective_function_value) - OBJECTIVE_TOLERANCE, highspy.kHighsInf,
                         len(nonzero), nonzero.astype(np.int32), np.asarray(coefficients, dtype=float)[nonzero])
    assert best is not None
    return best


def _objectives(table: CandidateTable, policy: Policy) -> list[np.ndarray]:
    """The objectives from the first (children placed) to the last (the weighted score)."""
    objectives = [np.ones(len(table.child)), table.priority.astype(float)]
    if policy.objective == "lexicographic":
        objectives += [table.score(criterion) for criterion in policy.priority]
    return [*objectives, table.total_score]


def _rows(table: CandidateTable, families: list[GroupFamily], policy: Policy,
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[float]]:
    """The constraint matrix as (row, column, value) triplets and each row's upper bound."""
    arcs = np.arange(len(table.child))
    rows, columns, values = [table.child.astype(np.int64)], [arcs], [np.ones(len(arcs))]
    upper: list[float] = [1.0] * table.n_children
    for family in families:
        bound = np.flatnonzero(family.group >= 0)
        rows.append(len(upper) + family.group[bound])
        columns.append(bound)
        values.append(np.ones(len(bound)))
        upper += family.cap.astype(float).tolist()
    cost = np.rint(table.whole_cost_gbp)
    if policy.budget_gbp is not None:
        rows.append(np.full(len(arcs), len(upper)))
        columns.append(arcs)
        values.append(cost)
        upper.append(float(policy.budget_gbp))
    councils = table.child_council[table.child]
    for council, budget in sorted(policy.council_budgets_gbp.items()):
        of_council = np.flatnonzero(councils == council)
        rows.append(np.full(len(of_council), len(upper)))
        columns.append(of_council)
        values.append(cost[of_council])
        upper.append(float(budget))
    if policy.max_out_of_area_share is not None:
        out_of_area = (table.provider_council[table.provider] != councils).astype(float)
        for council in sorted(set(councils.tolist())):
            of_council = np.flatnonzero(councils == council)
            rows.append(np.full(len(of_council), len(upper)))
            columns.append(of_council)
            values.append(out_of_area[of_council] - policy.max_out_of_area_share)
            upper.append(0.0)
    return np.concatenate(rows), np.concatenate(columns), np.concatenate(values), upper
