"""Small allocation instances for the tests: plain tables in, a checked allocation out, and a greedy to beat.

A case is three plain tables, as ``candidate_table_from_arcs`` takes them, with the providers table also
carrying what the capacities and the independent checker read (``vacancies``, ``need_vacancies``, ``quotas``).
Every solve goes through ``solve``, which runs the independent checker on the result.
"""

from dataclasses import dataclass

import pandas as pd
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from matcher.allocation.allocate import SolveSettings, allocate
from matcher.allocation.candidate_table import CandidateTable, candidate_table_from_arcs
from matcher.allocation.capacity import capacities_from_providers
from matcher.allocation.check import check_allocation
from matcher.allocation.result import Allocation
from matcher.allocation.wishes import PREFERRED, STAY
from matcher.policy import Policy

HOME = "E06000001"  # the home council of most children in the cases
AWAY = "E06000002"
THIRD = "E06000003"
COUNCILS = (HOME, AWAY, THIRD)
NEEDS = ("ASD", "SLD")
ARC_COLUMNS = ["child_id", "provider_id", "total_score", "placement_cost_gbp", "priority"]


@dataclass(frozen=True)
class Case:
    children: pd.DataFrame  # index child_id: home_council, primary_need
    providers: pd.DataFrame  # index provider_id: host_council, kind, vacancies, need_vacancies, quotas
    arcs: pd.DataFrame  # child_id, provider_id, total_score, placement_cost_gbp, priority (+ any criteria)

    @property
    def table(self) -> CandidateTable:
        return candidate_table_from_arcs(self.children, self.providers, self.arcs)


def children_table(*rows: tuple) -> pd.DataFrame:
    """Children as (child_id[, home_council[, primary_need]]) rows; council and need default to HOME and ASD."""
    defaults = (None, HOME, "ASD")
    records = [(*row, *defaults[len(row):]) for row in rows]
    return pd.DataFrame.from_records(records, columns=["child_id", "home_council", "primary_need"]).set_index(
        "child_id")


def providers_table(*rows: dict) -> pd.DataFrame:
    """Providers as dicts with provider_id and vacancies; host council HOME and no caps unless given."""
    records = [{"host_council": HOME, "kind": "special_academy", "need_vacancies": {}, "quotas": {}, **row}
               for row in rows]
    return pd.DataFrame.from_records(records).set_index("provider_id")


def arcs_table(*rows: tuple, **criteria: list[float]) -> pd.DataFrame:
    """Arcs as (child_id, provider_id, total_score[, placement_cost_gbp[, priority]]) rows."""
    records = [(*row, *(0.0, 0)[len(row) - 3:]) for row in rows]
    arcs = pd.DataFrame.from_records(records, columns=ARC_COLUMNS)
    for name, values in criteria.items():
        arcs[name] = values
    return arcs


def case(children: pd.DataFrame, providers: pd.DataFrame, arcs: pd.DataFrame) -> Case:
    return Case(children, providers, arcs)


def assert_valid(allocation: Allocation, providers: pd.DataFrame, policy: Policy) -> None:
    """The independent checker finds nothing wrong with the allocation."""
    problems = check_allocation(allocation.assignments(), allocation.table.arcs_frame(), providers, policy)
    assert problems == [], problems


def solve(instance: Case, policy: Policy | None = None, method: str = "auto", **settings) -> Allocation:
    """Allocate a case and check the result with the independent checker."""
    policy = policy or Policy()
    allocation = allocate(instance.table, capacities_from_providers(instance.providers), policy,
                          SolveSettings(method=method, **settings))
    assert_valid(allocation, instance.providers, policy)
    return allocation


def placements(allocation: Allocation) -> dict[str, int | None]:
    """Each child's provider id, or None where unplaced."""
    frame = allocation.assignments()
    return {child: (None if pd.isna(provider) else int(provider))
            for child, provider in zip(frame["child_id"], frame["provider_id"], strict=True)}


def reasons(allocation: Allocation) -> dict[str, str]:
    return dict(zip(allocation.unplaced["child_id"], allocation.unplaced["reason"], strict=True))


