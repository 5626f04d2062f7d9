"""A total budget around the flow: exact on the number placed, near-optimal on the score with a proven gap.

1. The minimum cost of placing k children is a min-cost flow, and it is convex and increasing in k, so a
   binary search over k finds the most children the budget can place, exactly (``placed_under_budget``).
2. With that many placed, the budget is relaxed into the objective (Lagrangian relaxation): maximise
   value - lambda x cost with a flow, bisecting lambda until the flow fits the budget. Every lambda gives an upper
   bound (the flow's value + lambda x budget), so the gap to the best feasible flow found is proven.
Costs are whole pounds per child a year (placement + transport, rounded), as the budget is checked.
"""

from dataclasses import dataclass

import numpy as np

from matcher.allocation.flow import FlowNetwork, solve_network
from matcher.solve_control import SolveControl

MAX_ITERATIONS = 40
TARGET_GAP = 1e-4  # a proven 0.01%: closer costs many more flow solves for little
PRICE_SCALE = 100  # priced arcs in 1/100 of a value unit, so rounding loosens the bound by 0.005 a child


@dataclass(frozen=True)
class BudgetResult:
    flow: np.ndarray | None
    placed: int
    value: float
    bound: float
    gap: float
    flow_solves: int
    complete: bool  # False where the deadline cut the search short
    #: What the budget costs, in a finance officer's words: the most children the places allow without it, the
    #: whole cost of placing one more than it does (None where it places them all), and the Lagrange multiplier
    #: in value units a pound (the shadow price: value forgone for want of a pound, at the optimum's margin).
    most: int = 0
    one_more_child_gbp: float | None = None
    multiplier: float = 0.0


def placed_under_budget(network: FlowNetwork, cost: np.ndarray, budget: float, most: int,
                        control: SolveControl) -> tuple[int, int, bool]:
    """Return the most children placeable within ``budget``, the flow solves used, and whether it is proven."""
    low, high, solves = 0, most, 0  # low is always affordable; high is the most the capacities allow
    while low < high:
        if control.expired():
            return low, solves, False
        middle = (low + high + 1) // 2
        flow, optimal_cost = solve_network(network, -cost, supply=middle)
        solves += 1
        if flow is not None and optimal_cost <= budget:  # the flow minimised cost, so its optimum is the cheapest
            low = middle
        else:
            high = middle - 1
    return low, solves, True


def maximise_within_budget(network: FlowNetwork, values: np.ndarray, cost_gbp: np.ndarray, budget: float,
                           most: int, control: SolveControl, score_points: np.ndarray | None = None
                           ) -> BudgetResult:
    """Place the most children the budget allows, then maximise value by Lagrangian bisection on the budget.

    The gap is measured against ``score_points`` (the score part of each arc's value, without priority points)
    where given, so priority points never make a shortfall in score look small. ``control`` is asked between flow
    solves: once it has expired, the search stops with the best flow within budget so far (``complete`` False).
    """
    scores = values if score_points is None else score_points
    cost = np.rint(cost_gbp).astype(np.int64)
    placed, solves, proven = placed_under_budget(network, cost, budget, most, control)
    best_flow, _ = solve_network(network, -cost, supply=placed)  # the cheapest flow: within budget by the search
    solves += 1
    one_more: float | None = None
    if placed < most:  # the cheapest way to place one child more: what the budget would need to place them
        _, cheapest = solve_network(network, -cost, supply=placed + 1)
        solves += 1
        one_more = float(cheapest)
    best_value = float(values @ best_flow) if best_flow is not None else -np.inf
    bound = np.inf
    # at ``high`` a pound outweighs the value of every arc together; kept where int64 sums cannot overflow
    # OR-Tools scales arc costs by the number of nodes + 1 inside, so leave room for that in int64
    n_nodes = int(max(network.tails.max(initial=1), network.heads.max(initial=1))) + 2
    room = 2.0 ** 62 / (PRICE_SCALE * max(float(cost.max(initial=1)), 1.0) * max(placed, 1) * n_nodes)
    low, high = 0.0, min(float(values.max(initial=0)) * max(placed, 1) + 1.0, room)
    for iteration in range(MAX_ITERATIONS):
        multiplier = 0.0 if iteration == 0 else high / 8 if low == 0 else (low + high) / 2
        priced = values * PRICE_SCALE - np.rint(multiplier * PRICE_SCALE * cost).astype(np.int64)
        flow, optimal_cost = solve_network(network, priced, supply=placed)
        solves += 1
        if flow is None:
            break
        rounding = 0.5 * placed if multiplier > 0 else 0.0  # each arc's priced cost is rounded to a whole unit
        bound = min(bound, (-optimal_cost + rounding) / PRICE_SCALE + multiplier * budget)
        spent = float(cost @ flow)
        if spent <= budget:
            value = float(values @ flow)
            if value > best_value:
                best_flow, best_value = flow, value
            high = multiplier
        else:
            low = multiplier
        if best_flow is not None and (bound - best_value) <= TARGET_GAP * max(float(scores @ best_flow), 1.0):
            break
        control.stage_done(iteration)
        if control.expired():  # the best flow within budget so far, with the bound proven so far
            proven = False
            break
    if best_flow is None:
        return BudgetResult(None, placed, 0.0, bound, np.inf, solves, False, most, one_more, high)
    gap = max(bound - best_value, 0.0) / max(float(scores @ best_flow), 1.0)
    return BudgetResult(best_flow, placed, best_value, bound, gap, solves, proven, most, one_more, high)
