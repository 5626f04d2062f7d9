"""Read the routed car times from every English LSOA to the hospital sites (``travel/``): as the matrix (the
LSOAs' own journeys, which the national travel model's end corrections read), and as journeys in long form with
each end's location and the region each origin lies in (the evidence the model is fitted and cross-validated on,
``bench/travel.py``)."""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geodata.areas import CENTROID_FILES, load_area_centroids
from geodata.councils import load_region_boundaries
from geodata.world import world

if TYPE_CHECKING:
    import geopandas as gpd

TRAVEL_DIR = Path("travel")
MATRIX_FILE = "lsoa_to_hospital_car_minutes.csv"
SITES_FILE = "hospital_sites.csv"
#: The matrix is its authors' calibration, 5.80 + 1.074 x the routed minutes (every value below 490 minutes is
#: 5.80 + 1.074 k for a whole k): the 5.80 is a fixed overhead a journey.
OVERHEAD_MINUTES = 5.8


def driving_minutes(minutes: np.ndarray) -> np.ndarray:
    """The matrix less its fixed overhead (never below one step of its rounding)."""
    return np.maximum(minutes - OVERHEAD_MINUTES, 0.537)


@dataclass(frozen=True, eq=False)
class RoutedMatrix:
    """The matrix as it is: every located LSOA (rows) to every site in England (columns), EPSG:27700."""

    easting: np.ndarray  # the LSOAs' centroids
    northing: np.ndarray
    site_easting: np.ndarray
    site_northing: np.ndarray
    minutes: np.ndarray  # LSOAs x sites, NaN where not routed

    @property
    def driving_minutes(self) -> np.ndarray:
        return driving_minutes(self.minutes)


@dataclass(frozen=True, eq=False)
class Journeys:
    """One journey per (LSOA, English site): both ends (EPSG:27700), the matrix minutes, the origin's region, and
    the journey's row (``origin``) and column (``site``) in the ``RoutedMatrix``."""

    origin_easting: np.ndarray
    origin_northing: np.ndarray
    destination_easting: np.ndarray
    destination_northing: np.ndarray
    minutes: np.ndarray
    region: np.ndarray  # object: region names
    origin: np.ndarray
    site: np.ndarray

    @property
    def driving_minutes(self) -> np.ndarray:
        return driving_minutes(self.minutes)


def has_routed_matrix(data_dir: Path) -> bool:
    return (Path(data_dir) / TRAVEL_DIR / MATRIX_FILE).is_file()


def routed_matrix_files(data_dir: Path) -> list[Path]:
    """The files the routed matrix is read from (the journeys, the sites and the LSOA centroids)."""
    relative, _ = CENTROID_FILES["LSOA"]
    folder = Path(data_dir) / TRAVEL_DIR
    return [folder / MATRIX_FILE, folder / SITES_FILE, Path(data_dir) / relative]


def load_routed_matrix(data_dir: Path) -> RoutedMatrix:
    """The matrix's located LSOAs and its sites in England (sites in Wales are left out)."""
    published = world(data_dir)
    matrix = published.csv(TRAVEL_DIR / MATRIX_FILE, ["LSOA11CD"])
    sites = published.csv(TRAVEL_DIR / SITES_FILE, ["site_postcode", "easting", "northing"]).set_index(
        "site_postcode").reindex(matrix.columns[1:])
    centroids = load_area_centroids(Path(data_dir), "LSOA").reindex(matrix["LSOA11CD"])
    site_easting, site_northing = sites["easting"].to_numpy(float), sites["northing"].to_numpy(float)
    english = pd.notna(_regions(site_easting, site_northing, load_region_boundaries(Path(data_dir)), 2_000.0))
    located = np.isfinite(centroids["easting"].to_numpy())
    return RoutedMatrix(centroids["easting"].to_numpy()[located], centroids["northing"].to_numpy()[located],
                        site_easting[english], site_northing[english],
                        matrix.iloc[:, 1:].to_numpy(dtype=float)[located][:, english])


def load_journeys(data_dir: Path) -> Journeys:
    """Every routed journey from an English LSOA to a site in England, in long form."""
    routed = load_routed_matrix(data_dir)
    origin_region = _regions(routed.easting, routed.northing, load_region_boundaries(Path(data_dir)))
    origin, site = np.divmod(np.arange(routed.minutes.size), routed.minutes.shape[1])
    keep = pd.notna(origin_region)[origin] & np.isfinite(routed.minutes.ravel())
    origin, site = origin[keep], site[keep]
    return Journeys(routed.easting[origin], routed.northing[origin], routed.site_easting[site],
                    routed.site_northing[site], routed.minutes.ravel()[keep],
                    np.asarray(origin_region, dtype=object)[origin], origin, site)


def _regions(easting: np.ndarray, northing: np.ndarray, regions: "gpd.GeoDataFrame",
             nearest_within_m: float | None = None) -> np.ndarray:
    """The region name of each point (the nearest region for points just outside, such as coastal centroids)."""
    import geopandas as gpd

    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(easting, northing), crs="EPSG:27700").reset_index(
        names="point")
    found = points.sjoin_nearest(regions.reset_index()[["region_name", "geometry"]], how="left",
                                 max_distance=nearest_within_m or 20_000.0)
    return found.drop_duplicates("point").set_index("point")["region_name"].reindex(range(len(points))).to_numpy()
