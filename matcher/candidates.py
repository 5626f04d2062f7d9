"""Candidates and exclusions for one child: every provider is either a candidate or excluded with a reason.

A child is evaluated against its need's pool (``matcher.provider_index.NeedPool``: the providers designated for
the need or publishing no designation); every other provider fails ``need_not_designated`` (or ``closed``) and is
counted without being looked at, unless it is needed as a near miss. The hard rules and their order are the table
in ``matcher.rules``.
"""

from dataclasses import dataclass

import numpy as np

from matcher.child import Child
from matcher.costs import CostModel
from matcher.criteria import CRITERIA, Scoring, score_candidates
from matcher.evaluation import Children, Evaluation, evaluate, travel_cap_minutes
from matcher.policy import Policy
from matcher.provider_index import NEED_COLUMN, NeedPool, ProviderIndex
from matcher.rules import CLOSED, NOT_DESIGNATED, REASONS
from matcher.travel import TravelModel

__all__ = ["ChildEvaluation", "evaluate_child", "longest_cap_minutes", "nearest_exclusions", "score_evaluation",
           "travel_cap_minutes"]


def longest_cap_minutes(children: list[Child], policy: Policy) -> float:
    """The longest travel cap any of the children has: how far a cohort's candidates can lie."""
    caps = [travel_cap_minutes(child, policy) for child in children]
    return max(caps) if caps else max(policy.travel_caps_minutes.values())


@dataclass(frozen=True, eq=False)
class ChildEvaluation:
    """One child against its need's pool (``evaluation``, one pair per pool provider), and the rest counted."""

    child: Child
    pool: NeedPool
    evaluation: Evaluation
    travel: TravelModel

    def reason_counts(self) -> dict[str, int]:
        """How many providers of the whole index fail each rule first (candidates left out)."""
        counts = np.bincount(self.evaluation.reason_code, minlength=len(REASONS))
        counts[CLOSED] += self.pool.outside_closed
        counts[NOT_DESIGNATED] += len(self.pool.outside) - self.pool.outside_closed
        return {reason: int(count) for reason, count in zip(REASONS[1:], counts[1:], strict=True) if count}


def evaluate_child(child: Child, index: ProviderIndex, policy: Policy, travel: TravelModel,
                   costs: CostModel) -> ChildEvaluation:
    """Apply the hard rules to a located child against its need's pool."""
    pool = index.pools[NEED_COLUMN[child.primary_need]]
    providers = np.arange(len(pool.rows))
    evaluation = evaluate(Children.of([child], policy), pool.index, policy, travel, costs,
                          np.zeros(len(providers), dtype=np.int64), providers)
    return ChildEvaluation(child, pool, evaluation, travel)


def nearest_exclusions(evaluation: Evaluation, pairs: np.ndarray, count: int) -> np.ndarray:
    """The near misses among the given pairs (one child's): the ``count`` nearest open settings that were
    excluded, those that may meet the child's need first (a setting that cannot is a poorer near miss than one that
    is full or too far), then by distance (unknown locations last), then by provider id. One rule for shortlists
    and unplaced reasons alike."""
    codes = evaluation.reason_code[pairs]
    excluded = pairs[(codes != 0) & (codes != CLOSED)]
    not_designated = evaluation.reason_code[excluded] == NOT_DESIGNATED
    distance = np.nan_to_num(evaluation.travel.km[excluded], nan=np.inf)
    provider_id = evaluation.index.provider_id[evaluation.provider[excluded]]
    return excluded[np.lexsort((provider_id, distance, not_designated))][:count]


def score_evaluation(evaluation: Evaluation, policy: Policy) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidate pairs of an evaluation, their scores and their weighted totals under the policy."""
    pairs = np.flatnonzero(evaluation.is_candidate)
    scores = score_candidates(Scoring(evaluation), pairs)
    weights = policy.normalised_weights()
    total = np.zeros(len(pairs))
    for column, criterion in enumerate(CRITERIA):  # element by element, so a pair's total never depends on its block
        total += scores[:, column] * weights[criterion]
    return pairs, scores, total