def details(allocation: Allocation) -> dict[str, str]:
    return dict(zip(allocation.unplaced["child_id"], allocation.unplaced["detail"], strict=True))


def greedy(instance: Case) -> pd.DataFrame:
    """Place children arc by arc, best score first, wherever every cap still has room (assignments table)."""
    providers, children = instance.providers, instance.children
    left_places = providers["vacancies"].astype(int).to_dict()
    left_need = {(provider, need): count for provider, caps in providers["need_vacancies"].items()
                 for need, count in caps.items()}
    left_quota = {(provider, council): count for provider, quotas in providers["quotas"].items()
                  for council, count in quotas.items()}
    for provider, quotas in providers["quotas"].items():
        if quotas:
            left_quota[(provider, "*")] = max(left_places[provider] - sum(quotas.values()), 0)
    chosen: dict[str, int] = {}
    for arc in instance.arcs.sort_values("total_score", ascending=False, kind="stable").itertuples():
        council, need = children.at[arc.child_id, "home_council"], children.at[arc.child_id, "primary_need"]
        quotas = providers.at[arc.provider_id, "quotas"]
        keys = [("places", arc.provider_id)]
        if (arc.provider_id, need) in left_need:
            keys.append(("need", (arc.provider_id, need)))
        if quotas:
            keys.append(("quota", (arc.provider_id, council if council in quotas else "*")))
        pools = {"places": left_places, "need": left_need, "quota": left_quota}
        if arc.child_id in chosen or any(pools[pool][key] <= 0 for pool, key in keys):
            continue
        chosen[arc.child_id] = arc.provider_id
        for pool, key in keys:
            pools[pool][key] -= 1
    frame = children.reset_index()
    frame["provider_id"] = pd.array([chosen.get(child) for child in frame["child_id"]], dtype="Int64")
    return frame


def total_score(instance: Case, assignments: pd.DataFrame) -> float:
    placed = assignments.dropna(subset=["provider_id"]).astype({"provider_id": "int64"})
    return float(placed.merge(instance.arcs, on=["child_id", "provider_id"])["total_score"].sum())


@st.composite
def random_cases(draw, caps: bool = True, priorities: bool = False, max_children: int = 12,
                 max_providers: int = 5) -> Case:
    """A random small case: up to 12 children and 5 providers, random arcs, scores, costs and places.

    With ``caps``, a provider may carry need caps or council quotas (never both, so the flow stays exact); with
    ``priorities``, some arcs are a preference or a stay.
    """
    n_children = draw(st.integers(1, max_children))
    n_providers = draw(st.integers(1, max_providers))
    children = children_table(*[(f"C{number}", draw(st.sampled_from(COUNCILS)), draw(st.sampled_from(NEEDS)))
                                for number in range(1, n_children + 1)])
    rows = []
    for number in range(1, n_providers + 1):
        places = draw(st.integers(0, 3))
        row = {"provider_id": 100 + number, "host_council": draw(st.sampled_from(COUNCILS)), "vacancies": places}
        kind = draw(st.sampled_from(["none", "need", "quota"])) if caps else "none"
        if kind == "need":
            row["need_vacancies"] = {need: draw(st.integers(0, places))
                                     for need in draw(st.sets(st.sampled_from(NEEDS), min_size=1))}
        elif kind == "quota":
            row["quotas"] = {council: draw(st.integers(0, places))
                             for council in draw(st.sets(st.sampled_from(COUNCILS), min_size=1, max_size=2))}
        rows.append(row)
    providers = providers_table(*rows)
    pairs = [(child, provider) for child in children.index for provider in providers.index]
    # At least one arc: a cohort with no arc at all has its own test (a known bug in the MIP's status).
    chosen = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)).filter(any))
    priority = st.sampled_from([0, 0, 0, PREFERRED, STAY]) if priorities else st.just(0)
    arcs = [(child, provider, draw(st.floats(0, 1)), float(draw(st.integers(5_000, 60_000))), draw(priority))
            for (child, provider), keep in zip(pairs, chosen, strict=True) if keep]
    return Case(children, providers, arcs_table(*arcs))


#: Hypothesis settings of the allocation's property tests.
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
