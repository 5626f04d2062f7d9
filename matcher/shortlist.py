"""A tailored, explained shortlist for one child: the top k candidates, the nearest exclusions, the wishes.

Ranked by the policy's weighted total of the five criteria; ties go to the shorter journey, then the lower
provider id, so the same inputs always give the same list. The register is laid out as arrays once (by need);
only the answer is shaped into records, the JSON the CLI and the API give.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from core.vocabulary import KINDS
from matcher.allocation.compiled_scores import score_compiled
from matcher.availability import availability_evidence
from matcher.candidates import ChildEvaluation, evaluate_child, near_miss_tiers
from matcher.child import Child
from matcher.costs import CostModel, default_costs
from matcher.criteria import CRITERIA, explain_pairs
from matcher.pair_arrays import Evaluation
from matcher.policy import Policy
from matcher.precision import round_like_python
from matcher.provider_index import ProviderIndex, build_provider_index
from matcher.rules import CLOSED, NOT_DESIGNATED, REASON_WORDS, REASONS
from matcher.scoring import Scoring
from matcher.travel.protocol import TRAVEL_METHODS, Destinations, TravelModel
from matcher.travel.straight_line import StraightLineTravel

MAX_K = 100


@dataclass(frozen=True, eq=False)
class Shortlist:
    """One child's ranked candidates with scores and reasons, nearest exclusions, and the parents' wishes, as the
    records of the CLI's ``--json`` and the API's answer."""

    child_id: str
    candidates: list[dict]
    exclusions: list[dict]
    preferences: list[dict]
    candidate_count: int
    exclusion_counts: dict[str, int]
    travel_model: str
    cost_source: str

    def to_dict(self) -> dict:
        """The shortlist as plain JSON-ready data."""
        return {"child_id": self.child_id, "candidates": self.candidates, "exclusions": self.exclusions,
                "preferences": self.preferences, "candidate_count": self.candidate_count,
                "exclusion_counts": self.exclusion_counts, "travel_model": self.travel_model,
                "cost_source": self.cost_source}

    def candidates_frame(self) -> pd.DataFrame:
        """The candidates as a table (one column per criterion's score), for maps and printed tables."""
        rows = [{**{key: value for key, value in record.items() if key != "scores"}, **record["scores"]}
                for record in self.candidates]
        return pd.DataFrame(rows, columns=[*CANDIDATE_COLUMNS, *CRITERIA])

    def exclusions_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.exclusions, columns=["provider_id", "name", "reason", "explanation",
                                                      "travel_minutes"])


CANDIDATE_COLUMNS = ("provider_id", "name", "kind", "host_council", "rank", "total_score", "travel_minutes",
                     "low_minutes", "high_minutes", "travel_method", "may_exceed_cap", "distance_km",
                     "placement_cost_gbp", "transport_cost_gbp", "annual_cost_gbp", "reasons")


