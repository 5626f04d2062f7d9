"""For the tests of stopping a solve part way: a MIP of several stages (a tight total budget) and a clock that moves
only when told, so a deadline passes exactly where a test says, on any machine."""

import numpy as np
import pandas as pd

from matcher.allocation.candidate_table import candidate_table_from_arcs
from matcher.allocation.capacity import Capacities
from matcher.policy import Policy


def hard_budget_instance(n_children: int = 400, n_providers: int = 20, seed: int = 3):  # type: ignore[no-untyped-def]
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


def budget_policy(table) -> Policy:  # type: ignore[no-untyped-def]
    return Policy(budget_gbp=0.6 * 40_000 * len(table.child_ids))


class Clock:
    """A clock that moves only when told (``now``, in seconds)."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now
