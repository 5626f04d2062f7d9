"""Capacity planning on hand-solved instances: open a site only where it pays, respect caps and places."""

import numpy as np
import pandas as pd
import pytest

from core.errors import PlacewiseError
from matcher.planning.facility import assign_with_capacity
from matcher.planning.sites import PlanningInstance, plan_sites
from matcher.solve_control import SolveControl
from matcher.travel.straight_line import StraightLineTravel

TRAVEL = StraightLineTravel(circuity=1.0, speed_kmh=60.0)  # a kilometre a minute


def no_transport(km: np.ndarray) -> np.ndarray:
    return np.zeros_like(km)


def instance(fixed_cost: float, site_places: int = 10, existing_free: int = 0, cap: float = 30.0):
    # 6 PMLD children at (0, 0) and 4 at (40 km, 0). An existing setting at (0, 0) with ``existing_free`` places
    # at £30k; candidate units at (1 km, 0) and (40 km, 0) at £25k a place; the fallback costs £80k a child.
    demand = pd.DataFrame({"easting": [0.0, 40_000.0], "northing": [0.0, 0.0], "need": ["PMLD", "PMLD"],
                           "children": [6, 4], "cap_minutes": [cap, cap]}, index=["A", "B"])
    existing = pd.DataFrame({"easting": [0.0], "northing": [0.0], "needs": [("PMLD",)],
                             "free_places": [existing_free], "place_cost_gbp": [30_000.0]}, index=[101])
    sites = pd.DataFrame({"easting": [1_000.0, 40_000.0], "northing": [0.0, 0.0], "needs": [("PMLD",), ("PMLD",)],
                          "places": [site_places, site_places], "fixed_cost_gbp": [fixed_cost, fixed_cost],
                          "place_cost_gbp": [25_000.0, 25_000.0]}, index=["near", "far"])
    return PlanningInstance(demand, existing, sites, fallback_cost_gbp=80_000.0)


def test_both_units_open_when_each_saves_more_than_it_costs():
    # Nothing new: 10 x £80k = £800k. "near" serves A (6 x £25k) saving 6 x £55k = £330k for £100k fixed;
    # "far" serves B (4 within 30 minutes of it, 39 km from "near") saving 4 x £55k = £220k for £100k.
    plan = plan_sites(instance(100_000.0), TRAVEL, no_transport)
    assert sorted(plan.sites) == ["far", "near"] and plan.fallback_children == 0
    assert plan.baseline_cost_gbp == pytest.approx(800_000.0)
    assert plan.total_cost_gbp == pytest.approx(10 * 25_000 + 200_000)
    assert plan.saving_gbp == pytest.approx(800_000 - 450_000)


def test_a_unit_whose_fixed_cost_exceeds_its_saving_stays_closed():
    # At £250k fixed, "near" still saves £330k - £250k; "far" would save £220k - £250k < 0.
    plan = plan_sites(instance(250_000.0), TRAVEL, no_transport)
    assert plan.sites == ["near"] and plan.fallback_children == 4 and plan.baseline_fallback_children == 10


def test_existing_free_places_are_used_first_and_max_sites_holds():
    plan = plan_sites(instance(100_000.0, existing_free=6), TRAVEL, no_transport, max_sites=1)
    assert plan.sites == ["far"] and plan.fallback_children == 0
    assert plan.flows.set_index("facility_id").loc[101, "children"] == 6


def test_a_budget_below_the_cheapest_plan_is_reported_with_that_plan():
    plan = plan_sites(instance(100_000.0), TRAVEL, no_transport, budget_gbp=1_000.0)
    assert plan.status == "over_budget" and plan.total_cost_gbp == pytest.approx(450_000.0)


def test_a_travel_cap_keeps_children_from_distant_units():
    plan = plan_sites(instance(0.0, cap=5.0), TRAVEL, no_transport, max_sites=1)
    assert plan.sites == ["near"] and plan.fallback_children == 4


