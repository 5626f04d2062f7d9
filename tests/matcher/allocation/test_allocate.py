"""Cohort allocation: hand-solved micro cases, properties against HiGHS and a greedy, and the whole chain.

Every allocation made here is re-verified by the independent checker (``allocation_cases.solve`` does it).
Providers are numbered 101, 102, ... and children C1, C2, ...; scores are weighted totals in 0..1.
"""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import PlacewiseError
from matcher.allocation.allocate import allocate
from matcher.allocation.capacity import capacities_from_providers
from matcher.allocation.check import check_allocation
from matcher.allocation.cohort_candidates import build_candidate_table
from matcher.allocation.flow import SCORE_SCALE
from matcher.allocation.wishes import PREFERRED, STAY
from matcher.costs import default_costs
from matcher.policy import Policy
from matcher.provider_index import build_provider_index
from matcher.shortlist import build_shortlister
from matcher.travel.straight_line import StraightLineTravel
from tests.helpers.allocation_cases import (
    AWAY,
    HOME,
    PROPERTY,
    arcs_table,
    assert_valid,
    case,
    children_table,
    details,
    greedy,
    placements,
    providers_table,
    random_cases,
    reasons,
    solve,
    total_score,
)
from tests.helpers.factories import make_child, make_providers


def one_place_each(*provider_ids: int, host: str = HOME) -> pd.DataFrame:
    return providers_table(*[{"provider_id": provider, "vacancies": 1, "host_council": host}
                             for provider in provider_ids])


# --- Micro cases, solved by hand ---------------------------------------------------------------------------------

def test_placing_every_child_beats_the_greedy_choice():
    # 101, 102, 103 have one place each. C1: 101 (0.9), 102 (0.8); C2: 102 (0.7), 103 (0.6); C3: 101 (0.5).
    # Greedy by score: C1 -> 101, C2 -> 102, and C3 (only 101) is left out: 2 placed.
    # C3 can only go to 101, so C1 must take 102 and C2 103: all 3 placed, score 0.8 + 0.6 + 0.5 = 1.9.
    instance = case(children_table(("C1",), ("C2",), ("C3",)), one_place_each(101, 102, 103), arcs_table(
        ("C1", 101, 0.9), ("C1", 102, 0.8), ("C2", 102, 0.7), ("C2", 103, 0.6), ("C3", 101, 0.5)))
    allocation = solve(instance)
    assert (allocation.method, allocation.status) == ("flow", "optimal")
    assert placements(allocation) == {"C1": 102, "C2": 103, "C3": 101}
    assert allocation.objective()["placed"] == 3
    assert allocation.objective()["total_score"] == pytest.approx(1.9)
    assert allocation.unplaced.empty
    assert greedy(instance)["provider_id"].count() == 2


def test_with_everyone_placed_the_higher_total_score_wins():
    # 101 and 102 have one place each. C1: 101 (0.9), 102 (0.8); C2: 101 (0.85), 102 (0.1).
    # Both ways place both: C1 -> 101, C2 -> 102 scores 1.0 (greedy's answer); C1 -> 102, C2 -> 101 scores 1.65.
    instance = case(children_table(("C1",), ("C2",)), one_place_each(101, 102), arcs_table(
        ("C1", 101, 0.9), ("C1", 102, 0.8), ("C2", 101, 0.85), ("C2", 102, 0.1)))
    allocation = solve(instance)
    assert (allocation.method, allocation.status) == ("flow", "optimal")
    assert placements(allocation) == {"C1": 102, "C2": 101}
    assert allocation.objective()["total_score"] == pytest.approx(1.65)
    assert total_score(instance, greedy(instance)) == pytest.approx(1.0)


