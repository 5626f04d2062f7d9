"""Benchmark: cohort allocation at scale, placewise against a bare min-cost flow, PuLP + CBC and a greedy rule.

Run: .venv/bin/python bench/allocate.py [--sizes 1000,10000,50000,200000] [--seed 7] [--time-limit 300]

What it measures, for synthetic cohorts of each size:
- the instance: providers (children / 20, at least 50) and children scattered uniformly over a square region of
  one provider per 23 km² (34 km wide at 1,000 children, 107 km at 10,000, 150 km at about 20,000, 240 km at
  50,000, 480 km at 200,000), so that the number of candidates a child has stays realistic, about 20 to 45, at
  every size (a fixed 150 km region gives a handful a child at 1,000 and over 150 at 200,000). Each provider is
  designated for 2 to 4 of the 12 SEN2 needs (drawn with the national weights); a child's candidates are the
  providers designated for its primary need within its travel cap (45 minutes under 11, else 75), travel being
  straight-line km x 1.3 at 30 km/h. Scores (0..1, to 4 decimals, so every solver optimises exactly the same
  integers) blend travel, provider quality, a per-arc fit and value for money; placement costs are the national
  cost of the provider's kind (+/- 10%) and transport costs £9,193 per 14.5 km. Places total 92% of the
  children, so some are unplaced. Seeded and deterministic.
- for each solver, run in its own process (``multiprocessing``, "spawn"): build time, solve time, peak memory,
  children placed, total score, status and the independent checker's verdict (``check_allocation``):
  1. placewise ``allocate(method="flow")``: build = ``candidate_table_from_arcs``, solve = ``wall_seconds``;
  2. a bare OR-Tools ``SimpleMinCostFlow`` on the same arcs: build = ids to positions, solve = network arrays,
     arcs added and ``solve_max_flow_with_min_cost`` (the speed reference: placewise's target is 2x its time);
  3. PuLP + CBC with one weighted objective (see ``solve_cbc``), time-limited, skipped above 50,000 children;
  4. greedy: children with the fewest candidates first, each to its best-scored candidate with room.
- a budget section (1,000 and 10,000 children): budget = 97% of the unconstrained flow's whole cost; placewise
  ``method="lagrangian"`` against ``method="mip"`` (HiGHS). Targets: within 0.5% of the MIP's score, 10x faster.

Memory is the high-water mark of the solver's process's resident set (VmHWM in /proc/self/status): "peak MiB" is
that mark at the end of the solve, "+MiB" how far the solve raised it above the mark taken once the instance was
loaded. Not ``ru_maxrss``: on Linux a spawned process's ``ru_maxrss`` starts from its parent's high-water mark (the
kernel keeps it across exec), so it would report the generator's memory, not the solver's. CBC runs as a child of
the solver's process; its own peak, polled from /proc every 0.1 s, is shown after the status. The checker runs
after the measurements, outside every time and memory figure.
"""

import argparse
import gc
import multiprocessing
import os
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from ortools.graph.python import min_cost_flow

try:  # CBC through PuLP is the bench extra's; without it the other solvers still run, and the table says so
    import pulp  # noqa: F401
    HAS_PULP = True
except ImportError:
    HAS_PULP = False

from core.vocabulary import NEEDS
from geodata.demo import NATIONAL_AGE_COUNTS, NATIONAL_NEED_COUNTS
from matcher.allocation.allocate import SolveSettings, allocate
from matcher.allocation.candidate_table import candidate_table_from_arcs
from matcher.allocation.capacity import Capacities
from matcher.allocation.check import check_allocation
from matcher.allocation.flow import SCORE_SCALE
from matcher.costs import (
    AVERAGE_JOURNEY_KM,
    NATIONAL_BAND_2023_24_GBP,
    NATIONAL_COSTS_2023_24,
    NATIONAL_TRANSPORT_2023_24_GBP,
)
from matcher.policy import Policy

