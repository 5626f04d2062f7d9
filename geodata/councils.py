"""Councils: DfE 3-digit council codes to ONS codes (2023 boundaries), and locating points in councils."""

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from geodata.travel_cache import cached_arrays, files_digest
from geodata.world import world

if TYPE_CHECKING:
    import geopandas as gpd

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
    uses (North Yorkshire, Somerset) moved to the unitary councils that replaced them. Read once a process for each
    folder (every SEN2 and s251 reader asks for it); each caller gets its own copy.

    Returns a frame indexed by ``dfe_la_code`` (int) with ``council`` (ONS code) and ``council_name``.
    """
    return _council_codes(Path(data_dir).resolve()).copy()


@lru_cache(maxsize=4)
def _council_codes(data_dir: Path) -> pd.DataFrame:
    finance = world(data_dir).csv(FINANCE_FILE, ["old_la_code", "new_la_code", "la_name"])
    codes = (
        finance[["old_la_code", "new_la_code", "la_name"]]
        .drop_duplicates("old_la_code")
        .rename(columns={"old_la_code": "dfe_la_code", "new_la_code": "council", "la_name": "council_name"})
    )
    lookup = world(data_dir).csv(DFE_LOOKUP_FILE, ["dfe_new_la_code", "ons_ctyua23cd"], dtype=str)
    single = lookup[~lookup["ons_ctyua23cd"].str.contains(";")]
    renamed = dict(zip(single["dfe_new_la_code"], single["ons_ctyua23cd"], strict=True))
    codes["council"] = codes["council"].replace(renamed)
    codes["dfe_la_code"] = pd.to_numeric(codes["dfe_la_code"], errors="coerce")
    return codes.dropna(subset=["dfe_la_code"]).astype({"dfe_la_code": int}).set_index("dfe_la_code")


LA_CODES_FILE = Path("lookups/la_all_codes.csv")


@lru_cache(maxsize=4)
def load_council_synonyms(data_dir: Path) -> dict[str, str]:
    """Every council code the lookups know, old or new, mapped to the council's code on the 2023 boundaries (the
    codes Placewise uses): districts to their county, recoded councils (Barnsley and Sheffield, 2024) to their
    2023 codes, old county codes the DfE still uses to the unitary councils that replaced them. Codes of councils
    split in two (Cumbria, Northamptonshire) are left out: they name no one council (``split_councils``)."""
    data_dir = Path(data_dir)
    canonical = set(load_council_codes(data_dir)["council"])
    synonyms = {code: code for code in canonical}
    table = world(data_dir).csv(LA_CODES_FILE, ["LADCD", "LADCD_ACTIVE", "UTLACD"], dtype=str)
    for row in table[["LADCD", "LADCD_ACTIVE", "UTLACD"]].itertuples(index=False):
        codes = [code for code in row if isinstance(code, str) and code.startswith("E")]
        target = next((code for code in codes if code in canonical), None)
        for code in codes if target else ():
            synonyms.setdefault(code, target)
    lookup = world(data_dir).csv(DFE_LOOKUP_FILE, ["dfe_new_la_code", "ons_ctyua23cd"], dtype=str)
    for old, new in zip(lookup["dfe_new_la_code"], lookup["ons_ctyua23cd"], strict=True):
        if ";" not in new and new in canonical:
            synonyms[old] = new
    for old in split_councils(data_dir):
        synonyms.pop(old, None)
    return synonyms


UTLA_CODES_FILE = Path("lookups/utla_all_codes.csv")


def load_council_regions(data_dir: Path) -> pd.Series:
    """The region (ONS code) of each council, indexed by the council's 2023 code."""
    table = world(data_dir).csv(UTLA_CODES_FILE, ["UTLACD", "RGNCD"], dtype=str)
    council = table["UTLACD"].map(load_council_synonyms(Path(data_dir)))
    regions = table.assign(council=council).dropna(subset=["council", "RGNCD"])
    return regions.drop_duplicates("council").set_index("council")["RGNCD"].rename("region")


def split_councils(data_dir: Path) -> dict[str, list[str]]:
    """Old council codes that were split in two, with the codes of their successors."""
    lookup = world(data_dir).csv(DFE_LOOKUP_FILE, ["dfe_new_la_code", "ons_ctyua23cd"], dtype=str)
    return {old: new.split(";") for old, new in zip(lookup["dfe_new_la_code"], lookup["ons_ctyua23cd"],
                                                    strict=True) if ";" in new}


