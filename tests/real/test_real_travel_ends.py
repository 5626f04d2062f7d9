"""The national travel model's end corrections on the real routed matrix (``../shared/data/travel``)."""

import numpy as np
import pytest

from matcher.travel.national import NationalTravel
from matcher.travel.protocol import ROUTED_ENDS, TRAVEL_METHODS


@pytest.fixture(scope="module")
def routed(data_dir):
    from geodata.travel_matrix import has_routed_matrix, load_routed_matrix

    if not has_routed_matrix(data_dir):
        pytest.skip(f"the routed matrix is not at {data_dir / 'travel'}: the model runs without end corrections")
    return load_routed_matrix(data_dir)


@pytest.fixture(scope="module")
def national(data_dir, routed) -> NationalTravel:
    """The national model as a run on the real data loads it (the same object ``real_inputs.travel`` holds)."""
    from scenarios.inputs import national_travel

    return national_travel(data_dir.resolve(), None)


def test_the_real_inputs_correct_journeys_at_both_ends_and_say_so(real_inputs, routed):
    travel = real_inputs.travel
    assert "routed journeys from each end" in travel.name
    journey = travel.estimate(routed.easting[:50], routed.northing[:50], routed.easting[50:100],
                              routed.northing[50:100])
    assert np.all(journey.method == ROUTED_ENDS) and np.all(np.isfinite(journey.minutes))
    assert np.all(journey.low_minutes <= journey.minutes) and np.all(journey.minutes <= journey.high_minutes)
    assert TRAVEL_METHODS[ROUTED_ENDS] == "estimated from distance and nearby routed journeys"


def test_the_corrections_stay_within_the_clipped_residuals(national, routed):
    travel = national
    rng = np.random.default_rng(5)
    origin, destination = rng.integers(0, len(routed.easting), (2, 2_000))
    args = (routed.easting[origin], routed.northing[origin], routed.easting[destination],
            routed.northing[destination])
    corrected, base = travel.estimate(*args), NationalTravel(travel.density).estimate(*args)
    ratio = (corrected.minutes - 1.2) / (base.minutes - 1.2)
    assert np.all(ratio > np.exp(-3.0)) and np.all(ratio < np.exp(3.0))
    assert 0.9 < np.median(ratio) < 1.1  # the corrections are local, not a shift of the whole model


def test_the_matrix_own_journeys_come_closer(national, routed):
    """The corrections read these very journeys, so this only checks they are read the right way round; the
    held-out figures are ``bench/travel.py``'s."""
    travel = national
    rng = np.random.default_rng(7)
    rows, sites = rng.integers(0, len(routed.easting), 3_000), rng.integers(0, len(routed.site_easting), 3_000)
    actual = routed.driving_minutes[rows, sites] + 1.2
    args = (routed.easting[rows], routed.northing[rows], routed.site_easting[sites], routed.site_northing[sites])
    near = np.isfinite(actual) & (np.hypot(args[2] - args[0], args[3] - args[1]) < 60_000.0)
    corrected, base = travel.estimate(*args), NationalTravel(travel.density).estimate(*args)
    error = {name: np.median(np.abs(model.minutes - actual)[near] / actual[near])
             for name, model in (("corrected", corrected), ("base", base))}
    assert error["corrected"] < error["base"]


def test_the_model_kept_in_the_cache_folder_is_the_model_built_afresh(data_dir, routed, tmp_path):
    from scenarios.inputs import national_travel

    build = national_travel.__wrapped__  # past the per-process memo, so the second call reads the file
    afresh = build(data_dir.resolve(), tmp_path)
    [kept] = list(tmp_path.glob("travel-ends-*.npz"))
    read_back = build(data_dir.resolve(), tmp_path)
    assert kept.stat().st_size > 0 and read_back.ends is not None and afresh.ends is not None
    np.testing.assert_array_equal(read_back.fastest_low_minutes, afresh.fastest_low_minutes)
    rng = np.random.default_rng(5)
    pick = rng.integers(0, len(routed.easting), (2, 400))
    journeys = [model.estimate(routed.easting[pick[0]], routed.northing[pick[0]], routed.easting[pick[1]],
                               routed.northing[pick[1]]) for model in (afresh, read_back)]
    for name in ("minutes", "low_minutes", "high_minutes", "km", "method"):
        np.testing.assert_array_equal(getattr(journeys[0], name), getattr(journeys[1], name))
    uncached = build(data_dir.resolve(), None)
    np.testing.assert_array_equal(uncached.fastest_low_minutes, afresh.fastest_low_minutes)
