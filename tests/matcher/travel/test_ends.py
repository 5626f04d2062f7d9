"""The national travel model's end corrections, on a small synthetic matrix."""

import numpy as np

from geodata.density import uniform_grid
from matcher.travel.ends import MATCH_KM, EndTable, end_table, end_terms
from matcher.travel.national import NationalTravel, routed_ends
from matcher.travel.national_formula import TravelFit, journey_densities, log_driving, packaged_fit
from matcher.travel.protocol import DISTANCE, ROUTED_ENDS, TRAVEL_METHODS

GRID = uniform_grid({5.0: 72.0, 10.0: 194.0})
# LSOAs on a line west to east, sites in a ring around them 30 km out
LSOA_E = 400_000.0 + np.arange(0, 20_000.0, 2_000.0)
LSOA_N = np.full(len(LSOA_E), 300_000.0)
ANGLES = np.arange(12) * 2 * np.pi / 12
SITE_E, SITE_N = 410_000.0 + 30_000.0 * np.cos(ANGLES), 300_000.0 + 30_000.0 * np.sin(ANGLES)


def model_minutes(shift_east: float = 0.0) -> np.ndarray:
    """The model's own driving minutes from each LSOA to each site, slower by ``shift_east`` (in logs) eastward."""
    oe, de = np.broadcast_arrays(LSOA_E[:, None], SITE_E[None, :])
    on, dn = np.broadcast_arrays(LSOA_N[:, None], SITE_N[None, :])
    minutes = np.exp(log_driving(*journey_densities(GRID, oe.ravel(), on.ravel(), de.ravel(), dn.ravel()),
                                 packaged_fit().coefficients))
    return minutes.reshape(oe.shape) * np.exp(np.where(de > oe, shift_east, 0.0))


def test_an_lsoa_whose_journeys_east_are_slow_reads_slow_eastward_and_not_westward():
    residual = np.where(SITE_E[None, :] > LSOA_E[:, None], 0.3, 0.0) * np.ones((len(LSOA_E), 1))
    table = end_table(LSOA_E, LSOA_N, SITE_E, SITE_N, residual)
    rows = np.array([5, 5])
    toward, around = table.read(rows, np.array([0.0, np.pi]), np.log(np.array([30.0, 30.0])))
    assert toward[0] > around[0] > toward[1] >= 0.0
    assert toward[0] < 0.3  # shrunk toward the all-direction residual


def test_journeys_left_out_of_the_sources_count_for_nothing():
    residual = np.full((len(LSOA_E), len(SITE_E)), 0.5)
    table = end_table(LSOA_E, LSOA_N, SITE_E, SITE_N, residual, sources=np.zeros(len(SITE_E), dtype=bool))
    assert np.all(table.toward == 0.0) and np.all(table.around == 0.0)


def test_a_point_far_from_every_lsoa_has_no_correction():
    table = end_table(LSOA_E, LSOA_N, SITE_E, SITE_N, np.full((len(LSOA_E), len(SITE_E)), 0.5))
    far = np.array([LSOA_E[0] - 2 * MATCH_KM * 1000.0])
    assert table.nearest(far, LSOA_N[:1])[0] == -1
    terms, corrected, _ = end_terms(table, far, LSOA_N[:1], far - 5_000.0, LSOA_N[:1])
    assert not corrected[0] and np.all(terms == 0.0)


def test_journeys_the_model_gets_right_are_not_moved():
    packaged = packaged_fit()  # both variants' cells alike, so only the end correction could move a journey
    fit = TravelFit(packaged.access_minutes, packaged.coefficients, packaged.end_weights,
                    {"formula": packaged.cells["formula"], "ends": packaged.cells["formula"]}, "test")
    travel = NationalTravel(GRID, routed_ends(LSOA_E, LSOA_N, SITE_E, SITE_N, model_minutes(), GRID), fit=fit)
    plain = NationalTravel(GRID, fit=fit)
    args = (LSOA_E[:3], LSOA_N[:3], LSOA_E[-3:], LSOA_N[-3:] + 1_000.0)
    corrected, base = travel.estimate(*args), plain.estimate(*args)
    np.testing.assert_allclose(corrected.minutes, base.minutes, rtol=1e-6)
    assert np.all(corrected.method == ROUTED_ENDS) and np.all(base.method == DISTANCE)
    assert TRAVEL_METHODS[ROUTED_ENDS] == "estimated from distance and nearby routed journeys"
    assert "routed journeys" in travel.name and "routed" not in plain.name


def test_ends_whose_journeys_east_run_slow_make_a_journey_east_slower_and_not_one_west():
    travel = NationalTravel(GRID, routed_ends(LSOA_E, LSOA_N, SITE_E, SITE_N, model_minutes(0.3), GRID))
    plain = NationalTravel(GRID)
    east = (LSOA_E[2:3], LSOA_N[2:3], LSOA_E[2:3] + 25_000.0, LSOA_N[2:3])
    west = (LSOA_E[2:3], LSOA_N[2:3], LSOA_E[2:3] - 25_000.0, LSOA_N[2:3])
    assert travel.estimate(*east).minutes[0] > plain.estimate(*east).minutes[0] * 1.05
    assert travel.estimate(*west).minutes[0] < travel.estimate(*east).minutes[0]
    band = travel.estimate(*east)
    assert band.low_minutes[0] < band.minutes[0] < band.high_minutes[0]


