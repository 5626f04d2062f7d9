"""The candidate table of a cohort: one arc per (child, provider) pair that passes every hard rule, scored.

The table's shape and what is done to it whole (parts of it, arcs chosen or joined); ``cohort_candidates`` builds
it from a cohort, ``best_arcs`` cuts it to each child's best arcs and keeps the rest as its reserve, and
``candidate_table_from_arcs`` builds one from plain tables. Arrays throughout, ready for a solver.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from matcher.criteria import CRITERIA, criterion_column

SCORE_SCALE = 10_000  # an arc's weighted score in whole units of 1/10,000, as the solvers see it


@dataclass(frozen=True, eq=False)
class ReserveArcs:
    """Arcs a best-arcs cut left out, kept small to price them (``matcher.allocation.pricing``): each arc's child
    and provider positions and its score points; ``complete`` gives the full arcs of some (child, provider) pairs
    when the pricing brings them in. None of them is a stay or a preference (those are never cut)."""

    child: np.ndarray  # int32
    provider: np.ndarray  # int32
    points: np.ndarray  # int32: round(total score x SCORE_SCALE)
    complete: "Callable[[np.ndarray, np.ndarray], CandidateTable]"


@dataclass(frozen=True, eq=False)
class CandidateTable:
    """Children, providers and the arcs between them (arc ``a`` joins ``child[a]`` to ``provider[a]``).

    Children and providers are held by position; ``child_ids`` and ``provider_ids`` map positions to ids.
    """

    child_ids: np.ndarray
    child_council: np.ndarray
    child_need: np.ndarray
    provider_ids: np.ndarray
    provider_council: np.ndarray
    provider_kind: np.ndarray
    child: np.ndarray
    provider: np.ndarray
    scores: np.ndarray  # arcs x criteria, in the order of CRITERIA
    total_score: np.ndarray
    travel_minutes: np.ndarray
    distance_km: np.ndarray
    placement_cost_gbp: np.ndarray
    transport_cost_gbp: np.ndarray
    priority: np.ndarray  # 0, or wishes.PREFERRED / wishes.STAY
    near_misses: dict[int, list[tuple[int, str, float | None]]] = field(default_factory=dict)  # children without a
    # candidate: their nearest exclusions (provider id, rule, minutes)
    uncertain: np.ndarray | None = None  # arcs kept only as uncertain journeys (``matcher.travel_caps``)
    child_cap_minutes: np.ndarray | None = None  # each child's travel cap, where known
    notes: dict[int, str] = field(default_factory=dict)  # stability and preference decisions, by child
    reserve: ReserveArcs | None = None  # arcs left out by a best-arcs cut, kept to price them

    @property
    def n_children(self) -> int:
        return len(self.child_ids)

    @property
    def n_providers(self) -> int:
        return len(self.provider_ids)

    def score(self, criterion: str) -> np.ndarray:
        """Each arc's score on one criterion."""
        return self.scores[:, criterion_column(criterion)]

    @property
    def whole_cost_gbp(self) -> np.ndarray:
        return self.placement_cost_gbp + self.transport_cost_gbp

    def part(self, children: np.ndarray, arcs: np.ndarray) -> "CandidateTable":
        """The table of some children (positions, ascending) and their arcs (ascending), with every provider."""
        position = np.full(self.n_children, -1, dtype=np.int64)
        position[children] = np.arange(len(children))
        return CandidateTable(
            child_cap_minutes=None if self.child_cap_minutes is None else self.child_cap_minutes[children],
            child_ids=self.child_ids[children], child_council=self.child_council[children],
            child_need=self.child_need[children], provider_ids=self.provider_ids,
            provider_council=self.provider_council, provider_kind=self.provider_kind,
            child=position[self.child[arcs]].astype(np.int32), provider=self.provider[arcs],
            scores=self.scores[arcs], total_score=self.total_score[arcs], travel_minutes=self.travel_minutes[arcs],
            distance_km=self.distance_km[arcs], placement_cost_gbp=self.placement_cost_gbp[arcs],
            transport_cost_gbp=self.transport_cost_gbp[arcs], priority=self.priority[arcs],
            uncertain=self.uncertain_arcs[arcs])

    @property
    def uncertain_arcs(self) -> np.ndarray:
        """Each arc: kept only as an uncertain journey (none where the table says nothing of it)."""
        return self.uncertain if self.uncertain is not None else np.zeros(len(self.child), dtype=bool)

    def arcs(self, positions: np.ndarray) -> "CandidateTable":
        """The same children and providers with only the arcs at ``positions`` (in that order), no reserve."""
        chosen: dict[str, Any] = {name: getattr(self, name)[positions] for name in ARC_FIELDS}
        return replace(self, reserve=None, uncertain=self.uncertain_arcs[positions], **chosen)

    def arcs_frame(self) -> pd.DataFrame:
        """The arcs as a table with ids, for reports and for the independent checker; the child and provider ids
        categoricals over the table's children and providers where they are unique (no copy of an id per arc, and
        cheap to join on)."""
        return pd.DataFrame({
            "child_id": _ids_of(self.child_ids, self.child), "provider_id": _ids_of(self.provider_ids, self.provider),
            "total_score": self.total_score, "travel_minutes": self.travel_minutes,
            "annual_cost_gbp": self.whole_cost_gbp,
        })


