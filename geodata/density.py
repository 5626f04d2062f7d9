"""How built-up a place is: the number of LSOA centroids within 5 km and 10 km of any point in England.

LSOAs hold about 1,500 people each, so the count of their population-weighted centroids near a point measures
how many people live there: the national travel model's sense of town and country. The centroids (E01 codes of
``centroids/lsoa_latlong.csv``, 2011 and 2021 mixed, taken once by code and by location) are counted on a grid of
``CELL_M`` cells and spread over discs of 5 and 10 km by FFT convolution (scipy), so a lookup is an array read.
The counts are those of each point's cell centre (within half a cell, 250 m, of the exact count's disc).
"""

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numba
import numpy as np

import geodata.coords
from geodata.areas import CENTROID_FILES
from geodata.coords import ENGLAND_EASTING_M, ENGLAND_NORTHING_M, lonlat_to_bng
from geodata.travel_cache import cached_arrays, files_digest
from geodata.world import world

CELL_M = 500.0
RADII_KM = (5.0, 10.0)


@dataclass(frozen=True, eq=False)
class DensityGrid:
    """Counts of LSOA centroids within each radius of every cell of a grid over England (EPSG:27700)."""

    easting_min: float
    northing_min: float
    cell_m: float
    counts: dict[float, np.ndarray]  # radius km -> (rows = northing cells, columns = easting cells)
    _borders: dict[float, np.ndarray] = field(default_factory=dict, repr=False)

    def count(self, easting: np.ndarray, northing: np.ndarray, radius_km: float) -> np.ndarray:
        """The count within ``radius_km`` of each point (0 outside the grid or for a point not located)."""
        return self._padded(radius_km).ravel()[self.cells(easting, northing)]

    def count_radii(self, easting: np.ndarray, northing: np.ndarray, radii_km: tuple[float, ...]) -> list[np.ndarray]:
        """``count`` for several radii at the same points: each point's cell found once and read in every grid, in
        one compiled pass (``_read_cells``: ``cells``' arithmetic, point by point)."""
        easting, northing = np.asarray(easting, dtype=float), np.asarray(northing, dtype=float)
        if easting.shape != northing.shape:
            easting, northing = np.broadcast_arrays(easting, northing)
        grids = [self._padded(radius_km) for radius_km in radii_km]
        rows, columns = grids[0].shape if grids else (0, 0)
        counts = [_read_cells(grid.ravel(), easting.ravel(), northing.ravel(), float(self.easting_min),
                              float(self.northing_min), float(self.cell_m), rows, columns) for grid in grids]
        return [values.reshape(easting.shape) for values in counts]

    def padded_grid(self, radius_km: float) -> tuple[np.ndarray, int, int]:
        """The padded grid of a radius, ravelled, with its rows and columns (for ``cell_value``)."""
        padded = self._padded(radius_km)
        return padded.ravel(), padded.shape[0], padded.shape[1]

    def cells(self, easting: np.ndarray, northing: np.ndarray) -> np.ndarray:
        """Each point's cell, as a position in the padded grids' ravelled cells (the corner's zero outside)."""
        rows, columns = self._padded(next(iter(self.counts))).shape  # every radius has the same grid
        with np.errstate(invalid="ignore"):  # a point not located (NaN) lands outside the grid, and counts 0
            column = np.floor((np.asarray(easting, dtype=float) - self.easting_min) / self.cell_m) + 1
            row = np.floor((np.asarray(northing, dtype=float) - self.northing_min) / self.cell_m) + 1
            inside = (column >= 1) & (column < columns - 1) & (row >= 1) & (row < rows - 1)
        return np.where(inside, row * columns + column, 0).astype(np.intp)

    def count_at(self, easting: float, northing: float, radius_km: float) -> float:
        """``count`` at one point, in plain floats."""
        padded = self._padded(radius_km)
        rows, columns = padded.shape
        if not (math.isfinite(easting) and math.isfinite(northing)):
            return float(padded[0, 0])
        column = math.floor((easting - self.easting_min) / self.cell_m) + 1
        row = math.floor((northing - self.northing_min) / self.cell_m) + 1
        inside = 1 <= column < columns - 1 and 1 <= row < rows - 1
        return float(padded[row, column] if inside else padded[0, 0])

    def _padded(self, radius_km: float) -> np.ndarray:
        """The grid with a border of zeros, so that every point outside it reads the corner's zero."""
        cached = self._borders.get(radius_km)
        if cached is None:
            cached = self._borders[radius_km] = np.pad(self.counts[radius_km], 1)
        return cached