def test_a_need_cap_holds_and_the_unplaced_child_is_told_which_setting_is_full():
    # 101 has 2 places, but only 1 for ASD. C1 (ASD) 0.9 and C2 (ASD) 0.8 and C3 (SLD) 0.4, all only at 101.
    # Without the cap C1 and C2 would fill it (1.7); with it, C1 and C3 (1.3), and C2 is out for capacity.
    children = children_table(("C1", HOME, "ASD"), ("C2", HOME, "ASD"), ("C3", HOME, "SLD"))
    arcs = arcs_table(("C1", 101, 0.9), ("C2", 101, 0.8), ("C3", 101, 0.4))
    uncapped = solve(case(children, providers_table({"provider_id": 101, "vacancies": 2}), arcs))
    assert placements(uncapped) == {"C1": 101, "C2": 101, "C3": None}

    capped = providers_table({"provider_id": 101, "vacancies": 2, "need_vacancies": {"ASD": 1}})
    allocation = solve(case(children, capped, arcs))
    assert (allocation.method, allocation.status) == ("flow", "optimal")
    assert placements(allocation) == {"C1": 101, "C2": None, "C3": 101}
    assert reasons(allocation) == {"C2": "capacity"}
    # 101 holds 2 children, neither with fewer options than C2's one; its ASD cap is what binds.
    assert details(allocation)["C2"] == ("the only suitable setting is full (101); limits reached: 101 ASD; 2 children "
                                         "placed there, 0 with fewer options than this child")


def test_a_quota_reserves_places_and_the_other_councils_share_the_rest():
    # 101 has 3 places, 2 reserved for HOME; AWAY children share the 1 unreserved place, and HOME children
    # may not spill into it. HOME: C1 0.9, C2 0.8, C3 0.7; AWAY: C4 0.6, C5 0.5; all only at 101.
    # Best: C1, C2 (the quota) and C4 (the unreserved place); C3 and C5 out for capacity.
    children = children_table(("C1", HOME), ("C2", HOME), ("C3", HOME), ("C4", AWAY), ("C5", AWAY))
    providers = providers_table({"provider_id": 101, "vacancies": 3, "quotas": {HOME: 2}})
    arcs = arcs_table(("C1", 101, 0.9), ("C2", 101, 0.8), ("C3", 101, 0.7), ("C4", 101, 0.6), ("C5", 101, 0.5))
    allocation = solve(case(children, providers, arcs))
    assert (allocation.method, allocation.status) == ("flow", "optimal")
    assert placements(allocation) == {"C1": 101, "C2": 101, "C3": None, "C4": 101, "C5": None}
    assert reasons(allocation) == {"C3": "capacity", "C5": "capacity"}
    assert all("(101)" in detail for detail in details(allocation).values())


def test_a_child_who_stays_keeps_the_place_against_a_higher_scoring_rival():
    # C1 is at 101 and stays (its only arc, priority STAY, score 0.2); C2 would score 0.9 there and has nowhere
    # else. One place: C1 keeps it, C2 is out for capacity at 101. The MIP agrees.
    instance = case(children_table(("C1",), ("C2",)), one_place_each(101), arcs_table(
        ("C1", 101, 0.2, 0.0, STAY), ("C2", 101, 0.9)))
    for method in ("auto", "mip"):
        allocation = solve(instance, method=method)
        assert (allocation.method, allocation.status) == ("flow" if method == "auto" else "mip", "optimal")
        assert placements(allocation) == {"C1": 101, "C2": None}
        assert reasons(allocation) == {"C2": "capacity"}
        assert details(allocation)["C2"] == ("the only suitable setting is full (101); 1 child placed there, 0 with "
                                             "fewer options than this child")


def test_a_preference_is_honoured_over_a_better_score():
    # C1 prefers 102 (0.3, priority PREFERRED) to 101 (0.9): 102. C2 takes 101 either way.
    instance = case(children_table(("C1",), ("C2",)), one_place_each(101, 102), arcs_table(
        ("C1", 101, 0.9), ("C1", 102, 0.3, 0.0, PREFERRED), ("C2", 101, 0.5), ("C2", 102, 0.4)))
    allocation = solve(instance)
    assert placements(allocation) == {"C1": 102, "C2": 101}
    assert allocation.objective()["preferences_honoured"] == 1


