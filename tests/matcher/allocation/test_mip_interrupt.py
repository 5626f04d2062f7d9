"""A MIP solve interrupted (as a cancelled job interrupts it) stops at once and keeps its best solution."""

import threading
import time

import numpy as np
import pandas as pd

from matcher.allocation import mip
from matcher.allocation.allocate import SolveSettings, allocate
from matcher.allocation.candidate_table import candidate_table_from_arcs
from matcher.allocation.capacity import Capacities
from matcher.policy import Policy


def hard_budget_instance(n_children: int = 1_500, n_providers: int = 30, seed: int = 3):
    """Random scores and costs under a tight total budget: a knapsack-like MIP that HiGHS takes about 3 s to
    close here (its root LP is quick, and HiGHS checks for an interrupt between the nodes that follow)."""
    rng = np.random.default_rng(seed)
    children = pd.DataFrame({"home_council": "C1", "primary_need": "ASD"},
                            index=pd.Index([f"K{number}" for number in range(n_children)], name="child_id"))
    providers = pd.DataFrame({"host_council": "C1", "kind": "special_academy"},
                             index=pd.Index(np.arange(1, n_providers + 1), name="provider_id"))
    child = np.repeat(children.index.to_numpy(), 12)
    provider = rng.integers(1, n_providers + 1, len(child))
    arcs = pd.DataFrame({"child_id": child, "provider_id": provider, "total_score": rng.uniform(0, 1, len(child)),
                         "placement_cost_gbp": rng.uniform(20_000, 60_000, len(child))})
    arcs = arcs.drop_duplicates(["child_id", "provider_id"])
    places = np.full(n_providers, int(n_children * 0.9 / n_providers))
    return candidate_table_from_arcs(children, providers, arcs), Capacities(places=places)


def test_an_interrupted_mip_returns_within_two_seconds_with_its_best_solution():
    table, capacities = hard_budget_instance()
    policy = Policy(budget_gbp=0.6 * 40_000 * len(table.child_ids))
    mip.allow_interrupts()
    try:
        timer = threading.Timer(0.8, mip.interrupt_solves)
        timer.start()
        started = time.monotonic()
        allocation = allocate(table, capacities, policy, SolveSettings(method="mip", time_limit_seconds=120))
        stopped_after = time.monotonic() - started
    finally:
        mip._INTERRUPTIBLE[0] = False
    assert allocation.status == "feasible"  # stopped early: left alone with 120 s, it is proven optimal
    assert stopped_after < 0.8 + 2.0
    placed = allocation.assignments()["provider_id"].notna().sum()
    terms = allocation.objective()
    assert placed > 0 and terms["placement_cost_gbp"] + terms["transport_cost_gbp"] <= policy.budget_gbp + 1e-6
