"""Candidates and exclusions for one child: every provider is either a candidate or excluded with a reason.

A child is evaluated against its need's pool (``matcher.provider_index.NeedPool``: the providers designated for
the need or publishing no designation); every other provider fails ``need_not_designated`` (or ``closed``) and is
counted without being looked at, unless it is needed as a near miss. The hard rules and their order are the table
in ``matcher.rules``.
"""

import math
from dataclasses import dataclass

import numpy as np

from matcher.child import Child
from matcher.costs import CostModel
from matcher.criteria import CRITERIA, score_candidates
from matcher.evaluation import build_children, evaluate, travel_cap_minutes
from matcher.pair_arrays import NO_PROVIDER, Children, Evaluation
from matcher.policy import Policy
from matcher.pool_passes import first_in_order
from matcher.provider_index import NEED_COLUMN, NeedPool, ProviderIndex
from matcher.rules import (
    CLOSED,
    FIRST_JOURNEY_RULE,
    NOT_DESIGNATED,
    REASONS,
    RuleInputs,
    first_failures,
    known_vacancies,
)
from matcher.scoring import Scoring
from matcher.travel.protocol import Destinations, TravelEstimate, TravelModel
from matcher.travel_caps import uncertain

__all__ = ["ChildEvaluation", "evaluate_child", "longest_cap_minutes", "near_miss_list", "near_miss_tiers",
           "nearest_exclusions", "score_evaluation", "travel_cap_minutes"]


def longest_cap_minutes(children: list[Child], policy: Policy) -> float:
    """The longest travel cap any of the children has: how far a cohort's candidates can lie."""
    caps = [travel_cap_minutes(child, policy) for child in children]
    return max(caps) if caps else max(policy.travel_caps_minutes.values())


@dataclass(frozen=True, eq=False)
class ChildEvaluation:
    """One child against its need's pool: every pool provider's first failure among the rules that need no journey
    (``reasons``, pool positions; beyond reach, so over the cap if nothing fails first), and, evaluated in full
    (``evaluation``, one pair a provider, ascending positions), the providers within reach (``near``) that pass
    those rules, with the nearest of those within reach that fail one (all that could be near misses); the
    providers outside the pool are counted."""

    child: Child
    pool: NeedPool
    evaluation: Evaluation
    near: np.ndarray
    reasons: np.ndarray
    reason_totals: np.ndarray  # the bincount of ``reasons`` over the whole pool
    policy: Policy
    travel: TravelModel
    costs: CostModel
    destinations: Destinations | None = None  # the full index's settings prepared for the travel model, if given

    def journeys(self, rows: np.ndarray) -> TravelEstimate | None:
        """The journeys from the child's home to these rows of the full index, where its settings are prepared
        (None: let ``evaluate`` ask the travel model)."""
        if self.destinations is None:
            return None
        assert self.child.easting is not None and self.child.northing is not None
        return self.destinations.journeys_from(self.child.easting, self.child.northing, rows)

    @property
    def far(self) -> np.ndarray:
        """Positions of the pool beyond reach."""
        outside = np.ones(len(self.pool.rows), dtype=bool)
        outside[self.near] = False
        return np.flatnonzero(outside)

    def reason_counts(self) -> dict[str, int]:
        """How many providers of the whole index fail each rule first (candidates left out)."""
        counts = self.reason_totals - np.bincount(self.reasons[self.evaluation.provider], minlength=len(REASONS))
        counts += np.bincount(self.evaluation.reason_code, minlength=len(REASONS))
        counts[CLOSED] += self.pool.outside_closed
        counts[NOT_DESIGNATED] += len(self.pool.outside) - self.pool.outside_closed
        return {reason: int(count) for reason, count in zip(REASONS[1:], counts[1:].tolist(), strict=True) if count}

    def in_full(self, positions: np.ndarray) -> Evaluation:
        """Some of the pool's providers (positions) evaluated in full, journeys and costs included."""
        positions = np.asarray(positions, dtype=np.int64)
        return evaluate(self.evaluation.children, self.pool.index, self.policy, self.travel, self.costs,
                        np.zeros(len(positions), dtype=np.int64), positions,
                        journeys=self.journeys(self.pool.rows[positions]))