@dataclass(frozen=True, eq=False)
class Shortlister:
    """The register laid out for fast shortlists, with the policy, travel model and costs it ranks under."""

    index: ProviderIndex
    policy: Policy = field(default_factory=Policy)
    travel: TravelModel = field(default_factory=lambda: StraightLineTravel())
    costs: CostModel = field(default_factory=default_costs)
    destinations: Destinations | None = None  # the index's settings prepared once for the travel model

    def shortlist(self, child: Child, k: int = 10) -> Shortlist:
        """Return the top ``k`` candidates for a located child, with the nearest exclusions and the wishes."""
        if not 1 <= k <= MAX_K:
            raise PlacewiseError(f"k: give a shortlist length from 1 to {MAX_K}")
        if child.easting is None or child.northing is None:
            raise PlacewiseError("child: locate the child first (easting/northing from home_lsoa)")
        checked = evaluate_child(child, self.index, self.policy, self.travel, self.costs, self.destinations)
        evaluation = checked.evaluation
        pairs, scores, total = score_compiled(evaluation, self.policy)  # score_evaluation's figures, in one pass
        order = np.lexsort((evaluation.index.provider_id[evaluation.provider[pairs]],
                            evaluation.travel.minutes[pairs], -total))
        ranked = pairs[order]
        top = order[:k]
        return Shortlist(
            child_id=child.child_id,
            candidates=_candidates(Scoring(evaluation), pairs[top], scores[top], total[top]),
            exclusions=self._near_misses(checked),
            preferences=self._preferences(checked, ranked, total[order], k),
            candidate_count=len(pairs),
            exclusion_counts=checked.reason_counts(),
            travel_model=self.travel.name,
            cost_source=self.costs.source,
        )

    def _near_misses(self, checked: ChildEvaluation) -> list[dict]:
        """The near misses' records (``matcher.candidates.near_miss_tiers``)."""
        return [record for evaluation, pairs in near_miss_tiers(checked, self.index)
                for record in _exclusions(evaluation, pairs)]

    def _preferences(self, checked: ChildEvaluation, ranked: np.ndarray, ranked_total: np.ndarray,
                     k: int) -> list[dict]:
        """Report every setting the parents named: suitable or not, its rank, its cost above the best alternative."""
        evaluation = checked.evaluation
        if not checked.child.preferences:
            return []
        pool_pair = checked.pool.pair_of_row
        rank_of = {int(pair): rank for rank, pair in enumerate(ranked, start=1)}
        wishes = []
        for provider_id in checked.child.preferences:
            row = self.index.position.get(provider_id)
            if row is None:
                wishes.append({"provider_id": provider_id, "status": "not_in_register",
                               "message": "not in the register loaded; check the URN"})
                continue
            name = str(self.index.name[row])
            position = pool_pair.get(row)
            pair = _pair_of(evaluation, position)
            if pair is None or pair not in rank_of:
                if position is None:
                    reason = REASONS[CLOSED] if not self.index.is_open[row] else REASONS[NOT_DESIGNATED]
                    words = REASON_WORDS[reason]
                else:
                    alone = evaluation if pair is not None else checked.in_full(np.array([position]))
                    at = pair if pair is not None else 0
                    reason = REASONS[alone.reason_code[at]]
                    words = _exclusions(alone, np.array([at]))[0]["explanation"]
                wishes.append({"provider_id": provider_id, "name": name, "status": "excluded", "reason": reason,
                               "message": f"not suitable: {words}"})
                continue
            wishes.append(_wish(evaluation, provider_id, name, pair, rank_of[pair], ranked, ranked_total, k))
        return wishes


def _pair_of(evaluation: Evaluation, position: int | None) -> int | None:
    """The evaluation's pair of a pool position, where that provider was evaluated in full."""
    if position is None:
        return None
    at = int(np.searchsorted(evaluation.provider, position))
    return at if at < len(evaluation.provider) and evaluation.provider[at] == position else None


def _wish(evaluation: Evaluation, provider_id: int, name: str, pair: int, rank: int, ranked: np.ndarray,
          ranked_total: np.ndarray, k: int) -> dict:
    whole = evaluation.whole_cost_gbp
    wish = {"provider_id": provider_id, "name": name, "status": "candidate", "rank": rank, "in_shortlist": rank <= k,
            "total_score": round(float(ranked_total[rank - 1]), 4), "annual_cost_gbp": round(float(whole[pair]))}
    alternatives = ranked[ranked != pair]
    if not len(alternatives):
        return {**wish, "message": "suitable, and the only suitable setting"}
    best = alternatives[0]
    extra = float(whole[pair] - whole[best])
    return {**wish, "best_alternative_id": int(evaluation.index.provider_id[evaluation.provider[best]]),
            "extra_cost_gbp": round(extra),
            "message": f"suitable, ranked {rank} of {len(ranked)}; costs £{abs(extra):,.0f} a year "
                       f"{'more' if extra > 0 else 'less'} than the best-ranked alternative"}


#: The decimals of a candidate's figures, in the order ``_candidates`` stacks them: the total and each criterion's
#: score, the journey's minutes with its band's ends, and its km.
CANDIDATE_PLACES = np.array([4] * (1 + len(CRITERIA)) + [1, 1, 1, 2])