def test_a_required_site_opens_and_fills_even_where_it_does_not_pay():
    # At £250k fixed "far" does not pay (above); required with 4 places, it opens and takes B's 4 children.
    base = instance(250_000.0, site_places=4)
    plan = plan_sites(PlanningInstance(base.demand, base.existing, base.sites.assign(required=[False, True]),
                                       80_000.0), TRAVEL, no_transport)
    assert "far" in plan.sites and plan.flows.groupby("facility_id")["children"].sum()["far"] == 4


def test_a_required_site_no_child_can_reach_is_refused():
    # At 6 km/h nobody is within 30 minutes of "far": it cannot be filled, and the plan says so before solving on.
    from core.errors import PlacewiseError

    base = instance(100_000.0)
    with pytest.raises(PlacewiseError, match="the required sites cannot be filled"):
        plan_sites(PlanningInstance(base.demand, base.existing, base.sites.assign(required=[False, True]), 80_000.0),
                   StraightLineTravel(circuity=1.0, speed_kmh=6.0), no_transport)


def test_a_required_site_counts_within_max_sites_and_is_filled():
    # Cap 60 minutes: everyone may reach either unit. "near" required (10 places) and max one site: it takes all
    # 10 children, and nothing else opens.
    sites = instance(100_000.0, cap=60.0).sites.assign(required=[True, False])
    base = instance(100_000.0, cap=60.0)
    plan = plan_sites(PlanningInstance(base.demand, base.existing, sites, 80_000.0), TRAVEL, no_transport, max_sites=1)
    assert plan.sites == ["near"] and plan.flows.groupby("facility_id")["children"].sum()["near"] == 10
    assert plan.baseline_cost_gbp == pytest.approx(plan.total_cost_gbp)  # the baseline opens the required site too


def test_required_sites_with_more_places_than_children_are_refused():
    from core.errors import PlacewiseError

    base = instance(100_000.0, site_places=8)
    sites = base.sites.assign(required=[True, True])
    with pytest.raises(PlacewiseError, match="the required sites hold 16 places but there are 10 children"):
        plan_sites(PlanningInstance(base.demand, base.existing, sites, 80_000.0), TRAVEL, no_transport)


def test_a_search_stopped_by_its_control_keeps_the_best_sites_found_and_says_so():
    # Cancelled once the first site has been added: the plan is the greedy first step ("near", which saves most),
    # costed exactly, and marked stopped; without a control the same instance searches to the end.
    control = SolveControl()
    added: list[int] = []

    plan = plan_sites(instance(100_000.0), TRAVEL, no_transport, control=SolveControl(deadline=0.0))
    assert plan.search == "stopped" and plan.sites == [] and plan.fallback_children == 10
    assert plan.total_cost_gbp == pytest.approx(plan.baseline_cost_gbp)

    original = SolveControl.expired

    def expired_after_first_site(self: SolveControl) -> bool:
        added.append(1)
        return len(added) > 1 or original(self)  # the greedy loop asks once per site it may add

    control.expired = expired_after_first_site.__get__(control)  # type: ignore[method-assign]
    stopped = plan_sites(instance(100_000.0), TRAVEL, no_transport, control=control)
    assert stopped.search == "stopped" and stopped.sites == ["near"] and stopped.fallback_children == 4
    complete = plan_sites(instance(100_000.0), TRAVEL, no_transport, control=SolveControl())
    assert complete.search == "complete" and sorted(complete.sites) == ["far", "near"]


def test_an_assignment_the_flow_cannot_solve_is_a_clear_error_not_a_crash():
    # Costs beyond the range the flow can add up (in whole hundredths of a pound) cannot be solved.
    with pytest.raises(PlacewiseError, match="plan: the assignment of children to sites could not be solved"):
        assign_with_capacity(np.array([5]), np.array([[1e16]]), np.array([5]), np.array([0]), unserved_cost=1e16)