def test_one_origin_to_many_destinations_reads_the_same_as_each_alone():
    travel = NationalTravel(GRID, routed_ends(LSOA_E, LSOA_N, SITE_E, SITE_N, model_minutes(0.3), GRID))
    destinations_e, destinations_n = LSOA_E + 3_000.0, LSOA_N - 4_000.0
    together = travel.estimate(np.full(len(LSOA_E), LSOA_E[4]), np.full(len(LSOA_E), LSOA_N[4]), destinations_e,
                               destinations_n)
    alone = [travel.estimate(LSOA_E[4:5], LSOA_N[4:5], destinations_e[i:i + 1], destinations_n[i:i + 1]).minutes[0]
             for i in range(len(LSOA_E))]
    np.testing.assert_allclose(together.minutes, alone)



def test_a_journey_to_a_place_not_located_is_left_unknown_and_uncorrected():
    travel = NationalTravel(GRID, routed_ends(LSOA_E, LSOA_N, SITE_E, SITE_N, model_minutes(0.3), GRID))
    journey = travel.estimate(LSOA_E[:2], LSOA_N[:2], np.array([np.nan, LSOA_E[5]]), np.array([np.nan, LSOA_N[5]]))
    assert journey.method[0] == DISTANCE and journey.method[1] == ROUTED_ENDS
    assert np.isfinite(journey.minutes[1])


def test_the_known_points_give_the_tree_s_nearest_lsoa_before_and_after_settings_are_remembered():
    residual = np.zeros((len(LSOA_E), len(SITE_E)))
    twin_e, twin_n = np.r_[LSOA_E, LSOA_E[3]], np.r_[LSOA_N, LSOA_N[3]]  # two LSOAs at one centroid
    table = end_table(twin_e, twin_n, SITE_E, SITE_N, np.r_[residual, residual[3:4]])
    rng = np.random.default_rng(3)
    settings_e, settings_n = rng.uniform(395_000, 425_000, 40), rng.uniform(295_000, 305_000, 40)
    points_e = np.r_[twin_e, settings_e, rng.uniform(380_000, 440_000, 60), np.nan, 600_000.0]
    points_n = np.r_[twin_n, settings_n, rng.uniform(280_000, 320_000, 60), 300_000.0, 300_000.0]
    tree = table._query(points_e, points_n)  # the k-d tree asked for every point
    assert tree[-2] == -1 and tree[-1] == -1  # unlocated, and over MATCH_KM from every LSOA
    assert np.array_equal(table.nearest(points_e, points_n), tree)
    assert [table.nearest_one(e, n) for e, n in zip(points_e, points_n, strict=True)] == tree.tolist()
    table.remember(settings_e, settings_n)
    assert np.array_equal(table.nearest(points_e, points_n), tree)
    assert np.array_equal(table.nearest(points_e[::-1], points_n[::-1]), tree[::-1])
    assert [table.nearest_one(e, n) for e, n in zip(points_e, points_n, strict=True)] == tree.tolist()


def test_the_rows_remembered_are_kept_in_the_cache_folder_and_read_back_without_the_tree(tmp_path):
    residual = np.zeros((len(LSOA_E), len(SITE_E)))
    twin_e, twin_n = np.r_[LSOA_E, LSOA_E[3]], np.r_[LSOA_N, LSOA_N[3]]  # two LSOAs at one centroid
    built = end_table(twin_e, twin_n, SITE_E, SITE_N, np.r_[residual, residual[3:4]])
    rng = np.random.default_rng(5)
    settings_e = np.r_[rng.uniform(395_000, 425_000, 40), np.nan, 600_000.0]  # one unlocated, one far from all
    settings_n = np.r_[rng.uniform(295_000, 305_000, 40), 300_000.0, 300_000.0]
    points_e, points_n = np.r_[twin_e, settings_e], np.r_[twin_n, settings_n]
    tree = built._query(points_e, points_n)  # the k-d tree asked for every point
    tables = [EndTable(built.easting, built.northing, built.toward, built.around, built.spread, rows_cache=tmp_path)
              for _ in range(2)]
    tables[0].remember(settings_e, settings_n)  # finds the rows and keeps them
    assert len(list(tmp_path.glob("travel-end-rows-*.npz"))) == 1
    tables[1].remember(settings_e, settings_n)  # reads them
    assert "_tree" not in tables[1].__dict__  # the tree was neither built nor asked
    for table in tables:
        assert np.array_equal(table.nearest(points_e, points_n), tree)
        assert [table.nearest_one(e, n) for e, n in zip(points_e, points_n, strict=True)] == tree.tolist()
    moved = EndTable(built.easting, built.northing, built.toward, built.around, built.spread, rows_cache=tmp_path)
    moved.remember(settings_e[:-1], settings_n[:-1])  # other points: found afresh, kept under their own name
    assert len(list(tmp_path.glob("travel-end-rows-*.npz"))) == 2
    assert np.array_equal(moved.nearest(points_e, points_n), tree)