def test_a_total_budget_forces_the_cheaper_placement():
    # C1: 101 scores 0.9 at £30,000, 102 scores 0.5 at £20,000. A £25,000 budget allows only 102.
    instance = case(children_table(("C1",)), one_place_each(101, 102), arcs_table(
        ("C1", 101, 0.9, 30_000.0), ("C1", 102, 0.5, 20_000.0)))
    policy = Policy(budget_gbp=25_000)
    allocation = solve(instance, policy)
    assert allocation.method == "lagrangian"
    assert placements(allocation) == {"C1": 102}
    # The Lagrangian bound cannot close this integer gap (it says 7,000 points; the truth is 5,000), so it
    # proves no optimum, though its answer is the only one within budget.
    assert allocation.status == "feasible"
    assert allocation.bound >= 0.5 * SCORE_SCALE
    by_mip = solve(instance, policy, method="mip")
    assert (by_mip.method, by_mip.status, placements(by_mip)) == ("mip", "optimal", {"C1": 102})


def test_a_budget_that_affords_one_child_leaves_the_other_out_for_budget():
    # C1 and C2 each have 101 (1 place) and 102 (2 places), all at £20,000; £30,000 affords one child.
    # C1 at 101 (0.9) is the best single placement; C2 could go to 102, which has room: reason budget.
    allocation = solve(budget_for_one(), Policy(budget_gbp=30_000), method="mip")
    assert (allocation.status, placements(allocation)) == ("optimal", {"C1": 101, "C2": None})
    assert reasons(allocation) == {"C2": "budget"}
    assert details(allocation)["C2"] == "1 suitable settings had room, but the budget did not allow it"


def budget_for_one():
    return case(children_table(("C1",), ("C2",)),
                providers_table({"provider_id": 101, "vacancies": 1}, {"provider_id": 102, "vacancies": 2}),
                arcs_table(("C1", 101, 0.9, 20_000.0), ("C1", 102, 0.1, 20_000.0),
                           ("C2", 101, 0.8, 20_000.0), ("C2", 102, 0.2, 20_000.0)))


def test_the_lagrangian_shortfall_on_an_integer_gap_is_within_the_gap_it_reports():
    # 102 has 2 places and both must be filled, within £10,002. C6: 0.25 at £5,001; C7: 1.0 at £5,003;
    # C8 and C9: 0.0 at £5,000. Any pair with C7 costs £10,003 or more, so the best is C6 with C8 or C9 (0.25).
    # That pair is best for no multiplier (it lies above the convex hull of cost against score), so the
    # Lagrangian returns C8 + C9 (0.0) and says so: a gap of 100%.
    instance = case(children_table(("C6",), ("C7",), ("C8",), ("C9",)),
                    providers_table({"provider_id": 102, "vacancies": 2}),
                    arcs_table(("C6", 102, 0.25, 5_001.0), ("C7", 102, 1.0, 5_003.0), ("C8", 102, 0.0, 5_000.0),
                               ("C9", 102, 0.0, 5_000.0)))
    policy = Policy(budget_gbp=10_002)
    best = solve(instance, policy, method="mip")
    assert best.objective()["total_score"] == pytest.approx(0.25)
    assert placements(best)["C6"] == 102
    lagrangian = solve(instance, policy)
    assert (lagrangian.method, lagrangian.status, lagrangian.objective()["placed"]) == ("lagrangian", "feasible", 2)
    shortfall = best.objective()["total_score"] - lagrangian.objective()["total_score"]
    assert 0 <= shortfall <= lagrangian.gap * lagrangian.bound / SCORE_SCALE


def test_a_council_budget_goes_to_the_mip_and_binds_only_that_council():
    # C1 (HOME) and C2 (AWAY) each: 101 scores 0.9 at £30,000, 102 scores 0.5 at £20,000; 2 places each.
    # HOME may spend £25,000, so C1 -> 102; AWAY has no budget of its own, so C2 -> 101.
    places = providers_table({"provider_id": 101, "vacancies": 2}, {"provider_id": 102, "vacancies": 2})
    instance = case(children_table(("C1", HOME), ("C2", AWAY)), places, arcs_table(
        ("C1", 101, 0.9, 30_000.0), ("C1", 102, 0.5, 20_000.0), ("C2", 101, 0.9, 30_000.0),
        ("C2", 102, 0.5, 20_000.0)))
    allocation = solve(instance, Policy(council_budgets_gbp={HOME: 25_000}))
    assert (allocation.method, allocation.status) == ("mip", "optimal")
    assert placements(allocation) == {"C1": 102, "C2": 101}


