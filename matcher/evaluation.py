"""One child evaluated against every provider of an index: reason codes, travel and costs, as arrays."""

from dataclasses import dataclass

import numpy as np

from matcher.child import Child


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
