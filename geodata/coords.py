"""Coordinate systems: WGS84 longitude/latitude to British National Grid (EPSG:27700), and England's extent."""

from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from core.errors import PlacewiseError

if TYPE_CHECKING:
    from pyproj import Transformer

#: A generous box around England in EPSG:27700 metres (Isles of Scilly to Berwick, Cornwall to Lowestoft).
ENGLAND_EASTING_M = (80_000.0, 660_000.0)
ENGLAND_NORTHING_M = (5_000.0, 660_000.0)


WGS84, BNG = "EPSG:4326", "EPSG:27700"


@cache
def _transformer(source: str, target: str) -> "Transformer":
    from pyproj import Transformer  # PROJ loads only where points are projected (a cached start projects none)

    return Transformer.from_crs(source, target, always_xy=True)


def _project(source: str, target: str, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    projected_x, projected_y = _transformer(source, target).transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(projected_x), np.asarray(projected_y)


def lonlat_to_bng(longitude: npt.ArrayLike, latitude: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS84 longitude/latitude (degrees) to British National Grid easting/northing (metres)."""
    return _project(WGS84, BNG, longitude, latitude)


def bng_to_lonlat(easting: npt.ArrayLike, northing: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Project British National Grid easting/northing (metres) to WGS84 longitude/latitude (degrees), for maps."""
    return _project(BNG, WGS84, easting, northing)


def in_england_box(easting: npt.ArrayLike, northing: npt.ArrayLike) -> np.ndarray:
    """Return True where a point lies in the box around England (a coarse check; no polygons needed)."""
    easting, northing = np.asarray(easting, float), np.asarray(northing, float)
    in_box = (
        (easting >= ENGLAND_EASTING_M[0]) & (easting <= ENGLAND_EASTING_M[1])
        & (northing >= ENGLAND_NORTHING_M[0]) & (northing <= ENGLAND_NORTHING_M[1])
    )
    # Scotland lies north-west of the line from the Solway (320,000 E, 560,000 N) to Berwick (400,000 E,
    # 660,000 N); Wales is left to the council polygons, which the real data brings.
    scotland = northing > 560_000.0 + (easting - 320_000.0) * (100_000.0 / 80_000.0)
    return in_box & ~scotland


def check_in_england(easting: float, northing: float, field: str = "easting/northing") -> None:
    """Raise PlacewiseError unless the point lies in England's box."""
    if not np.isfinite(easting) or not np.isfinite(northing) or not in_england_box(easting, northing):
        raise PlacewiseError(
            f"{field}: the location is outside England; give British National Grid (EPSG:27700) metres "
            f"within easting {ENGLAND_EASTING_M[0]:,.0f}..{ENGLAND_EASTING_M[1]:,.0f} and northing "
            f"{ENGLAND_NORTHING_M[0]:,.0f}..{ENGLAND_NORTHING_M[1]:,.0f}, or a home_lsoa code"
        )