def test_an_out_of_area_cap_goes_to_the_mip():
    # HOME children C1, C2; 101 is in HOME (1 place), 102 in AWAY (2 places).
    # C1: 101 0.5, 102 0.9; C2: 101 0.3, 102 0.8. Uncapped, both go to 102 (1.7).
    # At most half out of area: C1 -> 101, C2 -> 102 (1.3) beats C1 -> 102, C2 -> 101 (1.2).
    # None out of area: only 101 is allowed and it has one place: C1 (0.5 beats 0.3); C2 is out by the cap,
    # though 102 had room.
    providers = providers_table({"provider_id": 101, "vacancies": 1, "host_council": HOME},
                                {"provider_id": 102, "vacancies": 2, "host_council": AWAY})
    instance = case(children_table(("C1",), ("C2",)), providers, arcs_table(
        ("C1", 101, 0.5), ("C1", 102, 0.9), ("C2", 101, 0.3), ("C2", 102, 0.8)))
    assert placements(solve(instance)) == {"C1": 102, "C2": 102}

    half = solve(instance, Policy(max_out_of_area_share=0.5))
    assert (half.method, half.status) == ("mip", "optimal")
    assert placements(half) == {"C1": 101, "C2": 102}

    none = solve(instance, Policy(max_out_of_area_share=0.0))
    assert (none.method, none.status) == ("mip", "optimal")
    assert placements(none) == {"C1": 101, "C2": None}
    assert reasons(none) == {"C2": "policy_constraint"}
    assert details(none)["C2"] == "1 suitable settings had room, but the out-of-area cap did not allow it"


def test_the_lexicographic_objective_can_choose_differently_from_the_weighted_one():
    # C1: 101 has travel 1.0 and suitability 0.2 (total 0.6); 102 travel 0.4, suitability 1.0 (total 0.7).
    # Weighted: 102. Travel first: 101. Suitability first: 102.
    instance = case(children_table(("C1",)), one_place_each(101, 102), arcs_table(
        ("C1", 101, 0.6), ("C1", 102, 0.7), travel=[1.0, 0.4], suitability=[0.2, 1.0]))
    weighted = solve(instance)
    assert (weighted.method, placements(weighted)) == ("flow", {"C1": 102})
    travel_first = solve(instance, Policy(objective="lexicographic", priority=("travel",)))
    assert (travel_first.method, travel_first.status, placements(travel_first)) == ("mip", "optimal", {"C1": 101})
    suitability_first = solve(instance, Policy(objective="lexicographic", priority=("suitability", "travel")))
    assert placements(suitability_first) == {"C1": 102}


def test_the_lexicographic_objective_still_places_children_first():
    # C1: 101 (travel 1.0), 102 (travel 0.1); C2 only 101 (travel 0.5); one place each. Travel first would put
    # C1 at 101, but that leaves C2 out: placing both comes first, so C1 -> 102, C2 -> 101.
    instance = case(children_table(("C1",), ("C2",)), one_place_each(101, 102), arcs_table(
        ("C1", 101, 0.5), ("C1", 102, 0.5), ("C2", 101, 0.5), travel=[1.0, 0.1, 0.5]))
    allocation = solve(instance, Policy(objective="lexicographic", priority=("travel",)))
    assert placements(allocation) == {"C1": 102, "C2": 101}


def test_crossing_need_caps_and_quotas_fall_back_to_the_mip():
    # 101 has 2 places, at most 1 for ASD, and 1 reserved for HOME (so 1 for the rest): an arc under both a need
    # cap and a quota is not a flow, so even "flow" goes to the MIP.
    # C1 (HOME, ASD) 0.9, C2 (HOME, SLD) 0.8, C3 (AWAY, ASD) 0.7, C4 (AWAY, SLD) 0.65, all only at 101.
    # Pairs that fit: one HOME and one AWAY, not both ASD: C1 + C4 (1.55), C2 + C3 (1.5), C2 + C4 (1.45).
    children = children_table(("C1", HOME, "ASD"), ("C2", HOME, "SLD"), ("C3", AWAY, "ASD"), ("C4", AWAY, "SLD"))
    providers = providers_table({"provider_id": 101, "vacancies": 2, "need_vacancies": {"ASD": 1},
                                 "quotas": {HOME: 1}})
    arcs = arcs_table(("C1", 101, 0.9), ("C2", 101, 0.8), ("C3", 101, 0.7), ("C4", 101, 0.65))
    allocation = solve(case(children, providers, arcs), method="flow")
    assert (allocation.method, allocation.status) == ("mip", "optimal")
    assert placements(allocation) == {"C1": 101, "C2": None, "C3": None, "C4": 101}
    assert reasons(allocation) == {"C2": "capacity", "C3": "capacity"}