DEFAULT_SIZES = (1_000, 10_000, 50_000, 200_000)
BUDGET_SIZES = (1_000, 10_000)
CBC_MAX_CHILDREN = 50_000
CHILDREN_PER_PROVIDER = 20
MIN_PROVIDERS = 50
KM2_PER_PROVIDER = 23.0  # one provider per 23 km²: about 40 candidates a child
COUNCIL_SIDE_KM = 30.0
ROAD_FACTOR, SPEED_KMH = 1.3, 30.0
CAP_MINUTES = {"primary": 45.0, "secondary": 75.0}
PLACES_SHARE = 0.92
BUDGET_SHARE = 0.97
KIND_SHARES = {"special_academy": 0.30, "special_maintained": 0.25, "resourced_provision": 0.20,
               "independent_special": 0.20, "non_maintained_special": 0.05}
WEIGHTS = {"travel": 0.40, "quality": 0.30, "fit": 0.15, "value_for_money": 0.15}
KIB_PER_MIB = 1024


@dataclass(frozen=True)
class Job:
    """One solver run, done in its own process on the instance saved at ``path``."""

    solver: str  # placewise, bare_flow, cbc, greedy, lagrangian, mip
    path: str
    time_limit: float = 300.0
    budget_gbp: float | None = None


# --- the synthetic instance ---------------------------------------------------------------------------------


