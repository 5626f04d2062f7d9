"""How built-up a place is: the number of LSOA centroids within 5 km and 10 km of any point in England.

LSOAs hold about 1,500 people each, so the count of their population-weighted centroids near a point measures
how many people live there: the national travel model's sense of town and country. The centroids (E01 codes of
``centroids/lsoa_latlong.csv``, 2011 and 2021 mixed, taken once by code and by location) are counted on a grid of
``CELL_M`` cells and spread over discs of 5 and 10 km by FFT convolution (scipy), so a lookup is an array read.
The counts are those of each point's cell centre (within half a cell, 250 m, of the exact count's disc).
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.signal import fftconvolve

from geodata.areas import CENTROID_FILES
from geodata.coords import ENGLAND_EASTING_M, ENGLAND_NORTHING_M, lonlat_to_bng
from geodata.tables import read_csv_checked

CELL_M = 500.0
RADII_KM = (5.0, 10.0)


@dataclass(frozen=True, eq=False)
class DensityGrid:
    """Counts of LSOA centroids within each radius of every cell of a grid over England (EPSG:27700)."""

    easting_min: float
    northing_min: float
    cell_m: float
    counts: dict[float, np.ndarray]  # radius km -> (rows = northing cells, columns = easting cells)

    def count(self, easting: np.ndarray, northing: np.ndarray, radius_km: float) -> np.ndarray:
        """The count within ``radius_km`` of each point (0 outside the grid or for a point not located)."""
        grid = self.counts[radius_km]
        easting, northing = np.asarray(easting, dtype=float), np.asarray(northing, dtype=float)
        located = np.isfinite(easting) & np.isfinite(northing)
        column = np.where(located, (np.nan_to_num(easting) - self.easting_min) // self.cell_m, -1).astype(np.int64)
        row = np.where(located, (np.nan_to_num(northing) - self.northing_min) // self.cell_m, -1).astype(np.int64)
        inside = (column >= 0) & (column < grid.shape[1]) & (row >= 0) & (row < grid.shape[0])
        return np.where(inside, grid[np.clip(row, 0, grid.shape[0] - 1), np.clip(column, 0, grid.shape[1] - 1)], 0.0)


def density_points(data_dir: Path) -> np.ndarray:
    """The E01 LSOA centroids (EPSG:27700), each code once and each location once."""
    relative, code = CENTROID_FILES["LSOA"]
    table = read_csv_checked(Path(data_dir) / relative, [code, "latitude", "longitude"])
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
        counts[radius_km] = np.rint(fftconvolve(per_cell, disc, mode="same")).clip(min=0.0)
    return DensityGrid(float(edges_e[0]), float(edges_n[0]), cell_m, counts)


@lru_cache(maxsize=2)
def load_density_grid(data_dir: Path) -> DensityGrid:
    """The density grid of a data folder's LSOA centroids (built in about a second, kept per process)."""
    return grid_from_points(density_points(Path(data_dir)))


def uniform_grid(counts: dict[float, float]) -> DensityGrid:
    """A grid with the same counts everywhere (for the embedded demo, which has no small areas)."""
    return DensityGrid(0.0, 0.0, 1e9, {radius: np.full((1, 1), value) for radius, value in counts.items()})
