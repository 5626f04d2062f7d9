"""Candidates and exclusions: for one child, every provider is either a candidate or excluded with a reason.

Hard rules, checked in this order (an excluded provider carries the first rule it fails):
closed, need_not_designated, designation_not_published (unless the policy takes such special schools in),
age_out_of_range, single_sex, residential_required, inadequate (where the policy
says so), no_vacancy (never for the child's own current setting), location_unknown, travel_over_cap.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matcher.child import Child
from matcher.costs import CostModel, placement_costs
from matcher.policy import Policy
from matcher.provider_index import KNOWN_SOURCE, NEED_COLUMN, ProviderIndex
from matcher.transport import transport_costs
from matcher.travel import TravelModel

REASONS: tuple[str, ...] = (
    "candidate", "closed", "need_not_designated", "designation_not_published", "age_out_of_range", "single_sex",
    "residential_required",
    "inadequate", "no_vacancy", "location_unknown", "travel_over_cap",
)
REASON_WORDS = {
    "closed": "closed",
    "need_not_designated": "not designated for the child's primary need",
    "designation_not_published": "a special school that publishes no designated needs; ask whether it meets the need",
    "age_out_of_range": "does not take children of this age",
    "single_sex": "a single-sex setting for the other sex",
    "residential_required": "does not offer the residential place the child needs",
    "inadequate": "rated Inadequate, which the policy excludes",
    "no_vacancy": "no places free for this need",
    "location_unknown": "location not published, so travel cannot be assessed",
    "travel_over_cap": "over the travel cap",
}


@dataclass(frozen=True, eq=False)
class Evaluation:
    """One child against every provider of an index: reason codes, travel, costs (arrays in index order)."""

    child: Child
    cap_minutes: float
    reason_code: np.ndarray  # index into REASONS; 0 is a candidate
    travel_minutes: np.ndarray
    distance_km: np.ndarray
    vacancies: np.ndarray  # for the child's need where reported, else the total
    placement_cost_gbp: np.ndarray
    transport_cost_gbp: np.ndarray

    @property
    def is_candidate(self) -> np.ndarray:
        return self.reason_code == 0


def travel_cap_minutes(child: Child, policy: Policy) -> float:
    """The child's own cap where given, else the policy's cap for the child's phase."""
    return child.max_travel_minutes or policy.travel_caps_minutes[child.phase]


def evaluate_child(child: Child, index: ProviderIndex, policy: Policy, travel: TravelModel,
                   costs: CostModel, easting: float, northing: float) -> Evaluation:
    """Apply the hard rules to every provider for one child located at (easting, northing)."""
    need = NEED_COLUMN[child.primary_need]
    minutes, km = travel.travel(easting, northing, index)
    cap = travel_cap_minutes(child, policy)
    need_vacancies = index.need_vacancies[:, need]
    vacancies = np.where(np.isnan(need_vacancies), index.vacancies, need_vacancies)
    known_vacancies = ~np.isnan(need_vacancies) | KNOWN_SOURCE[index.vacancies_source]
    other_sex = {"F": 1, "M": 2}.get(child.sex or "", -1)
    failures = [
        ~index.is_open,
        index.needs_published & ~index.designated[:, need],
        ~index.needs_published & np.full(len(minutes), not policy.include_unpublished_designations),
        (child.age < index.age_low) | (child.age > index.age_high),
        index.gender_code == other_sex,
        np.full(len(minutes), child.requires_residential) & (index.residential == 0),
        np.full(len(minutes), policy.exclude_inadequate) & (index.ofsted == 4),
        known_vacancies & (vacancies <= 0) & (index.provider_id != (child.current_provider_id or -1)),
        np.isnan(minutes),
        minutes > cap,
    ]
    reason_code = np.zeros(len(minutes), dtype=np.int8)
    for code in range(len(failures), 0, -1):  # the last rule first, so each provider keeps the first it fails
        reason_code[failures[code - 1]] = code
    return Evaluation(
        child=child, cap_minutes=cap, reason_code=reason_code, travel_minutes=minutes, distance_km=km,
        vacancies=vacancies,
        placement_cost_gbp=placement_costs(costs, index.kind_code, index.provider_id, child.home_council,
                                           child.primary_need, child.need_level),
        transport_cost_gbp=transport_costs(costs, child.home_council, km, child.age, child.transport_mode),
    )


def exclusions_table(evaluation: Evaluation, index: ProviderIndex) -> pd.DataFrame:
    """Return every excluded provider with its reason code and travel, nearest first."""
    rows = np.flatnonzero(~evaluation.is_candidate)
    table = pd.DataFrame({
        "provider_id": index.provider_id[rows],
        "reason": np.asarray(REASONS)[evaluation.reason_code[rows]],
        "travel_minutes": evaluation.travel_minutes[rows],
        "distance_km": evaluation.distance_km[rows],
    })
    return table.sort_values(["distance_km", "provider_id"], na_position="last").reset_index(drop=True)