def test_the_capacity_detail_counts_the_rivals_with_fewer_options():
    # 101 and 102 have one place each; C1 can only go to 101 and C2 only to 102; C3 could go to either.
    # Two places, three children: C1 + C2 (0.2) beats C3 with either (0.15). C3 is out: both its settings are
    # full, held by 2 children each with 1 option to C3's 2.
    instance = case(children_table(("C1",), ("C2",), ("C3",)), one_place_each(101, 102), arcs_table(
        ("C1", 101, 0.1), ("C2", 102, 0.1), ("C3", 101, 0.05), ("C3", 102, 0.05)))
    allocation = solve(instance)
    assert placements(allocation) == {"C1": 101, "C2": 102, "C3": None}
    assert details(allocation)["C3"] == ("all 2 suitable settings are full (101, 102); 2 children placed there, "
                                         "2 with fewer options than this child")


def test_a_child_without_candidates_is_unplaced_with_no_candidate():
    instance = case(children_table(("C1",), ("C2",)), one_place_each(101), arcs_table(("C1", 101, 0.5)))
    allocation = solve(instance)
    assert placements(allocation) == {"C1": 101, "C2": None}
    assert reasons(allocation) == {"C2": "no_candidate"}
    assert details(allocation)["C2"] == "no setting passes the hard rules; nearest: none"


def test_a_provider_with_no_places_leaves_its_children_out_for_capacity():
    instance = case(children_table(("C1",)), providers_table({"provider_id": 101, "vacancies": 0}),
                    arcs_table(("C1", 101, 0.5)))
    allocation = solve(instance)
    assert (allocation.status, reasons(allocation)) == ("optimal", {"C1": "capacity"})
    assert "(101)" in details(allocation)["C1"]


@pytest.mark.parametrize(("method", "policy"), [
    ("flow", Policy(budget_gbp=1.0)), ("flow", Policy(max_out_of_area_share=0.5)),
    ("lagrangian", Policy()), ("lagrangian", Policy(budget_gbp=1.0, council_budgets_gbp={HOME: 1.0})),
])
def test_a_method_that_cannot_hold_the_policy_is_refused(method, policy):
    instance = case(children_table(("C1",)), one_place_each(101), arcs_table(("C1", 101, 0.5)))
    with pytest.raises(PlacewiseError, match="solver.method"):
        solve(instance, policy, method=method)


# --- Budget and MIP edge cases (each once a bug: the reproduction stays as a test) ---------------------------

def test_lagrangian_places_what_the_budget_affords_when_it_affords_fewer_than_the_places():
    # As test_a_budget_that_affords_one_child_leaves_the_other_out_for_budget, by auto (the Lagrangian).
    # Once: the head count was never limited by the budget, so no flow fitted and nobody was placed.
    allocation = solve(budget_for_one(), Policy(budget_gbp=30_000))
    assert allocation.method == "lagrangian"
    assert placements(allocation) == {"C1": 101, "C2": None}


def test_lagrangian_finds_the_flow_within_budget_when_a_pound_must_outweigh_two_scores():
    # 101, 102, 103 have one place each; both children can be placed within £200, and only one way:
    # C1: 101 (0.0, £100), 102 (1.0, £102); C2: 101 (1.0, £99), 103 (0.0, £100).
    # C1 -> 101, C2 -> 103 costs £200 (score 0); C1 -> 102, C2 -> 101 costs £201 for 2.0 more score, so the
    # multiplier must pass 20,000 points a pound (once it stopped below 10,001 and placed nobody).
    instance = case(children_table(("C1",), ("C2",)), one_place_each(101, 102, 103), arcs_table(
        ("C1", 101, 0.0, 100.0), ("C1", 102, 1.0, 102.0), ("C2", 101, 1.0, 99.0), ("C2", 103, 0.0, 100.0)))
    policy = Policy(budget_gbp=200)
    assert placements(solve(instance, policy, method="mip")) == {"C1": 101, "C2": 103}
    assert placements(solve(instance, policy)) == {"C1": 101, "C2": 103}


