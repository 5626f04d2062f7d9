"""The compiled reading of an end table gives the numpy reading's figures to the last bit, journey by journey,
over every edge a journey can bring: no LSOA near an end, bearings of any sign and whole turns, distances on the
table's own grid or beyond it, unknown journeys."""

import numpy as np
import pytest

from matcher.travel.ends import BEARINGS, TABLE_LOG_KM, end_table, end_terms


def a_table(rng):
    lsoa_e, lsoa_n = rng.uniform(0, 50_000, 40), rng.uniform(0, 50_000, 40)
    site_e, site_n = rng.uniform(0, 50_000, 25), rng.uniform(0, 50_000, 25)
    residual = np.where(rng.random((40, 25)) < 0.2, np.nan, rng.normal(0, 0.3, (40, 25)))
    return end_table(lsoa_e, lsoa_n, site_e, site_n, residual)


@pytest.mark.parametrize("seed", range(5))
def test_the_compiled_reading_is_the_numpy_reading(seed):
    rng = np.random.default_rng(seed)
    table = a_table(rng)
    n = 5_000
    rows = rng.integers(-1, 40, n)
    bearing = np.concatenate([rng.uniform(-10, 10, n - 400), np.arange(-200, 200) * np.pi / (BEARINGS / 2)])
    log_km = np.concatenate([rng.uniform(-2, 6, n - 100), np.resize(TABLE_LOG_KM, 100)])
    bearing[rng.integers(0, n, 50)] = np.nan
    log_km[rng.integers(0, n, 50)] = np.nan
    log_km[rng.integers(0, n, 20)] = np.inf
    bearing[rng.integers(0, n, 20)] = -np.inf
    position = np.clip(np.interp(log_km, TABLE_LOG_KM, np.arange(len(TABLE_LOG_KM))), 0, len(TABLE_LOG_KM) - 1)
    for compiled, reference in zip(table.read_at(rows, bearing, log_km, position), table.read(rows, bearing, log_km),
                                   strict=True):
        np.testing.assert_array_equal(compiled, reference, strict=True)


@pytest.mark.parametrize("seed", range(3))
def test_end_terms_compiled_are_the_reference_terms(seed):
    rng = np.random.default_rng(seed)
    table = a_table(rng)
    points = [rng.uniform(-5_000, 55_000, 3_000) for _ in range(4)]
    for compiled, reference in zip(end_terms(table, *points), end_terms(table, *points, compiled=False),
                                   strict=True):
        np.testing.assert_array_equal(compiled, reference, strict=True)
