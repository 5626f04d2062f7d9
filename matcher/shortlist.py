"""A tailored, explained shortlist for one child: the top k candidates, the nearest exclusions, the wishes.

Ranked by the policy's weighted total of the five criteria; ties go to the shorter journey, then the lower
provider id, so the same inputs always give the same list.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from matcher.candidates import evaluate_child, nearest_exclusions, score_evaluation
from matcher.child import Child
from matcher.costs import CostModel, default_costs
from matcher.criteria import CRITERIA, Scoring, explain
from matcher.evaluation import Evaluation
from matcher.policy import Policy
from matcher.provider_index import ProviderIndex, build_provider_index
from matcher.rules import REASON_WORDS, REASONS
from matcher.travel import StraightLineTravel, TravelModel

MAX_K = 100


@dataclass(frozen=True, eq=False)
class Shortlist:
    """One child's ranked candidates with scores and reasons, nearest exclusions, and the parents' wishes."""

    child_id: str
    candidates: pd.DataFrame
    exclusions: pd.DataFrame
    preferences: list[dict]
    candidate_count: int
    exclusion_counts: dict[str, int]
    travel_model: str
    cost_source: str

    def to_dict(self) -> dict:
        """Return the shortlist as plain JSON-ready data (the shape of the CLI's ``--json``)."""
        candidates = [
            {"provider_id": int(row.provider_id), "name": row.name, "kind": row.kind,
             "host_council": row.host_council, "rank": int(row.rank), "total_score": round(row.total_score, 4),
             "scores": {criterion: round(getattr(row, criterion), 4) for criterion in CRITERIA},
             "travel_minutes": round(row.travel_minutes, 1), "distance_km": round(row.distance_km, 2),
             "placement_cost_gbp": round(row.placement_cost_gbp), "transport_cost_gbp": round(row.transport_cost_gbp),
             "annual_cost_gbp": round(row.annual_cost_gbp), "reasons": list(row.reasons)}
            for row in self.candidates.itertuples(index=False)
        ]
        exclusions = [
            {"provider_id": int(row.provider_id), "name": row.name, "reason": row.reason,
             "explanation": row.explanation,
             "travel_minutes": round(row.travel_minutes, 1) if np.isfinite(row.travel_minutes) else None}
            for row in self.exclusions.itertuples(index=False)
        ]
        return {"child_id": self.child_id, "candidates": candidates, "exclusions": exclusions,
                "preferences": self.preferences, "candidate_count": self.candidate_count,
                "exclusion_counts": self.exclusion_counts, "travel_model": self.travel_model,
                "cost_source": self.cost_source}


@dataclass(frozen=True, eq=False)
class Shortlister:
    """The register laid out for fast shortlists, with the policy, travel model and costs it ranks under."""

    index: ProviderIndex
    policy: Policy = field(default_factory=Policy)
    travel: TravelModel = field(default_factory=lambda: StraightLineTravel())
    costs: CostModel = field(default_factory=default_costs)

    def shortlist(self, child: Child, k: int = 10) -> Shortlist:
        """Return the top ``k`` candidates for a located child, with the nearest exclusions and the wishes."""
        if not 1 <= k <= MAX_K:
            raise PlacewiseError(f"k: give a shortlist length from 1 to {MAX_K}")
        if child.easting is None or child.northing is None:
            raise PlacewiseError("child: locate the child first (easting/northing from home_lsoa)")
        evaluation = evaluate_child(child, self.index, self.policy, self.travel, self.costs,
                                    child.easting, child.northing)
        band = self.costs.band_for(child.home_council)
        rows, scores, total = score_evaluation(evaluation, self.index, self.policy, band)
        order = np.lexsort((self.index.provider_id[rows], evaluation.travel_minutes[rows], -total))
        ranked_rows = rows[order]
        top = order[:k]
        return Shortlist(
            child_id=child.child_id,
            candidates=self._candidates(evaluation, rows[top], scores[top], total[top], band),
            exclusions=self._nearest_exclusions(evaluation),
            preferences=self._preferences(evaluation, ranked_rows, total[order], k),
            candidate_count=len(rows),
            exclusion_counts=_count_reasons(evaluation),
            travel_model=self.travel.name,
            cost_source=self.costs.source,
        )

    def _candidates(self, evaluation: Evaluation, rows: np.ndarray, scores: np.ndarray, total: np.ndarray,
                    band: float) -> pd.DataFrame:
        providers = self.index.providers
        table = pd.DataFrame({
            "provider_id": self.index.provider_id[rows],
            "name": providers["name"].to_numpy()[rows],
            "kind": providers["kind"].to_numpy()[rows],
            "host_council": providers["host_council"].to_numpy()[rows],
            "rank": np.arange(1, len(rows) + 1),
            "total_score": total,
            **{criterion: scores[:, column] for column, criterion in enumerate(CRITERIA)},
            "travel_minutes": evaluation.travel_minutes[rows],
            "distance_km": evaluation.distance_km[rows],
            "placement_cost_gbp": evaluation.placement_cost_gbp[rows],
            "transport_cost_gbp": evaluation.transport_cost_gbp[rows],
        })
        table["annual_cost_gbp"] = table["placement_cost_gbp"] + table["transport_cost_gbp"]
        scoring = Scoring(evaluation, self.index, band, self.travel.name)
        table["reasons"] = [explain(scoring, row) for row in rows]
        return table

    def _nearest_exclusions(self, evaluation: Evaluation) -> pd.DataFrame:
        """The near misses (``matcher.candidates.nearest_exclusions``), with the rule each failed in words."""
        rows = nearest_exclusions(evaluation, self.index, self.policy.nearest_exclusions)
        reasons = np.asarray(REASONS)[evaluation.reason_code[rows]]
        return pd.DataFrame({
            "provider_id": self.index.provider_id[rows],
            "name": self.index.providers["name"].to_numpy()[rows],
            "reason": reasons,
            "explanation": [_exclusion_words(reason, evaluation, row) for reason, row in zip(reasons, rows,
                                                                                             strict=True)],
            "travel_minutes": evaluation.travel_minutes[rows],
        })

    def _preferences(self, evaluation: Evaluation, ranked_rows: np.ndarray, ranked_total: np.ndarray,
                     k: int) -> list[dict]:
        """Report every setting the parents named: suitable or not, its rank, its cost above the best alternative."""
        whole = evaluation.placement_cost_gbp + evaluation.transport_cost_gbp
        rank_of = {int(row): rank for rank, row in enumerate(ranked_rows, start=1)}
        wishes = []
        for provider_id in evaluation.child.preferences:
            row = self.index.position.get(provider_id)
            if row is None:
                wishes.append({"provider_id": provider_id, "status": "not_in_register",
                               "message": "not in the register loaded; check the URN"})
                continue
            name = str(self.index.providers["name"].iat[row])
            if row not in rank_of:
                reason = REASONS[evaluation.reason_code[row]]
                wishes.append({"provider_id": provider_id, "name": name, "status": "excluded", "reason": reason,
                               "message": f"not suitable: {_exclusion_words(reason, evaluation, row)}"})
                continue
            rank = rank_of[row]
            alternatives = ranked_rows[ranked_rows != row]
            wish = {"provider_id": provider_id, "name": name, "status": "candidate", "rank": rank,
                    "in_shortlist": rank <= k, "total_score": round(float(ranked_total[rank - 1]), 4),
                    "annual_cost_gbp": round(float(whole[row]))}
            if len(alternatives):
                best = alternatives[0]
                extra = float(whole[row] - whole[best])
                wish.update(best_alternative_id=int(self.index.provider_id[best]),
                            extra_cost_gbp=round(extra),
                            message=f"suitable, ranked {rank} of {len(ranked_rows)}; costs £{abs(extra):,.0f} a year "
                                    f"{'more' if extra > 0 else 'less'} than the best-ranked alternative")
            else:
                wish["message"] = "suitable, and the only suitable setting"
            wishes.append(wish)
        return wishes


def build_shortlister(providers: pd.DataFrame, policy: Policy | None = None, travel: TravelModel | None = None,
                      costs: CostModel | None = None) -> Shortlister:
    """Lay the providers table out for shortlists under a policy, travel model and cost model."""
    travel_model: TravelModel = travel or StraightLineTravel()
    return Shortlister(build_provider_index(providers), policy or Policy(), travel_model, costs or default_costs())


def _exclusion_words(reason: str, evaluation: Evaluation, row: int) -> str:
    if reason == "travel_over_cap" and not np.isfinite(evaluation.travel_minutes[row]):
        return "not reachable by road within the time the road model searches"
    if reason == "travel_over_cap":
        return (f"{evaluation.travel_minutes[row]:.0f} minutes each way, over the cap of "
                f"{evaluation.cap_minutes:.0f}")
    return REASON_WORDS[reason]


def _count_reasons(evaluation: Evaluation) -> dict[str, int]:
    counts = np.bincount(evaluation.reason_code, minlength=len(REASONS))
    return {reason: int(count) for reason, count in zip(REASONS[1:], counts[1:], strict=True) if count}