def test_lagrangian_with_a_budget_that_does_not_bind_is_optimal():
    instance = case(children_table(("C1",)), one_place_each(101, 102), arcs_table(
        ("C1", 101, 0.9, 30_000.0), ("C1", 102, 0.5, 20_000.0)))
    allocation = solve(instance, Policy(budget_gbp=100_000))
    assert placements(allocation) == {"C1": 101}
    assert (allocation.method, allocation.status, allocation.gap) == ("lagrangian", "optimal", 0.0)


def test_mip_with_no_candidate_arc_is_optimal():
    instance = case(children_table(("C1",)), one_place_each(101), arcs_table(("C1", 101, 0.5)).iloc[:0])
    assert solve(instance).status == "optimal"
    allocation = solve(instance, Policy(max_out_of_area_share=0.5))
    assert reasons(allocation) == {"C1": "no_candidate"}
    assert (allocation.method, allocation.status) == ("mip", "optimal")


# --- Properties on random small instances -----------------------------------------------------------------------

@PROPERTY
@given(random_cases(priorities=True))
def test_flow_matches_the_mip_optimum(instance):
    flow = solve(instance, method="flow")
    mip = solve(instance, method="mip")
    assert (flow.method, flow.status, mip.status) == ("flow", "optimal", "optimal")
    assert flow.objective()["placed"] == mip.objective()["placed"]
    assert priority_points(flow) == priority_points(mip)
    # Flow scores are rounded to 1/10,000 an arc; 12 arcs at most.
    assert flow.objective()["total_score"] == pytest.approx(mip.objective()["total_score"], abs=1e-3)


def priority_points(allocation) -> int:
    return int(allocation.table.priority[allocation.placed_arcs].sum())


@PROPERTY
@given(random_cases())
def test_flow_is_never_worse_than_greedy(instance):
    flow = solve(instance)
    chosen = greedy(instance)
    assert check_allocation(chosen, instance.arcs.assign(annual_cost_gbp=0.0), instance.providers, Policy()) == []
    placed, by_greedy = flow.objective()["placed"], chosen["provider_id"].count()
    assert placed >= by_greedy
    if placed == by_greedy:
        assert flow.objective()["total_score"] >= total_score(instance, chosen) - 1e-3


def budget_share(instance, share: float) -> Policy:
    """A total budget of ``share`` of what placing every child at its dearest candidate would cost."""
    dearest = instance.arcs.groupby("child_id")["placement_cost_gbp"].max().sum()
    return Policy(budget_gbp=round(share * float(dearest)))


@PROPERTY
@given(random_cases(), st.floats(0.0, 1.0))
def test_lagrangian_is_never_better_than_the_mip(instance, share):
    # Holds today, bugs and all: whatever the Lagrangian returns is within budget and no better than optimal.
    policy = budget_share(instance, share)
    lagrangian = solve(instance, policy)
    mip = solve(instance, policy, method="mip")
    assert (lagrangian.method, mip.status) == ("lagrangian", "optimal")
    assert lagrangian.objective()["placed"] <= mip.objective()["placed"]
    if lagrangian.objective()["placed"] == mip.objective()["placed"]:
        assert lagrangian.objective()["total_score"] <= mip.objective()["total_score"] + 1e-3


