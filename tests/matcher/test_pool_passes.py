"""The compiled passes over a pool against the array operations they replace: the same settings found, in the same
order, over random cases with ties, unknown distances and settings that are not designated."""

import numpy as np

from matcher.pool_passes import first_in_order, within_radius


def array_nearest(not_designated, km, provider_id, count):
    """The near misses' order as array operations (a stable sort): the reference."""
    distance = np.where(np.isnan(km), np.inf, km)
    return np.lexsort((provider_id, distance, not_designated))[:count]


def test_the_first_in_the_near_misses_order_are_those_of_a_stable_sort():
    rng = np.random.default_rng(3)
    for case in range(300):
        length = int(rng.integers(0, 60 if case % 3 else 900))  # and pools the size of a need's
        km = np.round(rng.uniform(0, 20, length), int(rng.integers(0, 2)))  # rounded: ties in distance
        km[rng.random(length) < 0.1] = np.nan
        provider_id = rng.integers(0, 30, length)  # repeated ids: ties broken by position
        not_designated = rng.random(length) < 0.4
        count = int(rng.integers(0, 10))
        assert first_in_order(not_designated, km, provider_id, count).tolist() == array_nearest(
            not_designated, km, provider_id, count).tolist(), case


def test_settings_within_a_radius_are_those_the_squared_distance_finds():
    rng = np.random.default_rng(4)
    east, north = rng.uniform(0, 10_000, 2_000), rng.uniform(0, 10_000, 2_000)
    east[:5] = 3_000.0 + np.array([0.0, 1_000.0, -1_000.0, 600.0, 800.0])  # on the circle's edge and near it
    north[:5] = 4_000.0 + np.array([1_000.0, 0.0, 0.0, 800.0, 600.0])
    located = np.sort(rng.choice(5_000, 2_000, replace=False))
    for radius in (0.0, 1_000.0, 2_500.0, 20_000.0):
        across, up = east - 3_000.0, north - 4_000.0
        expected = located[np.flatnonzero(across * across + up * up <= radius * radius)]
        assert within_radius(located, east, north, 3_000.0, 4_000.0, radius).tolist() == expected.tolist()