def _ids_of(ids: np.ndarray, positions: np.ndarray) -> pd.Categorical | pd.Index:
    """The ids at ``positions``: a categorical over ``ids`` where they are unique, else the ids themselves."""
    categories = pd.Index(ids)
    return pd.Categorical.from_codes(positions, categories=categories) if categories.is_unique else categories[
        positions]


ARC_FIELDS = ("child", "provider", "scores", "total_score", "travel_minutes", "distance_km", "placement_cost_gbp",
              "transport_cost_gbp", "priority")


def join_arcs(table: CandidateTable, extra: CandidateTable, keep_order: bool = False) -> CandidateTable:
    """``table`` with ``extra``'s arcs too (same children and providers): by child then provider, or with
    ``keep_order`` the table's arcs first and then ``extra``'s. The reserve is not carried."""
    fields = (*ARC_FIELDS, "uncertain")
    joined: dict[str, Any] = {}
    if keep_order:
        joined = {name: np.concatenate([_arc_field(table, name), _arc_field(extra, name)]) for name in fields}
        return replace(table, reserve=None, **joined)
    key = table.child.astype(np.int64) * max(table.n_providers, 1) + table.provider
    extra_order = np.lexsort((extra.provider, extra.child))
    extra_key = extra.child[extra_order].astype(np.int64) * max(table.n_providers, 1) + extra.provider[extra_order]
    if not np.all(key[1:] >= key[:-1]):  # not by child then provider yet: sort the whole
        order = np.lexsort((np.r_[table.provider, extra.provider], np.r_[table.child, extra.child]))
        joined = {name: np.concatenate([_arc_field(table, name), _arc_field(extra, name)])[order]
                  for name in fields}
        return replace(table, reserve=None, **joined)
    # both by child then provider: each extra arc slots in after the table's arcs that come before it
    slots = np.searchsorted(key, extra_key, side="right") + np.arange(len(extra_key))
    from_table = np.ones(len(key) + len(extra_key), dtype=bool)
    from_table[slots] = False
    for name in fields:
        own, more = _arc_field(table, name), _arc_field(extra, name)
        merged = np.empty((len(from_table), *own.shape[1:]), dtype=np.result_type(own, more))
        merged[from_table] = own
        merged[slots] = more[extra_order]
        joined[name] = merged
    return replace(table, reserve=None, **joined)


def _arc_field(table: CandidateTable, name: str) -> np.ndarray:
    return table.uncertain_arcs if name == "uncertain" else getattr(table, name)


def candidate_table_from_arcs(children: pd.DataFrame, providers: pd.DataFrame, arcs: pd.DataFrame) -> CandidateTable:
    """Build a candidate table from plain tables (synthetic instances, benchmarks and tests).

    ``children``: index child_id, columns home_council, primary_need. ``providers``: index provider_id, columns
    host_council, kind. ``arcs``: child_id, provider_id, total_score, annual costs and travel; optional
    per-criterion scores (default: the total) and ``priority``.
    """
    child_position = pd.Series(np.arange(len(children)), index=children.index)
    provider_position = pd.Series(np.arange(len(providers)), index=providers.index)
    total = arcs["total_score"].to_numpy(dtype=float)
    scores = np.column_stack([arcs[name].to_numpy(dtype=float) if name in arcs else total for name in CRITERIA])
    return CandidateTable(
        child_ids=children.index.to_numpy(dtype=object),
        child_council=children["home_council"].to_numpy(dtype=object),
        child_need=children["primary_need"].to_numpy(dtype=object),
        provider_ids=providers.index.to_numpy(dtype=np.int64),
        provider_council=providers["host_council"].to_numpy(dtype=object),
        provider_kind=providers["kind"].to_numpy(dtype=object),
        child=child_position.reindex(arcs["child_id"]).to_numpy(dtype=np.int32),
        provider=provider_position.reindex(arcs["provider_id"]).to_numpy(dtype=np.int32),
        scores=scores, total_score=total,
        travel_minutes=arcs.get("travel_minutes", pd.Series(0.0, index=arcs.index)).to_numpy(dtype=float),
        distance_km=arcs.get("distance_km", pd.Series(0.0, index=arcs.index)).to_numpy(dtype=float),
        placement_cost_gbp=arcs.get("placement_cost_gbp", pd.Series(0.0, index=arcs.index)).to_numpy(dtype=float),
        transport_cost_gbp=arcs.get("transport_cost_gbp", pd.Series(0.0, index=arcs.index)).to_numpy(dtype=float),
        priority=arcs.get("priority", pd.Series(0, index=arcs.index)).to_numpy(dtype=np.int8),
        uncertain=arcs.get("uncertain", pd.Series(False, index=arcs.index)).to_numpy(dtype=bool),
    )
