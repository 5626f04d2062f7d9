"""The allocation as a mixed-integer programme (HiGHS), for side constraints that break the flow structure.

One binary per candidate arc. Rows: each child at most once; every capacity group; the total budget and each
council's budget; each council's out-of-area share (out-of-area placements - share x placements <= 0).
Objectives are lexicographic, solved in turn: children placed, then priority points
(stay, preference), then the policy's criteria in order where it asks for that, then the weighted score.
"""

import os
import sys
import time
from dataclasses import dataclass

import highspy
import numpy as np

from matcher.allocation.candidate_table import CandidateTable
from matcher.allocation.capacity import GroupFamily
from matcher.policy import CRITERIA, Policy

OBJECTIVE_TOLERANCE = 1e-6  # how far a later objective may pull an earlier one below its optimum
_RUNNING: set[highspy.Highs] = set()
_INTERRUPTIBLE = [False]
_STOPPED = [False]


def allow_interrupts() -> None:
    """Let ``interrupt_solves`` stop this process's solves from now on (HiGHS then calls back into Python as it
    goes, which costs a little time, so only processes that may be cancelled ask for it)."""
    _INTERRUPTIBLE[0] = True


def interrupt_solves() -> bool:
    """Ask every HiGHS solve running in this process to stop and keep its best solution (safe in a signal
    handler); False when none is running."""
    running = list(_RUNNING)
    _STOPPED[0] = bool(running)
    for highs in running:
        highs.cancelSolve()
    return bool(running)


@dataclass(frozen=True)
class MipResult:
    flow: np.ndarray | None
    status: str
    gap: float
    bound: float | None


def solve_mip(table: CandidateTable, families: list[GroupFamily], policy: Policy, time_limit: float,
              workers: int, seed: int) -> MipResult:
    """Build and solve the MIP; the status is one of optimal, feasible, no_solution_within_limit (also after
    ``interrupt_solves``, which ends it early with its best solution)."""
    n_arcs = len(table.child)
    if n_arcs == 0:  # nobody has a candidate: nothing to decide, and HiGHS would call the model empty
        return MipResult(np.zeros(0, dtype=np.int64), "optimal", 0.0, 0.0)
    rows, columns, values, upper = _rows(table, families, policy)
    lp = column_lp(np.zeros(n_arcs), rows, columns, values, np.full(len(upper), -np.inf), np.asarray(upper, float))
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_arcs
    highs = quiet_highs()
    for option, value in (("output_flag", False), ("threads", int(workers)), ("random_seed", int(seed))):
        highs.setOptionValue(option, value)
    highs.passModel(lp)
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    highs.HandleUserInterrupt = _INTERRUPTIBLE[0]
    return _solve_in_order(highs, _objectives(table, policy), time.monotonic() + time_limit)


def _solve_in_order(highs: highspy.Highs, objectives: list[np.ndarray], deadline: float) -> MipResult:
    """Lexicographic: maximise each objective in turn, holding the ones before at their optimum (a row each).
    A stage that ends without proof (time limit, interrupt) ends the sequence with its best solution."""
    n_arcs = len(objectives[0])
    columns = np.arange(n_arcs, dtype=np.int32)
    best: MipResult | None = None
    _STOPPED[0] = False
    for stage, coefficients in enumerate(objectives):
        if _STOPPED[0] and best is not None:  # interrupted between stages: the later objectives stay unoptimised
            return MipResult(best.flow, "feasible", np.inf, None)
        highs.changeColsCost(n_arcs, columns, np.asarray(coefficients, dtype=float))
        highs.setOptionValue("time_limit", max(deadline - time.monotonic(), 1e-3))
        if best is not None and best.flow is not None:  # the last stage's answer is feasible: start from it
            start = highspy.HighsSolution()
            start.col_value = best.flow.astype(float)
            highs.setSolution(start)
        _RUNNING.add(highs)
        try:
            highs.run()
        finally:
            _RUNNING.discard(highs)
        status, info = highs.getModelStatus(), highs.getInfo()
        if info.primal_solution_status != 2:
            return best or MipResult(None, "no_solution_within_limit", np.inf, None)
        flow = np.rint(np.asarray(highs.getSolution().col_value)).astype(np.int64)
        if status != highspy.HighsModelStatus.kOptimal:
            return MipResult(flow, "feasible", float(info.mip_gap), float(info.mip_dual_bound))
        best = MipResult(flow, "optimal", 0.0, float(info.mip_dual_bound))
        if stage < len(objectives) - 1:
            nonzero = np.flatnonzero(coefficients)
            highs.addRow(float(info.objective_function_value) - OBJECTIVE_TOLERANCE, highspy.kHighsInf,
                         len(nonzero), nonzero.astype(np.int32), np.asarray(coefficients, dtype=float)[nonzero])
    assert best is not None
    return best


def column_lp(cost: np.ndarray, rows: np.ndarray, columns: np.ndarray, values: np.ndarray,
              row_lower: np.ndarray, row_upper: np.ndarray) -> highspy.HighsLp:
    """A HiGHS model with 0..1 columns from (row, column, value) triplets; infinite row bounds are free."""
    order = np.argsort(columns, kind="stable")
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(row_lower)
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_, lp.col_upper_ = np.zeros(len(cost)), np.ones(len(cost))
    lp.row_lower_ = np.where(np.isfinite(row_lower), row_lower, -highspy.kHighsInf)
    lp.row_upper_ = np.where(np.isfinite(row_upper), row_upper, highspy.kHighsInf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(np.bincount(columns, minlength=len(cost)))]).astype(np.int32)
    lp.a_matrix_.index_ = rows[order].astype(np.int32)
    lp.a_matrix_.value_ = values[order]
    return lp


def quiet_highs() -> highspy.Highs:
    """A HiGHS instance, without the banner its first construction prints on standard output."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highs = highspy.Highs()
            sys.stdout.flush()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return highs


def _objectives(table: CandidateTable, policy: Policy) -> list[np.ndarray]:
    """The objectives from the first (children placed) to the last (the weighted score)."""
    objectives = [np.ones(len(table.child)), table.priority.astype(float)]
    if policy.objective == "lexicographic":
        objectives += [table.scores[:, CRITERIA.index(criterion)] for criterion in policy.priority]
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
