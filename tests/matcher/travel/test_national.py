"""The national travel model's quicker paths agree with its general ones: one origin counted once, a point's
density in plain floats, journeys' km alone, and reaches kept once found."""

import numpy as np

from geodata.density import grid_from_points
from matcher.travel.national import NationalTravel
from matcher.travel.straight_line import StraightLineTravel

RNG = np.random.default_rng(27700)
GRID = grid_from_points(np.column_stack([RNG.uniform(380_000, 480_000, 4_000), RNG.uniform(250_000, 350_000, 4_000)]),
                        cell_m=2_000.0)


def points(count: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in and around the grid's populated square, some off the grid and some not located."""
    easting, northing = RNG.uniform(300_000, 560_000, count), RNG.uniform(200_000, 400_000, count)
    easting[:3], northing[:3] = (np.nan, -1e7, 1e8), (np.nan, 300_000.0, 300_000.0)
    return easting, northing


def test_a_points_density_in_plain_floats_is_the_arrays_count():
    easting, northing = points(500)
    for radius in (5.0, 10.0):
        counted = GRID.count(easting, northing, radius)
        assert [GRID.count_at(float(e), float(n), radius) for e, n in zip(easting, northing, strict=True)] == \
            counted.tolist()
        assert counted.max() > 0
    assert [array.tolist() for array in GRID.count_radii(easting, northing, (5.0, 10.0))] == [
        GRID.count(easting, northing, 5.0).tolist(), GRID.count(easting, northing, 10.0).tolist()]


def test_one_origin_given_once_gives_the_journeys_of_that_origin_repeated():
    model = NationalTravel(GRID)
    easting, northing = points(400)
    located = np.isfinite(easting)
    once = model.estimate(np.array([420_000.0]), np.array([300_000.0]), easting, northing)
    repeated = model.estimate(np.full(400, 420_000.0), np.full(400, 300_000.0), easting, northing)
    for name in ("minutes", "km", "low_minutes", "high_minutes", "method"):
        assert np.array_equal(getattr(once, name), getattr(repeated, name), equal_nan=True), name
    assert np.isfinite(once.minutes[located]).all()


def test_journeys_km_alone_are_those_of_the_estimate():
    easting, northing = points(300)
    for model in (NationalTravel(GRID), StraightLineTravel()):
        estimate = model.estimate(np.array([410_000.0]), np.array([310_000.0]), easting, northing)
        assert np.array_equal(model.distance_km(np.array([410_000.0]), np.array([310_000.0]), easting, northing),
                              estimate.km, equal_nan=True)


def test_a_reach_kept_is_the_reach_found_afresh():
    kept = NationalTravel(GRID)
    for minutes in (20.0, 45.0, 75.0):
        for easting, northing in ((420_000.0, 300_000.0), (300_000.0, 200_000.0), (None, None)):
            first = kept.reach_km(minutes, easting, northing)
            again = kept.reach_km(minutes, easting, northing)
            kept._reaches.clear()
            assert again == first == kept.reach_km(minutes, easting, northing)
    assert kept.reach_km(75.0, 420_000.0, 300_000.0) > kept.reach_km(20.0, 420_000.0, 300_000.0)
