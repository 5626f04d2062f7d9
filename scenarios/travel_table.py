"""A table of journeys from origins to destinations, for transport teams and for checks (``placewise travel``).

- origins: ``origin_id`` with ``lsoa`` (a 2011 or 2021 LSOA code) or ``easting, northing`` (EPSG:27700 metres);
- destinations: ``destination_id`` with ``provider_id`` (a URN in the register) or ``easting, northing``.

Each row may use either form; a bad row is named. The journeys are the travel model's own: the estimate, its band
(low to high) and the road distance, with the model that gave each.
"""

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from core.errors import PlacewiseError
from geodata.areas import load_area_centroids
from geodata.coords import in_england_box
from geodata.tables import raise_for_rows, read_csv_checked
from matcher.precision import round_frame
from matcher.travel.protocol import DISTANCE, ROAD, ROUTED_ENDS, STRAIGHT_LINE, TravelModel, check_cap
from scenarios.inputs import Inputs

TABLE_COLUMNS = ("origin_id", "destination_id", "travel_minutes", "low_minutes", "high_minutes", "distance_km",
                 "model")
MODEL_WORDS = {DISTANCE: "national travel model", ROAD: "road network", STRAIGHT_LINE: "straight line",
               ROUTED_ENDS: "national travel model and routed journeys"}
#: Without a cap every pair is written; beyond this many pairs, ask for a cap instead of a file nobody can open.
MAX_PAIRS_WITHOUT_CAP = 2_000_000
ORIGIN_BLOCK = 2_000


def read_origins(path: Path, inputs: Inputs) -> pd.DataFrame:
    """Origins as ``easting, northing`` indexed by ``origin_id``; each row by its ``lsoa`` or its coordinates."""
    table = _read_points(path, "origin_id", "lsoa")
    lsoa = table["lsoa"].str.strip().str.upper() if "lsoa" in table else pd.Series(pd.NA, index=table.index)
    easting, northing = _coordinates(table)
    by_area = lsoa.notna() & (lsoa != "") & easting.isna() & northing.isna()
    if by_area.any():
        if inputs.data_dir is None:
            raise PlacewiseError(f"{path}: rows give an lsoa but the embedded demo has no small areas; give "
                                 "easting and northing, or --data with a centroids folder")
        centroids = load_area_centroids(inputs.data_dir, "LSOA")
        located = centroids.reindex(lsoa[by_area])
        easting[by_area], northing[by_area] = located["easting"].to_numpy(), located["northing"].to_numpy()
        unknown = by_area & ~lsoa.isin(centroids.index)
        return _checked_points(path, table["origin_id"], easting, northing, "an lsoa", [
            (unknown, "lsoa is not a known 2011 or 2021 LSOA code (such as E01008162)")])
    return _checked_points(path, table["origin_id"], easting, northing, "an lsoa")


def read_destinations(path: Path, inputs: Inputs) -> pd.DataFrame:
    """Destinations as ``easting, northing`` indexed by ``destination_id``; each row by its ``provider_id`` (a
    URN in the register loaded) or its coordinates."""
    table = _read_points(path, "destination_id", "provider_id")
    raw_id = table["provider_id"] if "provider_id" in table else pd.Series(pd.NA, index=table.index)
    provider_id = pd.to_numeric(raw_id, errors="coerce")
    easting, northing = _coordinates(table)
    by_provider = raw_id.notna() & easting.isna() & northing.isna()
    located = inputs.providers.reindex(provider_id[by_provider])
    easting[by_provider], northing[by_provider] = located["easting"].to_numpy(), located["northing"].to_numpy()
    return _checked_points(path, table["destination_id"], easting, northing, "a provider_id", [
        (by_provider & (provider_id.isna() | (provider_id % 1 != 0)), "provider_id must be a whole number (a URN)"),
        (by_provider & provider_id.notna() & ~provider_id.isin(inputs.providers.index),
         "provider_id is not in the register loaded; check the URN, or give easting and northing")])


