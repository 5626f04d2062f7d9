"""The travel cap as the allocation and a shortlist apply it: on the central estimate, or on the percentile of the
journey's band that the policy names, with uncertain journeys only as a flagged exception.

A journey's estimate carries its band, the 10th to 90th percentile of the routed time (``matcher.travel.national``).
The policy's ``travel_cap_percentile`` p (1-99; 50, the central estimate, by default) reads the minutes at that
percentile, between the band's ends as a normal distribution on each side of the estimate would place it:

    minutes(p) = estimate + z(p) / z(90) x (high - estimate)   where z(p) >= 0
               = estimate + z(p) / z(90) x (estimate - low)    where z(p) < 0

(z the standard normal quantile; p = 90 gives the band's high end, p = 10 its low end). A pair is over the cap where
minutes(p) > cap. With the policy's ``keep_uncertain_travel``, a pair over the cap whose band's low end is within it
is kept as an *uncertain journey*: flagged, weighed down by ``uncertain_travel_penalty`` in its total score, and
counted wherever a child is placed through one.
"""

from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matcher.policy import Policy
    from matcher.travel.protocol import TravelEstimate

NORMAL = NormalDist()  # the standard normal (the standard library's: scipy.stats took 0.4 s to import for it)
Z_90 = NORMAL.inv_cdf(0.9)


def minutes_at_percentile(travel: "TravelEstimate", percentile: float) -> np.ndarray:
    """Each journey's minutes at ``percentile`` of its band (the estimate itself at 50)."""
    if percentile == 50:
        return travel.minutes
    z = NORMAL.inv_cdf(percentile / 100.0) / Z_90
    spread = (travel.high_minutes - travel.minutes) if z > 0 else (travel.minutes - travel.low_minutes)
    return travel.minutes + z * spread


def capped_minutes(travel: "TravelEstimate", policy: "Policy") -> np.ndarray:
    """The minutes the policy holds each journey to its cap by."""
    return minutes_at_percentile(travel, policy.travel_cap_percentile)


def over_cap(travel: "TravelEstimate", cap_minutes: np.ndarray, policy: "Policy") -> np.ndarray:
    """Pairs the travel cap excludes: over it at the policy's percentile, unless kept as uncertain journeys."""
    return (capped_minutes(travel, policy) > cap_minutes) & ~uncertain(travel, cap_minutes, policy)


def uncertain(travel: "TravelEstimate", cap_minutes: np.ndarray, policy: "Policy") -> np.ndarray:
    """Uncertain journeys the policy keeps: over the cap at its percentile, the band's low end within it."""
    if not policy.keep_uncertain_travel:
        return np.zeros(np.shape(travel.minutes), dtype=bool)
    return (capped_minutes(travel, policy) > cap_minutes) & (travel.low_minutes <= cap_minutes)