def evaluate_child(child: Child, index: ProviderIndex, policy: Policy, travel: TravelModel, costs: CostModel,
                   destinations: Destinations | None = None) -> ChildEvaluation:
    """Apply the hard rules to a located child against its need's pool: the rules that need no journey to the
    whole pool, the others (journeys and costs) to the providers within the travel model's reach of the child's
    cap that pass the first, and to the nearest of those that fail them (the possible near misses: journeys
    only where they can matter). ``destinations``: the index's settings prepared once for the travel model
    (``TravelModel.destinations``), for the same journeys for less."""
    pool = index.pools[NEED_COLUMN[child.primary_need]]
    block = build_children([child], policy)
    assert child.easting is not None and child.northing is not None
    reach_km = travel.reach_km(float(block.cap_minutes[0]), child.easting, child.northing)
    near = pool.within(child.easting, child.northing, reach_km * 1000.0)
    reasons, totals = _reasons_without_journey(block, pool, policy)
    near_reasons = reasons[near]
    passing = near_reasons >= FIRST_JOURNEY_RULE
    stopped = near[~passing & (near_reasons != CLOSED)]
    if len(stopped) > policy.nearest_exclusions:
        distance = travel.distance_km(block.easting[:1], block.northing[:1], pool.index.easting[stopped],
                                      pool.index.northing[stopped])
        stopped = stopped[nearest(reasons[stopped] == NOT_DESIGNATED, distance, pool.index.provider_id[stopped],
                                  policy.nearest_exclusions)]
    positions = np.sort(np.concatenate([near[passing], stopped]))
    journeys = None if destinations is None else destinations.journeys_from(child.easting, child.northing,
                                                                            pool.rows[positions])
    evaluation = evaluate(block, pool.index, policy, travel, costs, np.zeros(len(positions), dtype=np.int64),
                          positions, reasons[positions], journeys)
    return ChildEvaluation(child, pool, evaluation, near, reasons, totals, policy, travel, costs, destinations)


