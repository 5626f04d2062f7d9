"""unique_sorted against np.unique, on random integers of several types, strings and nothing."""

import numpy as np
import pytest

from core.arrays import unique_sorted


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8])
def test_unique_sorted_matches_numpy(seed: int, dtype: type) -> None:
    rng = np.random.default_rng(seed)
    values = rng.integers(-5, 50 * (seed + 1), size=rng.integers(1, 2_000)).astype(dtype)
    got, expected = unique_sorted(values), np.unique(values)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


def test_unique_sorted_strings_and_empty() -> None:
    names = np.array(["SEMH", "ASD", "SEMH", "MLD", "ASD", "ASD"])
    np.testing.assert_array_equal(unique_sorted(names), np.unique(names))
    for values in (np.zeros(0, dtype=np.int64), np.array([7])):
        got, expected = unique_sorted(values), np.unique(values)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
