"""Alternative provision over terms, on a case solved by hand, and the policy's bad input refused."""

import pytest

from core.errors import PlacewiseError
from scenarios.ap_flow import APPolicy, run_ap_flow

POLICY = APPolicy(time_limit_terms=3, return_by_term=(0.2, 0.5, 0.6))


def test_a_hand_solved_case():
    """10 places; referrals 10, 5, 5, 0; within 1, 2, 3 terms 20%, 50%, 60% return (rounded half up), the rest leave
    at the limit of 3 terms.

    Term 1: 10 admitted (cohort A). A returns round(2) = 2. Freed 2.
    Term 2: 8 in AP, 2 free: 2 of the 5 admitted (cohort B), 3 wait. A returns round(5) - 2 = 3; B round(0.4) = 0.
            Freed 3.
    Term 3: 7 in AP, 3 free; demand 5 + 3 = 8: 3 admitted (C), 5 wait. A: round(6) - 5 = 1 returns and its other 4
            reach the limit (on to specialist); B: round(1.0) - 0 = 1; C: round(0.6) = 1. Freed 1 + 4 + 1 + 1 = 7.
    Term 4: 3 in AP (B 1, C 2), 7 free; the 5 waiting admitted (D). B: round(1.2) - 1 = 0 returns and its last 1
            reaches the limit; C: round(1.5) - 1 = 1; D: round(1.0) = 1. Freed 1 + 1 + 1 = 3; 8 in AP.
    Returned within 1 term: (2 + 0 + 1 + 1) of 20 = 0.2; within 2 (A, B, C followed): (5 + 1 + 2) of 15 = 0.533;
    within 3 (A, B): (6 + 1) of 12 = 0.583. Terms in AP of the 15 who left: 2x1 + 3x2 + 5x3 + 1x2 + 1x1 + 1x3 + 1x2
    + 1x1 = 32, a mean of 2.133.
    """
    flow = run_ap_flow(POLICY, places=10, referrals=[10, 5, 5, 0])
    columns = ["admitted", "waiting", "in_ap", "returned", "on_to_specialist", "places_freed"]
    assert flow.terms[columns].values.tolist() == [[10, 0, 10, 2, 0, 2], [2, 3, 10, 3, 0, 3], [3, 5, 10, 3, 4, 7],
                                                  [5, 0, 8, 2, 1, 3]]
    kpis = flow.kpis
    assert (kpis["admitted"], kpis["returned"], kpis["on_to_specialist"], kpis["places_freed"],
            kpis["waiting_at_end"]) == (20, 10, 5, 15, 0)
    assert (kpis["returned_within_1_terms_share"], kpis["returned_within_2_terms_share"],
            kpis["returned_within_3_terms_share"]) == (0.2, 0.533, 0.583)
    assert (kpis["followed_for_1_terms"], kpis["followed_for_2_terms"], kpis["followed_for_3_terms"]) == (20, 15, 12)
    assert kpis["mean_terms_in_ap"] == 2.133


def test_returners_referred_again_are_repeat_placements():
    """Half of those who return are referred again two terms later (floored): term 1's 2 returners bring 1 repeat
    in term 3."""
    policy = APPolicy(time_limit_terms=3, return_by_term=(0.2, 0.5, 0.6), repeat_share=0.5, repeat_after_terms=2)
    flow = run_ap_flow(policy, places=20, referrals=[10, 0, 0])
    assert flow.terms["repeat_referrals"].tolist() == [0, 0, 1]
    assert flow.kpis["repeat_placements"] == 1 and flow.terms["admitted"].tolist() == [10, 0, 1]


def test_children_in_ap_at_the_start_hold_their_places():
    flow = run_ap_flow(POLICY, places=10, referrals=[5], in_ap_at_start=10)
    row = flow.terms.iloc[0]
    assert (row["admitted"], row["waiting"]) == (0, 5)  # no place free until the start's children leave


@pytest.mark.parametrize("bad", [dict(time_limit_terms=2, return_by_term=(0.2, 0.5, 0.6)),
                                 dict(time_limit_terms=3, return_by_term=(0.5, 0.2, 0.6)),
                                 dict(time_limit_terms=3, return_by_term=(0.2, 0.5, 1.2)),
                                 dict(time_limit_terms=0, return_by_term=())])
def test_a_policy_that_cannot_hold_is_refused(bad):
    with pytest.raises(PlacewiseError):
        APPolicy(**bad)


def test_the_mean_stay_of_the_policy():
    """20% leave after 1 term, 30% after 2, 10% after 3 and the other 40% at the limit of 3: 0.2 + 0.6 + 1.5 = 2.3."""
    assert POLICY.mean_stay_terms() == pytest.approx(2.3)