def _reasons_without_journey(children: Children, pool: NeedPool,
                             policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """``beyond_reach_reasons`` for a shortlist's whole pool, and their bincount: for children alike in all that
    those rules read (age, year group, phase, sex, residential need, no current setting, and the two policy
    options), kept with the pool."""
    if children.current[0] != NO_PROVIDER:
        codes = beyond_reach_reasons(children, pool.index, policy, np.arange(len(pool.rows)))
        return codes, np.bincount(codes, minlength=len(REASONS))
    key = (policy.include_unpublished_designations, policy.exclude_inadequate, float(children.age[0]),
           float(children.year_age[0]), bool(children.post16[0]), int(children.other_sex[0]),
           bool(children.requires_residential[0]))
    found = pool.far_codes.get(key)
    if found is None:
        codes = beyond_reach_reasons(children, pool.index, policy, np.arange(len(pool.rows)))
        found = pool.far_codes[key] = (codes, np.bincount(codes, minlength=len(REASONS)))
    return found


def beyond_reach_reasons(children: Children, index: ProviderIndex, policy: Policy,
                         providers: np.ndarray) -> np.ndarray:
    """The first rule each provider beyond a child's reach fails: an earlier rule, else ``travel_over_cap`` (or
    ``location_unknown`` where its location is not published)."""
    child = np.zeros(len(providers), dtype=np.int64)
    located = np.isfinite(index.easting[providers]) & np.isfinite(index.northing[providers])
    minutes = np.where(located, np.inf, np.nan)
    journeys = TravelEstimate(minutes, minutes, minutes, minutes, np.zeros(len(providers), dtype=np.int8))
    need = children.need[child]
    vacancies, known = known_vacancies(index, providers, need)
    return first_failures(RuleInputs(children, index, policy, child, providers, journeys,
                                     children.cap_minutes[child], need, vacancies, known))


def nearest_exclusions(evaluation: Evaluation, pairs: np.ndarray, count: int) -> np.ndarray:
    """The near misses among the given pairs (one child's): the ``count`` nearest open settings that were
    excluded, those that may meet the child's need first (a setting that cannot is a poorer near miss than one that
    is full or too far), then by distance (unknown locations last), then by provider id. One rule for shortlists
    and unplaced reasons alike."""
    codes = evaluation.reason_code[pairs]
    excluded = pairs[(codes != 0) & (codes != CLOSED)]
    return excluded[nearest(evaluation.reason_code[excluded] == NOT_DESIGNATED, evaluation.travel.km[excluded],
                            evaluation.index.provider_id[evaluation.provider[excluded]], count)]


def near_miss_tiers(checked: ChildEvaluation, index: ProviderIndex) -> list[tuple[Evaluation, np.ndarray]]:
    """A child's near misses, tier by tier, up to the policy's ``nearest_exclusions`` in all: the nearest excluded
    in the need's pool (``nearest_exclusions``); where fewer, the nearest beyond reach (farther than every provider
    within it, closed settings left out); where still fewer, the nearest open settings of ``index`` outside the pool
    (designated for other needs only). Each tier is an evaluation and its pairs, in order. One rule for shortlists
    and unplaced children's reasons alike."""
    count, evaluation = checked.policy.nearest_exclusions, checked.evaluation
    tiers = [(evaluation, nearest_exclusions(evaluation, np.arange(len(evaluation.provider)), count))]
    found = len(tiers[0][1])
    far = checked.far if found < count else None
    if far is not None and len(far):
        beyond = far[checked.reasons[far] != CLOSED]
        pool = checked.pool.index
        distance = np.nan_to_num(np.hypot(pool.easting[beyond] - checked.child.easting,
                                          pool.northing[beyond] - checked.child.northing), nan=np.inf)
        chosen = beyond[np.lexsort((pool.provider_id[beyond], distance))][:count - found]
        tiers.append((checked.in_full(chosen), np.arange(len(chosen))))
        found += len(chosen)
    if found < count:
        open_rows = checked.pool.outside[index.is_open[checked.pool.outside]]
        outside = evaluate(evaluation.children, index, checked.policy, checked.travel, checked.costs,
                           np.zeros(len(open_rows), dtype=np.int64), open_rows, journeys=checked.journeys(open_rows))
        tiers.append((outside, nearest_exclusions(outside, np.arange(len(open_rows)), count - found)))
    return tiers


def near_miss_list(child: Child, index: ProviderIndex, policy: Policy, travel: TravelModel,
                   costs: CostModel) -> list[tuple[int, str, float | None]]:
    """A located child's near misses (``near_miss_tiers``) as (provider id, the rule it failed, the journey's
    minutes to 0.1, None where unknown): those its shortlist would name, for an unplaced child's reason."""
    misses = []
    for evaluation, pairs in near_miss_tiers(evaluate_child(child, index, policy, travel, costs), index):
        minutes = evaluation.travel.minutes[pairs].tolist()
        misses += [(provider_id, REASONS[code], round(journey, 1) if math.isfinite(journey) else None)
                   for provider_id, code, journey in zip(
                       evaluation.index.provider_id[evaluation.provider[pairs]].tolist(),
                       evaluation.reason_code[pairs].tolist(), minutes, strict=True)]
    return misses


def nearest(not_designated: np.ndarray, km: np.ndarray, provider_id: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` first in the near misses' order: not designated last, then by distance
    (unknown last), then by provider id (``matcher.pool_passes.first_in_order``)."""
    return first_in_order(np.asarray(not_designated, dtype=np.bool_), np.asarray(km, dtype=float),
                          np.asarray(provider_id, dtype=np.int64), int(count))


def score_evaluation(evaluation: Evaluation, policy: Policy) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidate pairs of an evaluation, their scores and their weighted totals under the policy."""
    pairs = np.flatnonzero(evaluation.is_candidate)
    scores = score_candidates(Scoring(evaluation), pairs)
    weights = policy.normalised_weights()
    total = np.zeros(len(pairs))
    for column, criterion in enumerate(CRITERIA):  # element by element, so a pair's total never depends on its block
        total += scores[:, column] * weights[criterion]
    total -= policy.uncertain_travel_penalty * uncertain_pairs(evaluation, policy)[pairs]
    return pairs, scores, total


def uncertain_pairs(evaluation: Evaluation, policy: Policy) -> np.ndarray:
    """Pairs kept only as uncertain journeys (over the cap, the band's low end within it; ``matcher.travel_caps``)."""
    return uncertain(evaluation.travel, evaluation.cap_minutes, policy)
