"""The travel cap in the allocation: on the central estimate or a named percentile, uncertain journeys only as a
flagged exception with a cost, and a child with nothing within its cap unplaced with the nearest setting named."""

import numpy as np
import pytest

from matcher.allocation.allocate import allocate
from matcher.allocation.capacity import capacities_from_providers
from matcher.allocation.cohort_candidates import build_candidate_table
from matcher.costs import default_costs
from matcher.policy import Policy
from matcher.provider_index import build_provider_index
from matcher.travel.protocol import TravelEstimate
from matcher.travel_caps import minutes_at_percentile, over_cap, uncertain
from tests.helpers.factories import make_child, make_providers

# Three journeys: the estimate 40, 50 and 60 minutes, each with a band of -10 / +20 minutes.
JOURNEYS = TravelEstimate(np.array([40.0, 50.0, 60.0]), np.array([20.0, 25.0, 30.0]), np.array([30.0, 40.0, 50.0]),
                          np.array([60.0, 70.0, 80.0]), np.zeros(3, dtype=np.int8))
CAP = np.full(3, 45.0)


def test_the_percentile_reads_the_estimate_at_50_and_the_band_s_ends_at_10_and_90():
    assert minutes_at_percentile(JOURNEYS, 50).tolist() == [40.0, 50.0, 60.0]
    np.testing.assert_allclose(minutes_at_percentile(JOURNEYS, 90), [60.0, 70.0, 80.0])
    np.testing.assert_allclose(minutes_at_percentile(JOURNEYS, 10), [30.0, 40.0, 50.0])
    assert np.all(np.diff([minutes_at_percentile(JOURNEYS, p) for p in (1, 25, 50, 75, 99)], axis=0) > 0)


def test_the_cap_holds_on_the_estimate_by_default_and_on_the_named_percentile():
    assert over_cap(JOURNEYS, CAP, Policy()).tolist() == [False, True, True]
    assert over_cap(JOURNEYS, CAP, Policy(travel_cap_percentile=90)).tolist() == [True, True, True]
    assert over_cap(JOURNEYS, CAP, Policy(travel_cap_percentile=10)).tolist() == [False, False, True]
    assert not uncertain(JOURNEYS, CAP, Policy()).any()


def test_an_uncertain_journey_is_kept_only_when_the_policy_says_so_and_only_where_its_band_starts_within():
    policy = Policy(keep_uncertain_travel=True)
    assert uncertain(JOURNEYS, CAP, policy).tolist() == [False, True, False]
    assert over_cap(JOURNEYS, CAP, policy).tolist() == [False, False, True]


def chain(policy, providers, children):
    table = build_candidate_table(children, build_provider_index(providers), policy, SLOW, default_costs())
    return table, allocate(table, capacities_from_providers(providers), policy)


class SlowByEast:
    """A travel model by hand: 1 minute a km east, each band -20% / +20%, so setting 2 at 50 km is 50 minutes."""

    name = "by hand"
    corrections = "none"

    def estimate(self, oe, on, de, dn):
        minutes = np.abs(np.asarray(de, dtype=float) - oe) / 1000.0
        return TravelEstimate(minutes, minutes, minutes * 0.8, minutes * 1.2, np.zeros(np.shape(minutes), np.int8))

    def distance_km(self, oe, on, de, dn):
        return self.estimate(oe, on, de, dn).km

    def reach_km(self, minutes, easting=None, northing=None):
        return minutes * 2.0

    def reach_km_of(self, minutes, easting, northing):
        return np.asarray(minutes, dtype=float) * 2.0

    def remember_destinations(self, easting, northing):
        return None

    def estimate_among(self, origins, destinations, origin_at, destination_at):
        return self.estimate(origins[0][origin_at], origins[1][origin_at], destinations[0][destination_at],
                             destinations[1][destination_at])


SLOW = SlowByEast()


def test_a_child_whose_only_setting_is_over_the_cap_is_unplaced_naming_it_and_its_minutes():
    providers = make_providers({"easting": 450_000.0})  # 50 minutes away; the primary cap is 45
    table, allocation = chain(Policy(), providers, [make_child()])
    assert allocation.assignments()["provider_id"].isna().all()
    row = allocation.unplaced.iloc[0]
    assert row["reason"] == "no_candidate_within_cap"
    assert row["detail"] == "no setting within the travel cap; nearest suitable: 1 at 50.0 minutes"


def test_kept_as_an_uncertain_journey_the_child_is_placed_flagged_and_counted():
    providers = make_providers({"easting": 450_000.0})
    table, allocation = chain(Policy(keep_uncertain_travel=True), providers, [make_child()])
    placed = allocation.assignments().iloc[0]
    assert placed["provider_id"] == 1 and bool(placed["uncertain_journey"])
    assert placed["travel_cap_minutes"] == 45.0
    assert allocation.placed_only_through_uncertain().tolist() == [0]


def test_an_uncertain_journey_costs_score_so_a_certain_one_wins_where_there_is_one():
    # setting 1 within the cap (40 minutes) but worse on travel than nothing else; setting 2 uncertain (50)
    providers = make_providers({"easting": 440_000.0}, {"easting": 450_000.0})
    penalty = 0.25
    policy = Policy(keep_uncertain_travel=True, uncertain_travel_penalty=penalty)
    table, allocation = chain(policy, providers, [make_child()])
    assert table.uncertain_arcs.tolist() == [False, True]
    plain, _ = chain(Policy(keep_uncertain_travel=True, uncertain_travel_penalty=0.0), providers, [make_child()])
    assert table.total_score[1] == pytest.approx(plain.total_score[1] - penalty)
    assert allocation.assignments().iloc[0]["provider_id"] == 1
    assert not len(allocation.placed_only_through_uncertain())