def check_council_codes(data_dir: Path, councils: list[str] | tuple[str, ...], field: str = "councils") -> None:
    """Refuse codes that are not councils of the 2023 boundaries, saying which code to give instead.

    Raises:
        PlacewiseError: one sentence for each code: its current code (an old or newer code of one council), its
            successors (a council split in two), or that no council has it.
    """
    names = load_council_codes(Path(data_dir)).drop_duplicates("council").set_index("council")["council_name"]
    synonyms, splits = load_council_synonyms(Path(data_dir)), split_councils(Path(data_dir))
    problems = []
    for code in councils:
        if code in names.index:
            continue
        if code in synonyms:
            current = synonyms[code]
            problems.append(f"{code} is another code of {names[current]}: give {current}, its code on the 2023 "
                            "boundaries")
        elif code in splits:
            successors = " and ".join(f"{new} ({names.get(new, new)})" for new in splits[code])
            problems.append(f"{code} was split in two: give {successors}")
        else:
            problems.append(f"{code} is not an English council's code")
    if problems:
        raise PlacewiseError(f"{field}: " + "; ".join(problems))


def load_council_boundaries(data_dir: Path, cache_dir: Path | None = None) -> "gpd.GeoDataFrame":
    """Load England's upper-tier council boundaries (2023) in EPSG:27700, indexed by ONS code ``council``; kept in
    the cache folder, where one is given, as their shapes' well-known binary (exact) under a hash of the file and of
    this code, so a warm start neither parses the GeoJSON nor projects it."""
    path = data_dir / BOUNDARIES_FILE
    if not path.exists():
        raise PlacewiseError(f"{path}: council boundaries not found; point --data at a folder laid out "
                             "like ../shared/data")
    if cache_dir is None:
        return _projected_boundaries(data_dir)
    key = files_digest([path, Path(__file__)], "council boundaries", cache_dir)
    kept = cached_arrays(cache_dir, f"boundaries-{key}", lambda: _boundary_arrays(_projected_boundaries(data_dir)))
    return _boundaries_from_arrays(kept)


def _projected_boundaries(data_dir: Path) -> "gpd.GeoDataFrame":
    boundaries = world(data_dir).geojson(BOUNDARIES_FILE)
    boundaries = boundaries[boundaries["CTYUA23CD"].str.startswith("E")]
    boundaries = boundaries.rename(columns={"CTYUA23CD": "council", "CTYUA23NM": "council_name"})
    return boundaries[["council", "council_name", "geometry"]].to_crs("EPSG:27700").set_index("council")


def _boundary_arrays(boundaries: "gpd.GeoDataFrame") -> dict[str, np.ndarray]:
    """Each council's code, name and shape (well-known binary, laid end to end, with each one's length)."""
    import shapely

    shapes = shapely.to_wkb(boundaries.geometry.to_numpy())
    return {"council": boundaries.index.to_numpy(dtype=str), "council_name": boundaries["council_name"].to_numpy(
        dtype=str), "shapes": np.frombuffer(b"".join(shapes), dtype=np.uint8),
            "lengths": np.array([len(shape) for shape in shapes], dtype=np.int64)}


def _boundaries_from_arrays(arrays: dict[str, np.ndarray]) -> "gpd.GeoDataFrame":
    import geopandas as gpd
    import shapely

    ends = np.cumsum(arrays["lengths"])
    packed = arrays["shapes"].tobytes()
    shapes = shapely.from_wkb([packed[end - length:end] for end, length in zip(ends, arrays["lengths"], strict=True)])
    return gpd.GeoDataFrame({"council_name": arrays["council_name"].tolist()}, geometry=shapes, crs="EPSG:27700",
                            index=pd.Index(arrays["council"].tolist(), name="council"))


def locate_councils(easting: np.ndarray, northing: np.ndarray, boundaries: "gpd.GeoDataFrame") -> pd.Series:
    """Return the ONS code of the council holding each point (missing where none lies within 3 km).

    A point inside one council's shape is that council's (its distance to it is 0): found by a point-in-shape
    query, far cheaper than measuring distances; only the others are measured to the nearest shape."""
    import geopandas as gpd

    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(easting, northing), crs="EPSG:27700"
    ).reset_index(names="point")
    shapes = boundaries.reset_index()[["council", "geometry"]]
    inside = points.sjoin(shapes, how="inner", predicate="within")
    inside = inside[~inside["point"].duplicated(keep=False)]  # in exactly one council
    rest = points[~points["point"].isin(inside["point"])]
    nearest = rest.sjoin_nearest(shapes, how="left", max_distance=NEAREST_COUNCIL_MAX_M)
    located = pd.concat([inside, nearest]).drop_duplicates("point")
    return located.set_index("point")["council"].reindex(range(len(points)))


def load_region_boundaries(data_dir: Path) -> "gpd.GeoDataFrame":
    """Load England's nine regions (2023) in EPSG:27700, indexed by ONS code ``region``, with ``region_name``."""
    path = data_dir / REGIONS_FILE
    if not path.exists():
        raise PlacewiseError(f"{path}: region boundaries not found; point --data at a folder laid out like "
                             "../shared/data")
    regions = world(data_dir).geojson(REGIONS_FILE).rename(columns={"RGN23CD": "region", "RGN23NM": "region_name"})
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