def _candidates(scoring: Scoring, pairs: np.ndarray, scores: np.ndarray, total: np.ndarray) -> list[dict]:
    """The records of the given pairs, ranked 1, 2... in their order."""
    evaluation = scoring.evaluation
    rows, index, journey = evaluation.provider[pairs], evaluation.index, evaluation.travel
    minutes = journey.minutes[pairs]
    figures = round_like_python(np.column_stack([total, scores, minutes, journey.low_minutes[pairs],
                                                 journey.high_minutes[pairs], journey.km[pairs]]), CANDIDATE_PLACES)
    placement, transport = evaluation.placement_cost_gbp[pairs].tolist(), evaluation.transport_cost_gbp[pairs].tolist()
    columns = zip(index.provider_id[rows].tolist(), index.name[rows].tolist(), index.kind_code[rows].tolist(),
                  index.host_council[rows].tolist(), figures, (minutes > evaluation.cap_minutes[pairs]).tolist(),
                  journey.method[pairs].tolist(), placement, transport, explain_pairs(scoring, pairs),
                  *availability_evidence(scoring, pairs), strict=True)
    scored = len(CRITERIA) + 1
    return [{"provider_id": provider_id, "name": str(name), "kind": KINDS[kind_code], "host_council": str(host),
             "rank": rank, "total_score": figure[0], "scores": dict(zip(CRITERIA, figure[1:scored], strict=True)),
             "travel_minutes": figure[scored], "low_minutes": figure[scored + 1],
             "high_minutes": figure[scored + 2], "travel_method": TRAVEL_METHODS[method], "may_exceed_cap": over,
             "distance_km": figure[scored + 3], "placement_cost_gbp": round(placed),
             "transport_cost_gbp": round(carried), "annual_cost_gbp": round(placed + carried), "vacancies": free,
             "vacancies_evidence": evidence, "reasons": reasons}
            for rank, (provider_id, name, kind_code, host, figure, over, method, placed, carried, reasons, free,
                       evidence) in enumerate(columns, start=1)]


def _exclusions(evaluation: Evaluation, pairs: np.ndarray) -> list[dict]:
    """The records of excluded pairs: the rule each fails first, in words, and the journey where it is known."""
    rows, journey = evaluation.provider[pairs], evaluation.travel
    return [{"provider_id": provider_id, "name": str(name), "reason": REASONS[code],
             "explanation": _exclusion_words(REASONS[code], minutes, low, cap),
             "travel_minutes": round(minutes, 1) if math.isfinite(minutes) else None}
            for provider_id, name, code, minutes, low, cap in zip(
                evaluation.index.provider_id[rows].tolist(), evaluation.index.name[rows].tolist(),
                evaluation.reason_code[pairs].tolist(), journey.minutes[pairs].tolist(),
                journey.low_minutes[pairs].tolist(), evaluation.cap_minutes[pairs].tolist(), strict=True)]


def _exclusion_words(reason: str, minutes: float, low: float, cap: float) -> str:
    if reason == "travel_over_cap" and not math.isfinite(minutes):
        return "not reachable by road within the time the road model searches"
    if reason == "travel_over_cap":
        band = f" (at least {low:.0f})" if round(low) < round(minutes) else ""
        return f"about {minutes:.0f} minutes each way{band}, over the cap of {cap:.0f}"
    return REASON_WORDS[reason]


def build_shortlister(providers: pd.DataFrame, policy: Policy | None = None, travel: TravelModel | None = None,
                      costs: CostModel | None = None) -> Shortlister:
    """Lay the providers table out for shortlists under a policy, travel model and cost model."""
    travel_model: TravelModel = travel or StraightLineTravel()
    index = build_provider_index(providers)
    travel_model.remember_destinations(index.easting, index.northing)
    return Shortlister(index, policy or Policy(), travel_model, costs or default_costs(),
                       travel_model.destinations(index.easting, index.northing))



