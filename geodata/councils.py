"""Councils: DfE 3-digit council codes to ONS codes (2023 boundaries), and locating points in councils."""

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from geodata.tables import read_csv_checked

FINANCE_FILE = Path("finance/s251_outturn_202324_high_needs_and_sen_transport_by_la.csv")
DFE_LOOKUP_FILE = Path("lookups/dfe_la_code_to_ons_ctyua23.csv")
BOUNDARIES_FILE = Path("boundaries/ctyua_2023_bsc.geojson")
REGIONS_FILE = Path("boundaries/regions_2023_buc.geojson")

#: How far outside the generalised boundaries a point may lie and still be given the nearest council (metres):
#: the 'bsc' boundaries are simplified, so coastal and border schools can fall just outside them.
NEAREST_COUNCIL_MAX_M = 3_000.0


def load_council_codes(data_dir: Path) -> pd.DataFrame:
    """Load the DfE 3-digit council codes with their ONS codes on the 2023 boundaries.

    Built from the s251 outturn (153 councils, both codes), with old county codes that the DfE still
    uses (North Yorkshire, Somerset) moved to the unitary councils that replaced them.

    Returns a frame indexed by ``dfe_la_code`` (int) with ``council`` (ONS code) and ``council_name``.
    """
    finance = read_csv_checked(data_dir / FINANCE_FILE, ["old_la_code", "new_la_code", "la_name"])
    codes = (
        finance[["old_la_code", "new_la_code", "la_name"]]
        .drop_duplicates("old_la_code")
        .rename(columns={"old_la_code": "dfe_la_code", "new_la_code": "council", "la_name": "council_name"})
    )
    lookup = read_csv_checked(data_dir / DFE_LOOKUP_FILE, ["dfe_new_la_code", "ons_ctyua23cd"])
    single = lookup[~lookup["ons_ctyua23cd"].str.contains(";")]
    renamed = dict(zip(single["dfe_new_la_code"], single["ons_ctyua23cd"], strict=True))
    codes["council"] = codes["council"].replace(renamed)
    codes["dfe_la_code"] = pd.to_numeric(codes["dfe_la_code"], errors="coerce")
    return codes.dropna(subset=["dfe_la_code"]).astype({"dfe_la_code": int}).set_index("dfe_la_code")


def load_council_boundaries(data_dir: Path) -> gpd.GeoDataFrame:
    """Load England's upper-tier council boundaries (2023) in EPSG:27700, indexed by ONS code ``council``."""
    path = data_dir / BOUNDARIES_FILE
    if not path.exists():
        raise PlacewiseError(f"{path}: council boundaries not found; point --data at a folder laid out "
                             "like ../shared/data")
    boundaries = gpd.read_file(path)
    boundaries = boundaries[boundaries["CTYUA23CD"].str.startswith("E")]
    boundaries = boundaries.rename(columns={"CTYUA23CD": "council", "CTYUA23NM": "council_name"})
    return boundaries[["council", "council_name", "geometry"]].to_crs("EPSG:27700").set_index("council")


def locate_councils(easting: np.ndarray, northing: np.ndarray, boundaries: gpd.GeoDataFrame) -> pd.Series:
    """Return the ONS code of the council holding each point (missing where none lies within 3 km)."""
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(easting, northing), crs="EPSG:27700"
    ).reset_index(names="point")
    located = points.sjoin_nearest(
        boundaries.reset_index()[["council", "geometry"]], how="left", max_distance=NEAREST_COUNCIL_MAX_M
    )
    return located.drop_duplicates("point").set_index("point")["council"].reindex(range(len(points)))


def load_region_boundaries(data_dir: Path) -> gpd.GeoDataFrame:
    """Load England's nine regions (2023) in EPSG:27700, indexed by ONS code ``region``, with ``region_name``."""
    path = data_dir / REGIONS_FILE
    if not path.exists():
        raise PlacewiseError(f"{path}: region boundaries not found; point --data at a folder laid out like "
                             "../shared/data")
    regions = gpd.read_file(path).rename(columns={"RGN23CD": "region", "RGN23NM": "region_name"})
    return regions[["region", "region_name", "geometry"]].to_crs("EPSG:27700").set_index("region")


def councils_in_region(data_dir: Path, region: str) -> list[str]:
    """The councils (ONS codes) whose inside point lies in a region, given by code or name."""
    regions = load_region_boundaries(data_dir)
    match = regions[(regions.index == region) | (regions["region_name"].str.lower() == region.lower())]
    if match.empty:
        raise PlacewiseError("region: not an English region; use a code such as E12000001 or one of "
                             + ", ".join(regions["region_name"]))
    councils = load_council_boundaries(data_dir)
    inside = councils.geometry.representative_point().within(match.geometry.iloc[0])
    return sorted(councils.index[inside])
