"""The journeys' KPIs by hand: percentiles, shares over 45 and 75 minutes and 80 km, over each child's own cap."""

import pandas as pd
import pytest

from scenarios.kpis import journey_figures


def test_the_figures_of_four_journeys_worked_by_hand():
    placed = pd.DataFrame({"travel_minutes": [10.0, 30.0, 50.0, 80.0], "distance_km": [5.0, 20.0, 40.0, 90.0],
                           "travel_cap_minutes": [45.0, 45.0, 75.0, 75.0],
                           "uncertain_journey": [False, False, False, True]})
    figures = journey_figures(placed)
    assert figures["placed"] == 4
    assert figures["travel_minutes_p50"] == pytest.approx(40.0)
    assert figures["distance_km_p50"] == pytest.approx(30.0)
    assert figures["travel_minutes_p95"] == pytest.approx(80.0 - 0.15 * 30.0)
    assert figures["share_over_45_minutes"] == 0.5 and figures["share_over_75_minutes"] == 0.25
    assert figures["share_over_80_km"] == 0.25 and figures["share_over_cap"] == 0.25
    assert figures["placed_through_uncertain_journey"] == 1


def test_no_one_placed_gives_only_the_count():
    empty = pd.DataFrame({"travel_minutes": [], "distance_km": []})
    assert journey_figures(empty) == {"placed": 0}
