"""Sweeps: many variants of a capacity plan on Dask (``dask.distributed``), gathered into one table.

Each variant draws every council's demand from the forecast's uncertainty (a log-normal factor with the spread
of its 80% interval) and takes one point of the policy grid (``max_sites`` x ``cap_minutes``). A ``LocalCluster``
runs them by default; ``scheduler`` names a running cluster instead. The result says how often each candidate
site is chosen and how cost and the children left to the fallback spread across the variants.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import product

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from geodata.areas import load_council_msoas
from matcher.planning.sites import PlanningInstance, plan_sites
from matcher.solve_control import SolveControl
from matcher.travel.straight_line import StraightLineTravel
from scenarios.cluster import check_scheduler, dask_client, worker_count
from scenarios.planning_run import demand_growth, interval_spread, locate_demand, prepare, transport_model
from scenarios.schema import Scenario


@dataclass(frozen=True, eq=False)
class SweepResult:
    variants: pd.DataFrame  # one row per variant
    site_frequency: pd.Series  # share of variants choosing each site
    wall_seconds: float
    workers: int
    #: Variants not run, or whose search stopped early, because the control's deadline passed or it was cancelled.
    stopped: int = 0


def sweep_variants(scenario: Scenario) -> list[dict]:
    """The variants of a scenario's sweep: draws x max_sites x cap_minutes."""
    if scenario.sweep is None or scenario.plan is None:
        raise PlacewiseError("sweep: the scenario needs both a plan: and a sweep: section")
    sweep = scenario.sweep
    grid = product(range(sweep.draws), sweep.max_sites, sweep.cap_minutes)
    return [{"variant": number, "draw": draw, "max_sites": sites, "cap_minutes": cap}
            for number, (draw, sites, cap) in enumerate(grid)]


def run_sweep(scenario: Scenario, scheduler: str | None = None, workers: int = 2,
              progress: Callable[[int, int], None] | None = None, sequential: bool = False,
              control: SolveControl | None = None) -> SweepResult:
    """Run every variant on Dask (or one after another with ``sequential``, where ``control``'s deadline or cancel
    stops the sweep between variants and within one) and gather the results."""
    variants = sweep_variants(scenario)
    assert scenario.plan is not None and scenario.sweep is not None
    if scenario.data_dir() is None:
        raise PlacewiseError("sweep: its draws come from the forecast's range, and the demo has no forecast (no SEN2 "
                             "series); plan without a sweep on the demo, or give the open data", field="sweep")
    if not sequential:
        check_scheduler(scheduler)  # fail within seconds, before the inputs are prepared
    instance, forecast, costs, _ = prepare(scenario)
    assert forecast is not None
    data_dir = scenario.data_dir()
    assert data_dir is not None
    base = {"instance": instance, "forecast": forecast, "msoas": load_council_msoas(data_dir),
            "plan": scenario.plan, "councils": list(scenario.councils),
            "spread": interval_spread(forecast, scenario.plan.year, list(scenario.councils)),
            "seed": scenario.sweep.seed, "transport": costs}
    started = time.perf_counter()
    if sequential:
        rows = []
        for done, variant in enumerate(variants, start=1):
            if control is not None and control.expired():
                break
            rows.append(run_variant(base, variant, control))
            if progress is not None:
                progress(done, len(variants))
        used = 1
    else:
        rows, used = _on_dask(base, variants, scheduler, workers, progress)
    wall = time.perf_counter() - started
    if not rows:
        raise PlacewiseError("sweep: stopped before its first variant was planned; give it more time "
                             "(solver.time_limit_seconds)", field="solver.time_limit_seconds")
    table = pd.DataFrame(rows).sort_values("variant").reset_index(drop=True)
    chosen = table["sites"].str.split(";").explode()
    frequency = (chosen[chosen != ""].value_counts() / len(table)).rename("share_of_variants")
    stopped = len(variants) - len(table) + int((table["search"] == "stopped").sum())
    return SweepResult(table, frequency, wall, used, stopped)


def run_variant(base: dict, variant: dict, control: SolveControl | None = None) -> dict:
    """Plan one variant: demand drawn for its draw, the policy of its grid point."""
    rng = np.random.default_rng([base["seed"], variant["draw"]])
    scale = np.exp(rng.normal(0.0, 1.0, len(base["councils"])) * base["spread"])
    spec = base["plan"].model_copy(update={"cap_minutes": variant["cap_minutes"]})
    growth = demand_growth(base["forecast"], spec, scale, base["councils"])
    demand = locate_demand(growth, base["msoas"], spec, int(rng.integers(0, 2**31)))
    instance: PlanningInstance = replace(base["instance"], demand=demand)
    plan = plan_sites(instance, StraightLineTravel(), transport_model(base["transport"]), variant["max_sites"],
                      spec.budget_gbp, control)
    return {**variant, "children": int(demand["children"].sum()), "sites": ";".join(map(str, plan.sites)),
            "n_sites": len(plan.sites), "total_cost_gbp": plan.total_cost_gbp, "saving_gbp": plan.saving_gbp,
            "fallback_children": plan.fallback_children, "status": plan.status, "search": plan.search}


def _on_dask(base: dict, variants: list[dict], scheduler: str | None, workers: int,
             progress: Callable[[int, int], None] | None) -> tuple[list[dict], int]:
    from dask.distributed import as_completed

    with dask_client(scheduler, workers) as client:
        [shared] = client.scatter([base], broadcast=True)  # one object under its own key, not the dict's keys
        futures = [client.submit(run_variant, shared, variant, pure=False) for variant in variants]
        rows = []
        for done, future in enumerate(as_completed(futures), start=1):
            rows.append(future.result())
            if progress is not None:
                progress(done, len(variants))
        return rows, worker_count(client, workers)
