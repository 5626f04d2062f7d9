"""Small areas: LSOA and MSOA population-weighted centroids, projected to EPSG:27700."""

from functools import lru_cache
from pathlib import Path

import pandas as pd

import geodata.coords
from core.errors import PlacewiseError
from geodata.coords import lonlat_to_bng
from geodata.councils import load_council_synonyms
from geodata.table_cache import cached_tables
from geodata.travel_cache import files_digest
from geodata.world import world

CENTROID_FILES = {"LSOA": ("centroids/lsoa_latlong.csv", "LSOACD"), "MSOA": ("centroids/msoa_latlong.csv", "MSOACD")}


@lru_cache(maxsize=4)
def load_area_centroids(data_dir: Path, layer: str = "LSOA", cache_dir: Path | None = None) -> pd.DataFrame:
    """Return small-area centroids indexed by area code, with ``easting`` and ``northing`` in metres (kept in the
    cache folder, where one is given, under a hash of the file and of the projection's code)."""
    if cache_dir is None:
        return _projected_centroids(data_dir, layer)
    sources = [Path(data_dir) / CENTROID_FILES[layer][0], Path(__file__), Path(geodata.coords.__file__)]
    key = files_digest(sources, f"{layer} centroids", cache_dir)
    kept = cached_tables(cache_dir, f"centroids-{layer}-{key}", lambda: {"centroids": _projected_centroids(data_dir,
                                                                                                          layer)})
    return kept["centroids"]  # type: ignore[return-value]


def _projected_centroids(data_dir: Path, layer: str) -> pd.DataFrame:
    relative, code = CENTROID_FILES[layer]
    centroids = world(data_dir).csv(relative, [code, "latitude", "longitude"])
    easting, northing = lonlat_to_bng(centroids["longitude"].to_numpy(), centroids["latitude"].to_numpy())
    return pd.DataFrame({"easting": easting, "northing": northing},
                        index=pd.Index(centroids[code], name="area")).groupby(level=0).first()


def locate_area(centroids: pd.DataFrame, area: str, field: str = "home_lsoa") -> tuple[float, float]:
    """Return the (easting, northing) centroid of an area code.

    Raises:
        PlacewiseError: the code is not among the centroids loaded.
    """
    if area not in centroids.index:
        raise PlacewiseError(f"{field}: unknown area code; give a 2011 or 2021 LSOA code such as E01008162")
    easting, northing = centroids.loc[area, ["easting", "northing"]]
    return float(easting), float(northing)


MSOA_COUNCIL_FILE = "lookups/msoa_la.csv"


def load_council_msoas(data_dir: Path, cache_dir: Path | None = None) -> pd.DataFrame:
    """Return English MSOA centroids with the council (upper tier, ONS code) each lies in.

    Indexed by MSOA code; columns ``council``, ``easting``, ``northing``. MSOAs hold about 8,000 people each, so
    drawing a home among a council's MSOA centroids follows where people live, at a deliberately coarse grain
    (``cache_dir``: where the projected centroids are kept).
    """
    lookup = world(data_dir).csv(MSOA_COUNCIL_FILE, ["MSOACD", "UTLACD"])
    lookup = lookup[lookup["MSOACD"].astype(str).str.startswith("E02")].drop_duplicates("MSOACD")
    lookup["UTLACD"] = lookup["UTLACD"].map(load_council_synonyms(Path(data_dir)))  # 2023 codes (Barnsley ...)
    centroids = load_area_centroids(data_dir, "MSOA", cache_dir)
    located = lookup.dropna(subset=["UTLACD"]).set_index("MSOACD")[["UTLACD"]].join(centroids, how="inner")
    return located.rename(columns={"UTLACD": "council"}).rename_axis("area")
