"""The five criteria and the weighted total of a block's candidate pairs in one compiled pass: the same figures as
``matcher.candidates.score_evaluation`` (its numpy reference, which ``build_candidate_table(..., compiled=False)``
uses), operation for operation in the same order, so each arc's scores are the same to the last bit; tests hold
the two to the same arrays.

Each criterion's rule is written in ``matcher.criteria`` and ``matcher.availability``; here they are fused, pair by
pair, over arrays laid out once a block: suitability (the designation, secondary needs covered and specialism, less
the need level's and unknown boarding's penalties), availability, travel, performance and value for money.
"""

import numba
import numpy as np

from matcher.availability import ESTIMATED, FULL_AVAILABILITY_VACANCIES, REPORTED
from matcher.candidates import uncertain_pairs
from matcher.criteria import (
    CRITERIA,
    LEVEL_PENALTY,
    RESIDENTIAL_UNKNOWN_PENALTY,
    _performance_scores,
    _specialism_part,
)
from matcher.pair_arrays import Evaluation
from matcher.policy import Policy
from matcher.provider_index import KNOWN_SOURCE

if CRITERIA != ("suitability", "availability", "travel", "performance", "value_for_money"):
    raise AssertionError("matcher.allocation.compiled_scores: the criteria changed; fuse the new table here too")


def score_compiled(evaluation: Evaluation, policy: Policy) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidate pairs of an evaluation, their scores and their weighted totals (``score_evaluation``)."""
    pairs = np.flatnonzero(evaluation.is_candidate)
    every = len(pairs) == len(evaluation.child)  # as a compiled table's blocks are: no copies needed

    def of(values: np.ndarray) -> np.ndarray:
        return values if every else values[pairs]

    children, index = evaluation.children, evaluation.index
    weights = policy.normalised_weights()
    scores, total = _score_pairs(
        of(evaluation.child), of(evaluation.provider), of(evaluation.travel.minutes), of(evaluation.cap_minutes),
        of(evaluation.vacancies), of(evaluation.placement_cost_gbp), of(evaluation.transport_cost_gbp),
        of(evaluation.band_gbp), of(uncertain_pairs(evaluation, policy)),
        children.need, children.need_level, children.secondary, children.requires_residential,
        index.needs_published, index.designated, index.derive("specialism_part", _specialism_part), index.kind_code,
        index.residential, index.derive("performance_score", _performance_scores), index.need_vacancies,
        index.vacancies_source, KNOWN_SOURCE, LEVEL_PENALTY, np.array([weights[name] for name in CRITERIA]),
        float(policy.uncertain_travel_penalty), RESIDENTIAL_UNKNOWN_PENALTY, FULL_AVAILABILITY_VACANCIES, ESTIMATED,
        REPORTED)
    return pairs, scores, total


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _unit(score: float) -> float:
    """``matcher.scoring.unit`` for one figure (NaN stays NaN)."""
    if score > 1.0:
        return 1.0
    if score < 0.0:
        return 0.0
    return score


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _score_pairs(child, provider, minutes, cap, vacancies, placement, transport, band, uncertain, need, need_level,
                 secondary, requires_residential, published, designated, specialism, kind_code, residential,
                 performance, need_vacancies, vacancies_source, known_source, level_penalty, weights,
                 uncertain_penalty, residential_penalty, full_vacancies, estimated, reported):
    """Each pair's five scores and weighted total (constants given, so a compiled copy never keeps stale ones)."""
    n, needs = len(child), secondary.shape[1]
    scores = np.empty((n, 5), dtype=np.float64)
    total = np.empty(n, dtype=np.float64)
    for pair in range(n):
        c, p = child[pair], provider[pair]
        if published[p]:
            count = 0
            both = 0
            for column in range(needs):
                if secondary[c, column]:
                    count += 1
                    both += designated[p, column]
            covered = both / max(count, 1) if count > 0 else 1.0
            suitability = 0.6 + 0.25 * covered + specialism[p]
        else:
            suitability = 0.4 + 0.25 * 0.5 + 0.15 * 0.5
        penalty = level_penalty[need_level[c], kind_code[p]]
        boarding_unknown = requires_residential[c] and residential[p] < 0
        penalty = penalty + residential_penalty * (1.0 if boarding_unknown else 0.0)
        scores[pair, 0] = _unit(suitability - penalty)
        source = vacancies_source[p] if np.isnan(need_vacancies[p, need[c]]) else reported
        if known_source[source]:
            scores[pair, 1] = _unit(vacancies[pair] / full_vacancies)
        else:
            scores[pair, 1] = 0.5 if source == estimated else 0.3
        scores[pair, 2] = _unit(1.0 - minutes[pair] / cap[pair])
        scores[pair, 3] = performance[p]
        scores[pair, 4] = _unit(1.5 - (placement[pair] + transport[pair]) / band[pair])
        weighted = 0.0
        for column in range(5):
            weighted += scores[pair, column] * weights[column]
        total[pair] = weighted - uncertain_penalty * (1.0 if uncertain[pair] else 0.0)
    return scores, total
