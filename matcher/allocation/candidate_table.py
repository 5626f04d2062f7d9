"""The candidate table of a cohort: one arc per (child, provider) pair that passes every hard rule, scored.

Built child by child with the same rules and scores as a shortlist, so the allocation and the shortlist can
never disagree about who is suitable; arrays throughout, ready for a solver.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.vocabulary import KINDS
from matcher.allocation.wishes import apply_wishes
from matcher.candidates import evaluate_child, nearest_exclusions, score_evaluation
from matcher.child import Child
from matcher.costs import CostModel
from matcher.criteria import CRITERIA, criterion_column
from matcher.policy import Policy
from matcher.provider_index import ProviderIndex
from matcher.rules import REASONS
from matcher.travel import TravelModel

PROGRESS_EVERY = 500


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
    near_misses: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # children without a candidate
    notes: dict[int, str] = field(default_factory=dict)  # stability and preference decisions, by child

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

    def arcs_frame(self) -> pd.DataFrame:
        """The arcs as a table with ids, for reports and for the independent checker."""
        return pd.DataFrame({
            "child_id": self.child_ids[self.child], "provider_id": self.provider_ids[self.provider],
            "total_score": self.total_score, "travel_minutes": self.travel_minutes,
            "annual_cost_gbp": self.whole_cost_gbp,
        })


def build_candidate_table(children: Sequence[Child], index: ProviderIndex, policy: Policy, travel: TravelModel,
                          costs: CostModel, progress: Callable[[str, int, int], None] | None = None,
                          ) -> CandidateTable:
    """Apply the hard rules, scores, stability and preferences to every located child of a cohort.

    ``progress``, where given, hears ("candidates", done, total) every few hundred children.
    """
    parts: dict[str, list[np.ndarray]] = {name: [] for name in (
        "child", "provider", "scores", "total", "minutes", "km", "placement", "transport", "priority")}
    near_misses: dict[int, list[tuple[int, str]]] = {}
    notes: dict[int, str] = {}
    for position, child in enumerate(children):
        if progress is not None and position % PROGRESS_EVERY == 0:
            progress("candidates", position, len(children))
        if child.easting is None or child.northing is None:
            raise ValueError(f"child {child.child_id}: locate every child before building candidates")
        evaluation = evaluate_child(child, index, policy, travel, costs, child.easting, child.northing)
        rows, scores, total = score_evaluation(evaluation, index, policy, costs.band_for(child.home_council))
        wishes = apply_wishes(evaluation, index, rows, total, policy)
        keep = np.searchsorted(rows, wishes.rows)
        if wishes.note:
            notes[position] = wishes.note
        if not len(keep):
            near_misses[position] = [(int(index.provider_id[row]), REASONS[evaluation.reason_code[row]])
                                     for row in nearest_exclusions(evaluation, index, policy.nearest_exclusions)]
        kept = rows[keep]
        parts["child"].append(np.full(len(kept), position, dtype=np.int32))
        parts["provider"].append(kept.astype(np.int32))
        parts["scores"].append(scores[keep])
        parts["total"].append(total[keep])
        parts["minutes"].append(evaluation.travel_minutes[kept])
        parts["km"].append(evaluation.distance_km[kept])
        parts["placement"].append(evaluation.placement_cost_gbp[kept])
        parts["transport"].append(evaluation.transport_cost_gbp[kept])
        parts["priority"].append(wishes.priority)
    joined = {name: (np.concatenate(values) if values else np.zeros(0)) for name, values in parts.items()}
    return CandidateTable(
        child_ids=np.array([child.child_id for child in children], dtype=object),
        child_council=np.array([child.home_council for child in children], dtype=object),
        child_need=np.array([child.primary_need for child in children], dtype=object),
        provider_ids=index.provider_id,
        provider_council=index.providers["host_council"].to_numpy(dtype=object),
        provider_kind=np.asarray(KINDS, dtype=object)[index.kind_code],
        child=joined["child"].astype(np.int32), provider=joined["provider"].astype(np.int32),
        scores=joined["scores"].reshape(-1, len(CRITERIA)), total_score=joined["total"],
        travel_minutes=joined["minutes"], distance_km=joined["km"], placement_cost_gbp=joined["placement"],
        transport_cost_gbp=joined["transport"], priority=joined["priority"].astype(np.int8),
        near_misses=near_misses, notes=notes,
    )


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
    )
