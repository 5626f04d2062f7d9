"""Candidates and exclusions: for one child, every provider is either a candidate or excluded with a reason.

The hard rules and their order are the table in ``matcher.rules``; an excluded provider carries the first rule
it fails. Travel and costs are worked out here once, for every provider, so scores and reasons share them.
"""

import numpy as np

from matcher.child import Child
from matcher.costs import CostModel, placement_costs
from matcher.criteria import CRITERIA, Scoring, score_candidates
from matcher.evaluation import Evaluation
from matcher.policy import Policy
from matcher.provider_index import NEED_COLUMN, ProviderIndex
from matcher.rules import CLOSED, NOT_DESIGNATED, RuleInputs, first_failures, known_vacancies
from matcher.transport import transport_costs
from matcher.travel import TravelModel


def travel_cap_minutes(child: Child, policy: Policy) -> float:
    """The child's own cap where given, else the policy's cap for the child's phase."""
    return child.max_travel_minutes or policy.travel_caps_minutes[child.phase]


def longest_cap_minutes(children: list[Child], policy: Policy) -> float:
    """The longest travel cap any of the children has: how far a cohort's candidates can lie."""
    caps = [travel_cap_minutes(child, policy) for child in children]
    return max(caps) if caps else max(policy.travel_caps_minutes.values())


def evaluate_child(child: Child, index: ProviderIndex, policy: Policy, travel: TravelModel,
                   costs: CostModel, easting: float, northing: float) -> Evaluation:
    """Apply the hard rules to every provider for one child located at (easting, northing)."""
    need = NEED_COLUMN[child.primary_need]
    minutes, km = travel.travel(easting, northing, index)
    cap = travel_cap_minutes(child, policy)
    vacancies, known = known_vacancies(index, need)
    reason_code = first_failures(RuleInputs(child, index, policy, minutes, cap, need, vacancies, known))
    return Evaluation(
        child=child, cap_minutes=cap, reason_code=reason_code, travel_minutes=minutes, distance_km=km,
        vacancies=vacancies,
        placement_cost_gbp=placement_costs(costs, index.kind_code, index.provider_id, child.home_council,
                                           child.primary_need, child.need_level),
        transport_cost_gbp=transport_costs(costs, child.home_council, km, child.age, child.transport_mode),
    )


def nearest_exclusions(evaluation: Evaluation, index: ProviderIndex, count: int) -> np.ndarray:
    """The near misses: the ``count`` nearest open settings that were excluded, those designated for the child's
    need first (a setting that cannot meet the need is a poorer near miss than one that is full or too far), then
    by distance (unknown locations last), then by provider id. One rule for shortlists and unplaced reasons alike.
    """
    excluded = np.flatnonzero(~evaluation.is_candidate & (evaluation.reason_code != CLOSED))
    not_designated = evaluation.reason_code[excluded] == NOT_DESIGNATED
    distance = np.nan_to_num(evaluation.distance_km[excluded], nan=np.inf)
    return excluded[np.lexsort((index.provider_id[excluded], distance, not_designated))][:count]


def score_evaluation(evaluation: Evaluation, index: ProviderIndex, policy: Policy,
                     band_gbp: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidate rows of an evaluation, their scores and their weighted totals under the policy."""
    rows = np.flatnonzero(evaluation.is_candidate)
    scores = score_candidates(Scoring(evaluation, index, band_gbp), rows)
    weights = policy.normalised_weights()
    return rows, scores, scores @ np.array([weights[criterion] for criterion in CRITERIA])