def travel_table(origins: pd.DataFrame, destinations: pd.DataFrame, travel: TravelModel,
                 cap_minutes: float | None = None) -> pd.DataFrame:
    """Every journey from an origin to a destination, or, with a cap, those whose estimate is within it (the
    journeys the matcher keeps under the default policy), ordered by origin and minutes."""
    if cap_minutes is not None:
        check_cap(cap_minutes)
    elif len(origins) * len(destinations) > MAX_PAIRS_WITHOUT_CAP:
        raise PlacewiseError(f"{len(origins):,} origins by {len(destinations):,} destinations is over "
                             f"{MAX_PAIRS_WITHOUT_CAP:,} journeys; give --cap-minutes, or fewer rows")
    points = destinations[["easting", "northing"]].to_numpy()
    tree = cKDTree(points) if cap_minutes is not None and len(points) else None
    parts = []
    for start in range(0, len(origins), ORIGIN_BLOCK):
        block = origins.iloc[start:start + ORIGIN_BLOCK]
        if tree is None:
            rows = np.repeat(np.arange(len(block)), len(destinations))
            columns = np.tile(np.arange(len(destinations)), len(block))
        else:
            assert cap_minutes is not None
            reach_m = travel.reach_km(cap_minutes) * 1000.0
            nearby = tree.query_ball_point(block[["easting", "northing"]].to_numpy(), reach_m)
            rows = np.repeat(np.arange(len(block)), [len(found) for found in nearby])
            columns = np.concatenate([np.asarray(found, dtype=int) for found in nearby]) if len(nearby) else rows
        journeys = travel.estimate(block["easting"].to_numpy()[rows], block["northing"].to_numpy()[rows],
                                   points[columns, 0], points[columns, 1])
        part = pd.DataFrame({
            "origin_id": block.index.to_numpy()[rows], "destination_id": destinations.index.to_numpy()[columns],
            "travel_minutes": journeys.minutes, "low_minutes": journeys.low_minutes,
            "high_minutes": journeys.high_minutes, "distance_km": journeys.km,
            "model": pd.Categorical.from_codes(journeys.method, categories=list(MODEL_WORDS.values()))})
        if cap_minutes is not None:
            part = part[part["travel_minutes"] <= cap_minutes]
        parts.append(part)
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(TABLE_COLUMNS))
    return table.sort_values(["origin_id", "travel_minutes"], kind="stable").reset_index(drop=True)


def write_travel_table(table: pd.DataFrame, path: Path) -> Path:
    """Write the table as CSV at the output contract's precision (minutes and kilometres to a tenth)."""
    rounded = round_frame(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    rounded.to_csv(path, index=False, columns=list(TABLE_COLUMNS))
    return path


def _read_points(path: Path, id_column: str, named_column: str) -> pd.DataFrame:
    table = read_csv_checked(Path(path), [id_column], dtype=str).reset_index(drop=True)
    if named_column not in table and not {"easting", "northing"} <= set(table.columns):
        raise PlacewiseError(f"{path}: give the {named_column} column, or easting and northing columns "
                             "(EPSG:27700 metres)")
    if table.empty:
        raise PlacewiseError(f"{path}: the file has a header but no rows; give one row per {id_column[:-3]}")
    return table


def _coordinates(table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    empty = pd.Series(np.nan, index=table.index)
    return (pd.to_numeric(table.get("easting", empty), errors="coerce").astype(float),
            pd.to_numeric(table.get("northing", empty), errors="coerce").astype(float))


def _checked_points(path: Path, ids: pd.Series, easting: pd.Series, northing: pd.Series, named_column: str,
                    found: list[tuple[pd.Series, str]] | None = None) -> pd.DataFrame:
    """Check every row at once (``found``: the checks of how the rows were located, which come first)."""
    found = found or []
    unlocated = easting.isna() | northing.isna()
    for mask, _ in found:
        unlocated &= ~mask  # a row already named for its code is not named again for lacking coordinates
    ids = ids.str.strip()
    id_column = ids.name
    located = ~(easting.isna() | northing.isna())
    raise_for_rows(path, [
        *found,
        (ids.isna() | (ids == ""), f"{id_column} is empty; give every row an id"),
        (ids.duplicated(keep=False) & ids.notna(), f"the same {id_column} appears twice; keep one row"),
        (unlocated, f"give {named_column}, or both easting and northing as numbers"),
        (located & ~in_england_box(easting.fillna(0), northing.fillna(0)),
         "easting/northing lie outside England; give British National Grid (EPSG:27700) metres"),
    ])
    return pd.DataFrame({"easting": easting.to_numpy(), "northing": northing.to_numpy()},
                        index=pd.Index(ids.to_numpy(), name=id_column))
