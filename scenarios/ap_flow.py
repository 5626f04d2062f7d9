"""Alternative provision (AP) over terms: time-limited places, children returning to mainstream, places freed.

AP is not a permanent placement: each child admitted has at most ``time_limit_terms`` terms there. Of the children
who start in one term (a cohort of ``n``), ``floor(return_by_term[k - 1] * n + 0.5)`` have returned to mainstream
within ``k`` terms (rounded half up; the shares are cumulative and never fall); at the time limit every child still
there leaves, on to specialist provision (or an extension the council must decide on, outside this model). A child
who returns is referred again ``repeat_after_terms`` later with the share ``repeat_share`` (floored, by cohort of
returners): a repeat placement.

Each term ``t``:

- places free = ``places - in_ap[t]``, where ``in_ap[t]`` counts the children still in AP from earlier terms;
  places freed by returns and leavers at the end of term ``t - 1`` are free from term ``t``;
- demand = referrals[t] (new, and repeats falling due) + the children waiting from term ``t - 1``;
- admitted = ``min(demand, places free)``; the rest wait, first come first served;
- at the end of the term each cohort loses its returns of that term, and the cohort at its time limit leaves.

Every count is a whole child, so a case can be solved by hand. The KPIs, measured on what happened to each cohort:
the share of admitted children returned within 1, 2 and 3 terms (over the cohorts the horizon lets us follow that
long), the mean terms in AP of those who left, the places freed (by term and in all), repeat placements, and those
on to specialist provision.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.errors import PlacewiseError

TERMS_FOLLOWED = (1, 2, 3)  # the KPIs' returns within 1, 2 and 3 terms


@dataclass(frozen=True)
class APPolicy:
    """How AP places behave: the time limit in terms, the cumulative share returned to mainstream within each term of
    it, and repeat referrals of those who return."""

    time_limit_terms: int
    return_by_term: tuple[float, ...]
    repeat_share: float = 0.0
    repeat_after_terms: int = 2

    def __post_init__(self) -> None:
        shares = self.return_by_term
        if self.time_limit_terms < 1:
            raise PlacewiseError("time_limit_terms: give 1 or more terms", field="time_limit_terms")
        if len(shares) != self.time_limit_terms:
            raise PlacewiseError(f"return_by_term: give one cumulative share for each of the {self.time_limit_terms} "
                                 "terms of the time limit", field="return_by_term")
        if any(not 0 <= share <= 1 for share in shares) or any(b < a for a, b in zip(shares, shares[1:], strict=False)):
            raise PlacewiseError("return_by_term: shares are cumulative, from 0 to 1, and never fall",
                                 field="return_by_term")
        if not 0 <= self.repeat_share <= 1 or self.repeat_after_terms < 1:
            raise PlacewiseError("repeat_share: give a share from 0 to 1, and repeat_after_terms 1 or more",
                                 field="repeat_share")

    def returned_within(self, cohort: int, terms: int) -> int:
        """Children of a cohort of ``cohort`` returned to mainstream within ``terms`` terms of starting."""
        if terms <= 0:
            return 0
        return math.floor(self.return_by_term[min(terms, self.time_limit_terms) - 1] * cohort + 0.5 + 1e-9)

    def mean_stay_terms(self) -> float:
        """Expected terms in AP of one child (for the steady state's referrals: stock / mean stay)."""
        shares = (0.0, *self.return_by_term)
        returned = sum(term * (shares[term] - shares[term - 1]) for term in range(1, self.time_limit_terms + 1))
        return returned + self.time_limit_terms * (1 - shares[-1])


@dataclass(frozen=True)
class APFlow:
    """A run of the flow: one row a term (``terms``) and the KPIs."""

    terms: pd.DataFrame
    kpis: dict = field(default_factory=dict)


def run_ap_flow(policy: APPolicy, places: int, referrals: list[int], in_ap_at_start: int = 0) -> APFlow:
    """Run the flow over ``len(referrals)`` terms (see the module); ``in_ap_at_start`` children are in AP at the
    start, as one cohort that began in the term before.

    Raises:
        PlacewiseError: for negative places or referrals, or more children at the start than places.
    """
    if places < 0 or any(count < 0 for count in referrals) or in_ap_at_start < 0:
        raise PlacewiseError("places, referrals and in_ap_at_start: give whole numbers, 0 or more")
    if in_ap_at_start > places:
        raise PlacewiseError(f"in_ap_at_start: {in_ap_at_start} children cannot be in {places} places",
                             field="in_ap_at_start")
    horizon = len(referrals)
    cohorts: dict[int, list[int]] = {}  # start term -> [admitted, still in AP]
    if in_ap_at_start:
        cohorts[-1] = [in_ap_at_start, in_ap_at_start]
    repeats_due = np.zeros(horizon + policy.repeat_after_terms + policy.time_limit_terms + 2, dtype=int)
    waiting, rows = 0, []
    history: dict[int, list[int]] = {}  # start term -> [admitted, returned after 1 term, after 2 ...]
    for term in range(horizon):
        in_ap = sum(still for _, still in cohorts.values())
        repeats = int(repeats_due[term])
        demand = referrals[term] + repeats + waiting
        admitted = min(demand, places - in_ap)
        waiting = demand - admitted
        if admitted:
            cohorts[term] = [admitted, admitted]
            history[term] = [admitted]
        returned = to_specialist = stay_terms = 0
        for start, cohort in cohorts.items():
            size, still = cohort
            age = term - start + 1  # terms this cohort has been in AP at the end of this term
            back = min(still, policy.returned_within(size, age) - policy.returned_within(size, age - 1))
            leave = still - back if age >= policy.time_limit_terms else 0
            cohort[1] = still - back - leave
            returned, to_specialist = returned + back, to_specialist + leave
            if start in history:
                history[start].append(back)
            stay_terms += age * (back + leave)
            if back and policy.repeat_share:
                repeats_due[term + policy.repeat_after_terms] += math.floor(policy.repeat_share * back + 1e-9)
        rows.append({"term": term + 1, "referrals": referrals[term], "repeat_referrals": repeats,
                     "admitted": admitted, "waiting": waiting, "in_ap": in_ap + admitted,
                     "returned": returned, "on_to_specialist": to_specialist,
                     "places_freed": returned + to_specialist, "stay_terms": stay_terms})
        cohorts = {start: cohort for start, cohort in cohorts.items() if cohort[1] > 0}
    terms = pd.DataFrame(rows)
    return APFlow(terms.drop(columns="stay_terms"), _kpis(terms, history))


def _kpis(terms: pd.DataFrame, history: dict[int, list[int]]) -> dict:
    """The run's KPIs, measured on what happened to each cohort admitted (see the module)."""
    left = int(terms["places_freed"].sum())
    kpis: dict = {"terms": len(terms), "admitted": int(terms["admitted"].sum()),
                  "returned": int(terms["returned"].sum()), "on_to_specialist": int(terms["on_to_specialist"].sum()),
                  "places_freed": left, "repeat_placements": int(terms["repeat_referrals"].sum()),
                  "waiting_at_end": int(terms["waiting"].iloc[-1]) if len(terms) else 0,
                  "terms_in_ap_of_leavers": int(terms["stay_terms"].sum()),
                  "mean_terms_in_ap": round(float(terms["stay_terms"].sum()) / left, 3) if left else None}
    for within in TERMS_FOLLOWED:
        followed = [record for record in history.values() if len(record) > within]  # seen for ``within`` terms
        total = sum(record[0] for record in followed)
        returned = sum(sum(record[1:within + 1]) for record in followed)
        kpis[f"returned_within_{within}_terms_share"] = round(returned / total, 3) if total else None
        kpis[f"returned_within_{within}_terms"] = returned
        kpis[f"followed_for_{within}_terms"] = total
    return kpis