@settings(PROPERTY)
@given(random_cases(), st.floats(0.0, 1.0))
def test_lagrangian_places_as_many_as_the_mip_and_scores_within_its_gap(instance, share):
    # With the sign in placed_under_budget fixed (patched in memory), this held on all 60 examples.
    # Not asserted: a shortfall under 0.5%. On instances this small the integer gap can be 100% (see
    # test_the_lagrangian_shortfall_on_an_integer_gap_is_within_the_gap_it_reports).
    policy = budget_share(instance, share)
    lagrangian = solve(instance, policy)
    mip = solve(instance, policy, method="mip")
    assert mip.status == "optimal", (mip.status, mip.gap)  # a proven optimum, not a solve cut short
    assert lagrangian.objective()["placed"] == mip.objective()["placed"]
    best, found = mip.objective()["total_score"], lagrangian.objective()["total_score"]
    assert found <= best + 1e-3
    # The bound is in flow points (1/10,000 of a score, rounded an arc); the optimum may not lie above it.
    assert best * SCORE_SCALE <= lagrangian.bound + 0.5 * len(instance.children)
    assert best - found <= lagrangian.gap * lagrangian.bound / SCORE_SCALE + 1e-3


@PROPERTY
@given(random_cases(caps=False), st.sampled_from([0.0, 0.5, 1.0]), st.floats(0.0, 1.0))
def test_mip_side_constraints_always_pass_the_checker(instance, share, fraction):
    spend = float(instance.arcs["placement_cost_gbp"].sum())
    policy = Policy(max_out_of_area_share=share, council_budgets_gbp={HOME: round(fraction * spend)})
    allocation = solve(instance, policy)
    assert (allocation.method, allocation.status) == ("mip", "optimal")
    assert set(allocation.unplaced["reason"]) <= {"no_candidate", "no_candidate_within_cap", "capacity", "budget",
                                                  "policy_constraint"}


# --- The whole chain: children -> candidates -> allocation ------------------------------------------------------

def test_the_whole_chain_from_children_to_allocation():
    # Providers (ASD unless said): 1 at the children's home with 1 vacancy; 2 is 5 km east (6.5 km by road,
    # 13 minutes) with 2; 3 is 1 km east and SEMH only; 4 is closed.
    # C1 is already at 1 and stays; C2 has 1 and 2, and 1 is taken, so 2; C3 (PMLD) has no candidate: the
    # nearest open settings are 1, 3 and 2, none designated for PMLD; the closed 4 is not named.
    # C4 lives 60 km west: over the 45-minute primary cap everywhere except where a rule fails first, so it is
    # unplaced as no_candidate_within_cap; its near misses name the settings designated for its need first (1, 2),
    # then the SEMH-only 3 (one rule with the shortlist's near misses, ``matcher.candidates.nearest_exclusions``).
    providers = make_providers(
        {"vacancies": 1},
        {"vacancies": 2, "easting": 405_000.0},
        {"designated_needs": ("SEMH",), "easting": 401_000.0},
        {"status": "closed"},
    )
    children = [
        make_child(child_id="C1", current_provider_id=1),
        make_child(child_id="C2"),
        make_child(child_id="C3", primary_need="PMLD"),
        make_child(child_id="C4", easting=340_000.0),
    ]
    policy = Policy()
    table = build_candidate_table(children, build_provider_index(providers), policy, StraightLineTravel(),
                                  default_costs())
    allocation = solve_table(table, providers, policy)
    assert (allocation.method, allocation.status) == ("flow", "optimal")
    assert placements(allocation) == {"C1": 1, "C2": 2, "C3": None, "C4": None}
    assert reasons(allocation) == {"C3": "no_candidate", "C4": "no_candidate_within_cap"}
    assert details(allocation)["C3"] == ("no setting passes the hard rules; nearest: 1 (need_not_designated), "
                                         "3 (need_not_designated), 2 (need_not_designated)")
    # C4's suitable settings are all over its cap: the nearest by time is named, 60 km x 1.3 at 30 km/h
    assert details(allocation)["C4"] == "no setting within the travel cap; nearest suitable: 1 at 156.0 minutes"
    shortlisted = build_shortlister(providers, policy).shortlist(children[3], 5).exclusions
    assert [row["provider_id"] for row in shortlisted] == [1, 2, 3]  # the same near misses, in the same order
    assert allocation.assignments().set_index("child_id").at["C1", "note"] == "stays in the current setting"


def solve_table(table, providers, policy):
    allocation = allocate(table, capacities_from_providers(providers), policy)
    assert_valid(allocation, providers, policy)
    return allocation