@numba.njit(cache=True, nogil=True)
def _read_cells(grid: np.ndarray, easting: np.ndarray, northing: np.ndarray, easting_min: float, northing_min: float,
                cell_m: float, rows: int, columns: int) -> np.ndarray:
    """Each point's value of a padded grid (ravelled; the corner's zero outside it or for a point not located), at
    the cell ``DensityGrid.cells`` finds, with its arithmetic."""
    values = np.empty(len(easting))
    for point in range(len(easting)):
        values[point] = cell_value(grid, easting[point], northing[point], easting_min, northing_min, cell_m, rows,
                                   columns)
    return values


@numba.njit(cache=True, nogil=True)
def cell_value(grid: np.ndarray, easting: float, northing: float, easting_min: float, northing_min: float,
               cell_m: float, rows: int, columns: int) -> float:
    """One point's value of a padded grid (``_read_cells``' arithmetic), for compiled passes of their own."""
    column = np.floor((easting - easting_min) / cell_m) + 1
    row = np.floor((northing - northing_min) / cell_m) + 1
    inside = column >= 1 and column < columns - 1 and row >= 1 and row < rows - 1  # False for NaN
    return grid[int(row) * columns + int(column)] if inside else grid[0]


def density_points(data_dir: Path) -> np.ndarray:
    """The E01 LSOA centroids (EPSG:27700), each code once and each location once."""
    relative, code = CENTROID_FILES["LSOA"]
    table = world(data_dir).csv(relative, [code, "latitude", "longitude"])
    table = table[table[code].astype(str).str.startswith("E01")].drop_duplicates(code)
    easting, northing = lonlat_to_bng(table["longitude"].to_numpy(), table["latitude"].to_numpy())
    return np.unique(np.column_stack([np.round(easting), np.round(northing)]), axis=0)


def grid_from_points(points: np.ndarray, cell_m: float = CELL_M) -> DensityGrid:
    """Count points per cell, then within each radius of each cell by convolving with a disc."""
    edges_e = np.arange(ENGLAND_EASTING_M[0], ENGLAND_EASTING_M[1] + cell_m, cell_m)
    edges_n = np.arange(ENGLAND_NORTHING_M[0], ENGLAND_NORTHING_M[1] + cell_m, cell_m)
    per_cell, _, _ = np.histogram2d(points[:, 1], points[:, 0], bins=[edges_n, edges_e])
    counts = {}
    for radius_km in RADII_KM:
        reach = int(np.ceil(radius_km * 1000.0 / cell_m))
        offsets = np.arange(-reach, reach + 1) * cell_m
        disc = (np.hypot(*np.meshgrid(offsets, offsets)) <= radius_km * 1000.0).astype(float)
        counts[radius_km] = np.rint(_convolve_same(per_cell, disc)).clip(min=0.0)
    return DensityGrid(float(edges_e[0]), float(edges_n[0]), cell_m, counts)


def _convolve_same(grid: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``grid`` convolved with an odd-sized ``kernel``, the size of ``grid`` (as scipy.signal.fftconvolve's "same"),
    through numpy's FFT: scipy.signal takes seconds to import for this one call."""
    shape = (grid.shape[0] + kernel.shape[0] - 1, grid.shape[1] + kernel.shape[1] - 1)
    full = np.fft.irfft2(np.fft.rfft2(grid, shape) * np.fft.rfft2(kernel, shape), shape)
    top, left = (kernel.shape[0] - 1) // 2, (kernel.shape[1] - 1) // 2
    return full[top:top + grid.shape[0], left:left + grid.shape[1]]


def load_density_grid(data_dir: Path, cache_dir: Path | None = None) -> DensityGrid:
    """The density grid of a data folder's LSOA centroids (built in about a second, kept per process, however the
    folder is named, and in the cache folder where one is given, under a hash of the centroids and this code)."""
    folder = Path(data_dir).resolve()
    if cache_dir is None:
        return _density_grid(folder)
    sources = [folder / CENTROID_FILES["LSOA"][0], Path(__file__), Path(geodata.coords.__file__)]
    key = files_digest(sources, "density grid", cache_dir)
    arrays = cached_arrays(cache_dir, f"density-{key}", lambda: _grid_arrays(_density_grid(folder)))
    origin = arrays["origin"]
    return DensityGrid(float(origin[0]), float(origin[1]), float(origin[2]),
                       {radius_km: arrays[f"within {radius_km} km"] for radius_km in RADII_KM})


@lru_cache(maxsize=2)
def _density_grid(data_dir: Path) -> DensityGrid:
    return grid_from_points(density_points(data_dir))


def _grid_arrays(grid: DensityGrid) -> dict[str, np.ndarray]:
    return {"origin": np.array([grid.easting_min, grid.northing_min, grid.cell_m]),
            **{f"within {radius_km} km": grid.counts[radius_km] for radius_km in RADII_KM}}


def uniform_grid(counts: dict[float, float]) -> DensityGrid:
    """A grid with the same counts everywhere (for the embedded demo, which has no small areas)."""
    return DensityGrid(0.0, 0.0, 1e9, {radius: np.full((1, 1), value) for radius, value in counts.items()})
