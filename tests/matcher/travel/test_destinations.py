"""Settings prepared once for a travel model (``TravelModel.destinations``) give exactly the model's own estimate of
the journeys from one origin, bit for bit: with the routed matrix's end corrections, without them, and for models
that prepare nothing. Journeys among many origins and destinations (``NationalTravel.estimate_among``, compiled
where the ends' spreads are loaded) are so too."""

import numpy as np
import pytest

from geodata.density import grid_from_points
from matcher.travel.ends import BEARINGS, TABLE_LOG_KM, EndTable
from matcher.travel.national import NationalTravel
from matcher.travel.protocol import DISTANCE, ROUTED_ENDS
from matcher.travel.straight_line import StraightLineTravel

RNG = np.random.default_rng(4242)
GRID = grid_from_points(np.column_stack([RNG.uniform(380_000, 480_000, 4_000), RNG.uniform(250_000, 350_000, 4_000)]),
                        cell_m=2_000.0)
LSOAS = 300
ENDS = EndTable(RNG.uniform(380_000, 480_000, LSOAS), RNG.uniform(250_000, 350_000, LSOAS),
                RNG.uniform(-0.5, 0.5, (LSOAS, BEARINGS, len(TABLE_LOG_KM))).astype(np.float32),
                RNG.uniform(-0.5, 0.5, (LSOAS, len(TABLE_LOG_KM))).astype(np.float32),
                RNG.uniform(0.05, 0.3, LSOAS).astype(np.float32))
MODELS = {"national with ends": NationalTravel(GRID, ENDS), "national": NationalTravel(GRID),
          "straight line": StraightLineTravel()}


@pytest.mark.parametrize("name", MODELS)
def test_journeys_to_prepared_settings_are_the_models_estimate_bit_for_bit(name):
    model = MODELS[name]
    easting, northing = RNG.uniform(370_000, 490_000, 600), RNG.uniform(240_000, 360_000, 600)
    easting[:2], northing[:2] = np.nan, np.nan  # settings whose location is not published
    easting[2:4], northing[2:4] = ENDS.easting[:2], ENDS.northing[:2]  # settings at an LSOA's own point
    model.remember_destinations(easting, northing)
    settings = model.destinations(easting, northing)
    homes = [(float(ENDS.easting[5]), float(ENDS.northing[5])), (420_000.0, 300_000.0), (200_000.0, 100_000.0)]
    for home_easting, home_northing in homes:
        for at in (RNG.permutation(600)[:250], np.sort(RNG.choice(600, 40, replace=False)), np.arange(0),
                   np.arange(600)):
            prepared = settings.journeys_from(home_easting, home_northing, at)
            direct = model.estimate(np.array([home_easting]), np.array([home_northing]), easting[at], northing[at])
            for field in ("minutes", "km", "low_minutes", "high_minutes", "method"):
                got, expected = getattr(prepared, field), getattr(direct, field)
                assert got.dtype == expected.dtype and got.shape == expected.shape, field
                assert np.array_equal(got.view(np.uint8), expected.view(np.uint8)), (name, field)
    if name == "national with ends":
        assert (settings.journeys_from(*homes[0], np.arange(600)).method == ROUTED_ENDS).any()


@pytest.mark.parametrize("name, model", [("national with ends", NationalTravel(GRID, ENDS)),
                                         ("national", NationalTravel(GRID))])
def test_journeys_among_places_are_the_models_estimate_bit_for_bit(name, model):
    settings = RNG.uniform(370_000, 490_000, 500), RNG.uniform(240_000, 360_000, 500)
    settings[0][:2], settings[1][:2] = np.nan, np.nan  # settings whose location is not published
    settings[0][2:4], settings[1][2:4] = ENDS.easting[:2], ENDS.northing[:2]  # settings at an LSOA's own point
    homes = np.r_[ENDS.easting[5:40], 420_000.0, 200_000.0], np.r_[ENDS.northing[5:40], 300_000.0, 100_000.0]
    model.remember_destinations(*settings)
    origin_at = RNG.integers(0, len(homes[0]), 3_000)
    destination_at = RNG.integers(0, len(settings[0]), 3_000)
    origin_at[:200] = len(homes[0]) - 1  # a home far from every LSOA: no end correction from it
    among = model.estimate_among(homes, settings, origin_at, destination_at)
    direct = model.estimate(homes[0][origin_at], homes[1][origin_at], settings[0][destination_at],
                            settings[1][destination_at])
    for field in ("minutes", "km", "low_minutes", "high_minutes", "method"):
        got, expected = getattr(among, field), getattr(direct, field)
        assert got.dtype == expected.dtype and got.shape == expected.shape, field
        assert np.array_equal(got.view(np.uint8), expected.view(np.uint8)), (name, field)
    if name == "national with ends":
        assert (among.method == ROUTED_ENDS).any() and (among.method == DISTANCE).any()
    assert np.isnan(among.minutes).any() and np.isfinite(among.minutes).sum() > 2_000
