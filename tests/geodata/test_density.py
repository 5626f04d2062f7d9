"""The density grid's convolution (numpy's FFT) against the sum it stands for, counted cell by cell."""

import numpy as np

from geodata.density import _convolve_same, grid_from_points


def _direct(grid: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    reach_r, reach_c = kernel.shape[0] // 2, kernel.shape[1] // 2
    padded = np.pad(grid, ((reach_r, reach_r), (reach_c, reach_c)))
    flipped = kernel[::-1, ::-1]
    return np.array([[float((padded[r:r + kernel.shape[0], c:c + kernel.shape[1]] * flipped).sum())
                      for c in range(grid.shape[1])] for r in range(grid.shape[0])])


def test_the_fft_convolution_equals_the_direct_sum():
    rng = np.random.default_rng(3)
    grid = rng.integers(0, 6, (23, 31)).astype(float)
    kernel = (rng.random((7, 5)) > 0.4).astype(float)
    assert np.array_equal(np.rint(_convolve_same(grid, kernel)), _direct(grid, kernel))


def test_points_are_counted_within_each_radius():
    points = np.array([[450_000.0, 300_000.0], [451_000.0, 300_000.0], [470_000.0, 300_000.0]])
    grid = grid_from_points(points)
    assert grid.count_at(450_500.0, 300_000.0, 5.0) == 2  # the two within 5 km, not the one 20 km away
    assert grid.count_at(470_000.0, 300_000.0, 10.0) == 1