def make_instance(n_children: int, seed: int) -> dict[str, np.ndarray]:
    """Draw a cohort, its providers and the candidate arcs between them, as plain arrays (deterministic)."""
    rng = np.random.default_rng(seed)
    n_providers = max(MIN_PROVIDERS, n_children // CHILDREN_PER_PROVIDER)
    side_km = np.sqrt(n_providers * KM2_PER_PROVIDER)
    providers = _draw_providers(rng, n_providers, side_km, round(PLACES_SHARE * n_children))
    children = _draw_children(rng, n_children, side_km)
    return {**providers, **children, **_draw_arcs(rng, children, providers)}


def _draw_providers(rng: np.random.Generator, n_providers: int, side_km: float, n_places: int,
                    ) -> dict[str, np.ndarray]:
    """Providers: place, designated needs (2 to 4, national weights), kind, placement cost and places."""
    xy = rng.uniform(0, side_km, (n_providers, 2))
    designated = np.zeros((n_providers, len(NEEDS)), dtype=bool)
    for row, count in enumerate(rng.integers(2, 5, n_providers)):
        designated[row, rng.choice(len(NEEDS), count, replace=False, p=_shares(NATIONAL_NEED_COUNTS))] = True
    kinds = rng.choice(list(KIND_SHARES), n_providers, p=list(KIND_SHARES.values()))
    placement = np.rint([NATIONAL_COSTS_2023_24[kind] for kind in kinds] * rng.uniform(0.9, 1.1, n_providers))
    places = rng.multinomial(n_places, _place_weights(rng, n_providers))
    return {"provider_id": np.arange(100_001, 100_001 + n_providers), "provider_council": _councils(xy),
            "provider_kind": kinds.astype(str), "places": places, "provider_xy": xy,
            "provider_designated": designated, "provider_placement_gbp": placement}


def _draw_children(rng: np.random.Generator, n_children: int, side_km: float) -> dict[str, np.ndarray]:
    """Children: place, primary need and age (national weights), and the travel cap of their phase."""
    xy = rng.uniform(0, side_km, (n_children, 2))
    need = rng.choice(len(NEEDS), n_children, p=_shares(NATIONAL_NEED_COUNTS))
    age = rng.choice(np.array(list(NATIONAL_AGE_COUNTS)), n_children, p=_shares(NATIONAL_AGE_COUNTS))
    return {"child_id": np.arange(1, n_children + 1, dtype=np.int64), "child_council": _councils(xy),
            "child_need": np.asarray(NEEDS)[need], "child_xy": xy, "child_need_code": need,
            "child_cap_minutes": np.where(age < 11, CAP_MINUTES["primary"], CAP_MINUTES["secondary"])}


def _draw_arcs(rng: np.random.Generator, children: dict[str, np.ndarray], providers: dict[str, np.ndarray],
               ) -> dict[str, np.ndarray]:
    """The candidate arcs with travel, costs and a score blending travel, quality, fit and value for money."""
    cap_minutes = children["child_cap_minutes"]
    child, provider = _candidate_pairs(children["child_xy"], children["child_need_code"], cap_minutes,
                                       providers["provider_xy"], providers["provider_designated"])
    distance = np.hypot(*(children["child_xy"][child] - providers["provider_xy"][provider]).T)
    minutes = distance * ROAD_FACTOR / SPEED_KMH * 60
    placement = providers["provider_placement_gbp"][provider]
    transport = np.rint(NATIONAL_TRANSPORT_2023_24_GBP * distance / AVERAGE_JOURNEY_KM)
    quality = rng.uniform(0, 1, len(providers["provider_id"]))
    score = (WEIGHTS["travel"] * (1 - minutes / cap_minutes[child]) + WEIGHTS["quality"] * quality[provider]
             + WEIGHTS["fit"] * rng.uniform(0, 1, len(child))
             + WEIGHTS["value_for_money"] * np.clip(1.5 - (placement + transport) / NATIONAL_BAND_2023_24_GBP, 0, 1))
    return {"arc_child": child, "arc_provider": provider, "total_score": np.round(score, 4),
            "placement_cost_gbp": placement, "transport_cost_gbp": transport, "travel_minutes": minutes,
            "distance_km": distance}


def _shares(counts: dict) -> np.ndarray:
    weights = np.array(list(counts.values()), dtype=float)
    return weights / weights.sum()


def _place_weights(rng: np.random.Generator, n_providers: int) -> np.ndarray:
    """Relative sizes of the providers (a gamma spread: a few large schools, many small)."""
    sizes = rng.gamma(2.0, size=n_providers)
    return sizes / sizes.sum()


def _councils(xy: np.ndarray) -> np.ndarray:
    """A council code for each point: the square tile of the region it falls in."""
    tile = np.floor(xy / COUNCIL_SIDE_KM).astype(int)
    return np.char.add(np.char.add("C", tile[:, 0].astype(str)), np.char.add("-", tile[:, 1].astype(str)))


def _candidate_pairs(child_xy: np.ndarray, need: np.ndarray, cap_minutes: np.ndarray, provider_xy: np.ndarray,
                     designated: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(child, provider) pairs where the provider is designated for the child's need and within its travel cap."""
    reach_km = cap_minutes / 60 * SPEED_KMH / ROAD_FACTOR
    children, providers = [], []
    for code in range(designated.shape[1]):
        points, sites = np.flatnonzero(need == code), np.flatnonzero(designated[:, code])
        near_point, near_site = _pairs_within(child_xy[points], reach_km[points], provider_xy[sites])
        children.append(points[near_point])
        providers.append(sites[near_site])
    child, provider = np.concatenate(children), np.concatenate(providers)
    order = np.lexsort((provider, child))
    return child[order].astype(np.int64), provider[order].astype(np.int64)


def _pairs_within(points: np.ndarray, radius: np.ndarray, sites: np.ndarray,
                  chunk: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (point, site) no further apart than the point's radius, by a grid of cells of the largest radius."""
    if not len(points) or not len(sites):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    cell = float(radius.max())
    stride = int(np.ceil(max(points.max(), sites.max()) / cell)) + 3
    site_cell = np.floor(sites / cell).astype(np.int64) + 1
    site_key = site_cell[:, 0] * stride + site_cell[:, 1]
    by_key = np.argsort(site_key, kind="stable")
    sorted_keys = site_key[by_key]
    found_point, found_site = [], []
    for first in range(0, len(points), chunk):
        block = np.arange(first, min(first + chunk, len(points)))
        point_cell = np.floor(points[block] / cell).astype(np.int64) + 1
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                key = (point_cell[:, 0] + dx) * stride + point_cell[:, 1] + dy
                low = np.searchsorted(sorted_keys, key, "left")
                count = np.searchsorted(sorted_keys, key, "right") - low
                point = np.repeat(block, count)
                within = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
                site = by_key[np.repeat(low, count) + within]
                close = np.hypot(*(points[point] - sites[site]).T) <= radius[point]
                found_point.append(point[close])
                found_site.append(site[close])
    return np.concatenate(found_point), np.concatenate(found_site)


def save_instance(instance: dict[str, np.ndarray], path: Path) -> None:
    np.savez(path, **instance)


def load_frames(path: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The instance as the tables placewise reads: children, providers (with vacancies) and arcs."""
    data = np.load(path)
    children = pd.DataFrame({"home_council": data["child_council"].astype(object),
                             "primary_need": data["child_need"].astype(object)},
                            index=pd.Index(data["child_id"], name="child_id"))
    providers = pd.DataFrame({"host_council": data["provider_council"].astype(object),
                              "kind": data["provider_kind"].astype(object), "vacancies": data["places"]},
                             index=pd.Index(data["provider_id"], name="provider_id"))
    arcs = pd.DataFrame({"child_id": data["child_id"][data["arc_child"]],
                         "provider_id": data["provider_id"][data["arc_provider"]],
                         **{name: data[name] for name in ("total_score", "placement_cost_gbp", "transport_cost_gbp",
                                                          "travel_minutes", "distance_km")}})
    return children, providers, arcs


# --- the solvers: each returns (build seconds, solve seconds, chosen arc per child or -1, details) -------------


def solve_placewise(children: pd.DataFrame, providers: pd.DataFrame, arcs: pd.DataFrame, job: Job):
    """Placewise as a user calls it: a candidate table from the arcs, then ``allocate``."""
    started = time.perf_counter()
    table = candidate_table_from_arcs(children, providers, arcs)
    capacities = Capacities(places=providers["vacancies"].to_numpy(dtype=np.int64))
    built = time.perf_counter()
    method = "flow" if job.solver == "placewise" else job.solver
    policy = Policy(budget_gbp=job.budget_gbp)
    allocation = allocate(table, capacities, policy, SolveSettings(method=method, time_limit_seconds=job.time_limit))
    called = time.perf_counter() - built
    details = {"status": allocation.status, "gap": allocation.gap, "policy": policy,
               "explain_seconds": called - allocation.wall_seconds, "assignments": allocation.assignments()}
    return built - started, allocation.wall_seconds, allocation.chosen_arc, details


def solve_bare_flow(children: pd.DataFrame, providers: pd.DataFrame, arcs: pd.DataFrame, job: Job):
    """OR-Tools min-cost flow written directly: source -> child (1) -> provider (1) -> sink (places)."""
    started = time.perf_counter()
    child = children.index.get_indexer(arcs["child_id"]).astype(np.int64)
    provider = providers.index.get_indexer(arcs["provider_id"]).astype(np.int64)
    score = arcs["total_score"].to_numpy(dtype=float)
    places = providers["vacancies"].to_numpy(dtype=np.int64)
    built = time.perf_counter()
    n_children, n_providers, n_arcs = len(children), len(providers), len(arcs)
    source, sink, first_child, first_provider = 0, 1, 2, 2 + n_children
    tails = np.concatenate([np.full(n_children, source), first_child + child, first_provider + np.arange(n_providers)])
    heads = np.concatenate([first_child + np.arange(n_children), first_provider + provider, np.full(n_providers, sink)])
    capacities = np.concatenate([np.ones(n_children + n_arcs, np.int64), places])
    costs = np.concatenate([np.zeros(n_children, np.int64), -np.rint(score * SCORE_SCALE).astype(np.int64),
                            np.zeros(n_providers, np.int64)])
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.zeros(first_provider + n_providers, np.int64)
    supplies[source], supplies[sink] = n_children, -n_children
    solver.set_nodes_supplies(np.arange(len(supplies)), supplies)
    status = solver.solve_max_flow_with_min_cost()
    flows = solver.flows(np.arange(n_children, n_children + n_arcs))
    chosen = np.full(n_children, -1, np.int64)
    used = np.flatnonzero(flows > 0)
    chosen[child[used]] = used
    solved = time.perf_counter()
    details = {"status": "optimal" if status == solver.OPTIMAL else f"status {status}"}
    return built - started, solved - built, chosen, details


def solve_cbc(children: pd.DataFrame, providers: pd.DataFrame, arcs: pd.DataFrame, job: Job):
    """PuLP + CBC: one binary per arc, each child at most once, places per provider, one weighted objective.

    The objective is sum((BIG + score) x) with BIG = children + 1, which places the most children first, exactly:
    scores lie in 0..1, so the scores of any allocation sum to at most the number of children, less than BIG. An
    allocation placing one child more gains at least BIG in the placing term and loses less than BIG in scores,
    so it always wins; among allocations placing the same number, the BIG terms are equal and the scores decide.
    """
    import pulp  # only this solver needs it

    started = time.perf_counter()
    child = children.index.get_indexer(arcs["child_id"])
    provider = providers.index.get_indexer(arcs["provider_id"])
    big = len(children) + 1
    weights = big + arcs["total_score"].to_numpy(dtype=float)
    x = [pulp.LpVariable(f"x{arc}", cat=pulp.LpBinary) for arc in range(len(arcs))]
    problem = pulp.LpProblem("allocation", pulp.LpMaximize)
    problem += pulp.LpAffineExpression(zip(x, weights.tolist(), strict=True))
    for rows, limits in ((child, np.ones(len(children), np.int64)),
                         (provider, providers["vacancies"].to_numpy(dtype=np.int64))):
        order = np.argsort(rows, kind="stable")
        starts = np.searchsorted(rows[order], np.arange(len(limits) + 1))
        for group, limit in enumerate(limits.tolist()):
            members = order[starts[group]:starts[group + 1]].tolist()
            if members:
                problem += pulp.LpAffineExpression([(x[arc], 1) for arc in members]) <= limit
    built = time.perf_counter()
    with warnings.catch_warnings():  # PuLP 3 warns that the bundled CBC goes in PuLP 4; the bench pins PuLP < 4
        warnings.simplefilter("ignore")
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=job.time_limit, threads=1)
    with ChildPeakWatcher() as cbc:
        problem.solve(solver)
    values = np.array([variable.varValue or 0.0 for variable in x])
    chosen = np.full(len(children), -1, np.int64)
    used = np.flatnonzero(values > 0.5)
    chosen[child[used]] = used
    solved = time.perf_counter()
    details = {"status": f"{pulp.LpStatus[problem.status]} / {pulp.LpSolution[problem.sol_status]}",
               "child_process_kib": cbc.peak_kib}
    return built - started, solved - built, chosen, details


def solve_greedy(children: pd.DataFrame, providers: pd.DataFrame, arcs: pd.DataFrame, job: Job):
    """Children with the fewest candidates first, each to its best-scored candidate that still has room."""
    started = time.perf_counter()
    child = children.index.get_indexer(arcs["child_id"])
    provider = providers.index.get_indexer(arcs["provider_id"])
    score = arcs["total_score"].to_numpy(dtype=float)
    by_child = np.lexsort((-score, child))  # each child's arcs together, best score first
    starts = np.searchsorted(child[by_child], np.arange(len(children) + 1))
    order = np.argsort(np.diff(starts), kind="stable")
    built = time.perf_counter()
    room = providers["vacancies"].to_numpy(dtype=np.int64).copy()
    chosen = np.full(len(children), -1, np.int64)
    for position in order.tolist():
        own = by_child[starts[position]:starts[position + 1]]
        free = np.flatnonzero(room[provider[own]] > 0)
        if len(free):
            arc = own[free[0]]
            room[provider[arc]] -= 1
            chosen[position] = arc
    return built - started, time.perf_counter() - built, chosen, {"status": "heuristic"}


SOLVERS = {"placewise": solve_placewise, "lagrangian": solve_placewise, "mip": solve_placewise,
           "bare_flow": solve_bare_flow, "cbc": solve_cbc, "greedy": solve_greedy}
LABELS = {"placewise": "placewise flow", "bare_flow": "bare OR-Tools flow", "cbc": "PuLP + CBC", "greedy": "greedy",
          "lagrangian": "placewise lagrangian", "mip": "placewise mip (HiGHS)"}


# --- one measured run, in its own process ---------------------------------------------------------------------


def peak_kib(pid: int | str = "self") -> int:
    """A process's resident-set high-water mark (VmHWM), in KiB; 0 once the process has gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0


class ChildPeakWatcher:
    """Polls the high-water marks of this process's child processes (CBC) while the block runs."""

    def __init__(self, every_seconds: float = 0.1) -> None:
        self.every_seconds, self.peak_kib = every_seconds, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> "ChildPeakWatcher":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        parent = str(os.getpid())
        while not self._stop.wait(self.every_seconds):
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    with open(f"/proc/{pid}/stat") as stat:
                        is_child = stat.read().rsplit(")", 1)[1].split()[1] == parent
                except OSError:
                    continue
                if is_child:
                    self.peak_kib = max(self.peak_kib, peak_kib(pid))


def measure(job: Job) -> dict:
    """Load the instance, take the memory baseline, run the solver, then check its allocation."""
    children, providers, arcs = load_frames(job.path)
    gc.collect()
    baseline = peak_kib()
    build, solve, chosen, details = SOLVERS[job.solver](children, providers, arcs, job)
    peak = peak_kib()
    placed = chosen >= 0
    whole = (arcs["placement_cost_gbp"] + arcs["transport_cost_gbp"]).to_numpy()
    score = arcs["total_score"].to_numpy()
    problems = check_allocation(details.get("assignments", _assignments(children, arcs, chosen)),
                                arcs.assign(annual_cost_gbp=whole), providers, details.get("policy", Policy()))
    return {
        "solver": job.solver, "build": build, "solve": solve, "peak_mib": peak / KIB_PER_MIB,
        "added_mib": (peak - baseline) / KIB_PER_MIB,
        "child_process_mib": details.get("child_process_kib", 0) / KIB_PER_MIB,
        "placed": int(placed.sum()), "score": float(score[chosen[placed]].sum()),
        "score_units": int(np.rint(score[chosen[placed]] * SCORE_SCALE).sum()),
        "whole_cost": float(whole[chosen[placed]].sum()), "status": details["status"], "gap": details.get("gap"),
        "explain_seconds": details.get("explain_seconds"), "problems": problems,
    }


def _assignments(children: pd.DataFrame, arcs: pd.DataFrame, chosen: np.ndarray) -> pd.DataFrame:
    """The checker's view of an allocation given as each child's chosen arc (or -1)."""
    provider = pd.array(np.where(chosen >= 0, arcs["provider_id"].to_numpy()[np.maximum(chosen, 0)], 0),
                        dtype="Int64")
    provider[chosen < 0] = pd.NA
    return pd.DataFrame({"child_id": children.index, "home_council": children["home_council"].to_numpy(),
                         "primary_need": children["primary_need"].to_numpy(), "provider_id": provider})


def run_apart(job: Job) -> dict:
    """Run one measured job in a fresh spawned process, so its memory figures are its own."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(measure, (job,))


# --- reporting --------------------------------------------------------------------------------------------------


HEADER = (f"{'solver':<22}{'build s':>9}{'solve s':>9}{'peak MiB':>10}{'+MiB':>8}{'placed':>9}{'total score':>14}"
          "  status / check")


def row(result: dict) -> str:
    problems = result["problems"]
    check = "check passed" if not problems else f"check FAILED ({len(problems)}): {problems[0]}"
    extra = f", cbc {result['child_process_mib']:,.0f} MiB" if result["solver"] == "cbc" else ""
    gap = f", gap {result['gap']:.2e}" if result.get("gap") else ""
    return (f"{LABELS[result['solver']]:<22}{result['build']:>9.3f}{result['solve']:>9.3f}{result['peak_mib']:>10,.0f}"
            f"{result['added_mib']:>8,.0f}{result['placed']:>9,}{result['score']:>14,.4f}"
            f"  {result['status']}{gap}{extra}; {check}")


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def versus(ours: dict, other: dict) -> str:
    """Placewise's objective against another's, lexicographically: placed first, then the score."""
    placed, units = ours["placed"] - other["placed"], ours["score_units"] - other["score_units"]
    worse = placed < 0 or (placed == 0 and units < 0)
    return (f"placewise vs {LABELS[other['solver']]}: placed {placed:+,}, score {units / SCORE_SCALE:+,.4f} "
            f"({'WORSE' if worse else 'not worse'})")


def describe(instance: dict[str, np.ndarray], seconds: float) -> str:
    n_children, n_arcs = len(instance["child_id"]), len(instance["arc_child"])
    without = n_children - len(np.unique(instance["arc_child"]))
    side_km = np.sqrt(len(instance["provider_id"]) * KM2_PER_PROVIDER)
    return (f"{n_children:,} children, {len(instance['provider_id']):,} providers, {int(instance['places'].sum()):,} "
            f"places, {side_km:.0f} km square; {n_arcs:,} arcs ({n_arcs / n_children:.1f} a child, {without:,} "
            "children with none); "
            f"generated in {seconds:.1f} s")


def report_size(n_children: int, instance: dict[str, np.ndarray], path: Path, time_limit: float) -> dict:
    """Run the four solvers on one instance and print their table, ratios and comparisons."""
    results = {name: run_apart(Job(name, str(path), time_limit)) for name in ("placewise", "bare_flow", "greedy")}
    if n_children <= CBC_MAX_CHILDREN and HAS_PULP:
        results["cbc"] = run_apart(Job("cbc", str(path), time_limit))
    print(HEADER)
    for name in ("placewise", "bare_flow", "cbc", "greedy"):
        print(row(results[name]) if name in results else f"{LABELS[name]:<22}skipped: " + (
            f"over {CBC_MAX_CHILDREN:,}" if HAS_PULP else "PuLP is not installed (pip install -e '.[bench]')"))
    ours, bare = results["placewise"], results["bare_flow"]
    print(f"placewise allocate() spent a further {ours['explain_seconds']:.2f} s explaining the unplaced "
          "(outside wall_seconds)")
    ratio = ours["solve"] / bare["solve"]
    print(f"ratio placewise solve / bare flow solve: {ratio:.2f}x (target at most 2x: {verdict(ratio <= 2)}); "
          f"build + solve: {(ours['build'] + ours['solve']) / (bare['build'] + bare['solve']):.2f}x")
    if "cbc" in results:
        print(f"ratio CBC build + solve / placewise build + solve: "
              f"{(results['cbc']['build'] + results['cbc']['solve']) / (ours['build'] + ours['solve']):.1f}x")
    for name in ("bare_flow", "cbc", "greedy"):
        if name in results:
            print(versus(ours, results[name]))
    return ours


def report_budget(n_children: int, path: Path, unconstrained: dict, time_limit: float) -> None:
    """Placewise's Lagrangian against its MIP under a total budget of 97% of the unconstrained whole cost."""
    budget = round(BUDGET_SHARE * unconstrained["whole_cost"])
    print(f"\nBudget, {n_children:,} children: £{budget:,} (97% of the unconstrained allocation's "
          f"£{unconstrained['whole_cost']:,.0f})")
    results = {name: run_apart(Job(name, str(path), time_limit, budget)) for name in ("lagrangian", "mip")}
    print(HEADER)
    for result in results.values():
        print(row(result))
    lagrangian, mip = results["lagrangian"], results["mip"]
    placed = lagrangian["placed"] - mip["placed"]
    relative = (lagrangian["score"] - mip["score"]) / mip["score"] if mip["score"] else float("nan")
    speed = mip["solve"] / lagrangian["solve"]
    print(f"lagrangian vs mip: placed {placed:+,}, score {relative:+.4%} of the MIP's (target within 0.5%: "
          f"{verdict(placed >= 0 and relative >= -0.005)}); MIP solve / Lagrangian solve: {speed:.1f}x "
          f"(target at least 10x: {verdict(speed >= 10)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(size) for size in DEFAULT_SIZES),
                        help="cohort sizes, comma-separated")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=300.0, help="time limit of CBC and of the MIP, seconds")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="placewise-bench-") as folder:
        for n_children in sizes:
            started = time.perf_counter()
            instance = make_instance(n_children, arguments.seed)
            path = Path(folder) / f"cohort-{n_children}.npz"
            save_instance(instance, path)
            print(f"\n== {describe(instance, time.perf_counter() - started)}", flush=True)
            unconstrained = report_size(n_children, instance, path, arguments.time_limit)
            if n_children in BUDGET_SIZES:
                report_budget(n_children, path, unconstrained, arguments.time_limit)
            print(f"({n_children:,} children: {time.perf_counter() - started:.0f} s in all)", flush=True)


if __name__ == "__main__":
    main()
