"""A block of children's pairs with the providers of their need's pool within reach, built per distinct home:
children share homes (a location is an LSOA or MSOA centroid), so the pairs within reach and the journeys are
found once for each home and cap, then laid out child by child."""

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from matcher.pair_arrays import Children
from matcher.provider_index import NeedPool
from matcher.travel.protocol import TravelEstimate, TravelModel


@dataclass(frozen=True)
class Origins:
    """Where journeys start, and the cap each must keep (EPSG:27700 metres, minutes)."""

    easting: np.ndarray
    northing: np.ndarray
    cap_minutes: np.ndarray


def z_order(points: np.ndarray) -> np.ndarray:
    """A key that keeps neighbours near each other in order: the bits of the 1 km square's column and row,
    interleaved (unlocated points last)."""
    squares = np.nan_to_num(points / 1000.0, nan=65_535.0).clip(0, 65_535).astype(np.uint64)
    key = np.zeros(len(points), dtype=np.uint64)
    for bit in range(16):
        for axis in range(2):
            key |= ((squares[:, axis] >> np.uint64(bit)) & np.uint64(1)) << np.uint64(2 * bit + axis)
    return key


def homes_of(block: Children) -> tuple[Origins, np.ndarray]:
    """The block's distinct journeys' starts (a home and a cap; children share them, as they share an LSOA) and
    each child's start."""
    starts, origin_of = np.unique(np.column_stack([block.easting, block.northing, block.cap_minutes]), axis=0,
                                  return_inverse=True)
    return Origins(starts[:, 0], starts[:, 1], starts[:, 2]), origin_of.ravel()


def origin_pairs(pool: NeedPool, origins: Origins, travel: TravelModel,
                  nearby_only: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each origin's pairs with the pool's providers (positions in the pool), by origin then provider: with
    ``nearby_only``, the located providers within the straight-line reach of its cap (origins of one reach at a
    time, the pairs straight from the two k-d trees; ``matcher.allocation.block_kernels.nearby_pairs`` finds the
    same pairs compiled); else every provider of the pool."""
    if not nearby_only:
        return (np.repeat(np.arange(len(origins.easting)), len(pool.rows)),
                np.tile(np.arange(len(pool.rows)), len(origins.easting)))
    reach_km = travel.reach_km_of(origins.cap_minutes, origins.easting, origins.northing)
    found_origins, found_providers = [], []
    for reach in np.unique(reach_km):
        alike = np.flatnonzero(reach_km == reach)
        homes = cKDTree(np.column_stack([origins.easting[alike], origins.northing[alike]]))
        found = homes.sparse_distance_matrix(pool.tree, reach * 1000.0, output_type="ndarray")
        found_origins.append(alike[found["i"]])
        found_providers.append(pool.located[found["j"]])
    if not found_origins:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    origin, provider = np.concatenate(found_origins), np.concatenate(found_providers)
    order = np.lexsort((provider, origin))
    return origin[order], provider[order]


def children_pairs(origin_of: np.ndarray, pair_origin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each child's pairs: its origin's, by child then provider; and the origin pair each one is."""
    per_origin = np.bincount(pair_origin, minlength=int(origin_of.max(initial=-1)) + 1)
    first = np.cumsum(per_origin) - per_origin
    per_child = per_origin[origin_of]
    child = np.repeat(np.arange(len(origin_of)), per_child)
    within = np.arange(len(child)) - np.repeat(np.cumsum(per_child) - per_child, per_child)
    return child, np.repeat(first[origin_of], per_child) + within


def shared_journeys(travel: TravelModel, origins: Origins, pool: NeedPool, pair_origin: np.ndarray,
                     pair_provider: np.ndarray, wanted: np.ndarray) -> TravelEstimate:
    """The journeys of the wanted pairs of children (their origin pairs), each origin pair estimated once."""
    needed = np.zeros(len(pair_origin), dtype=bool)
    needed[wanted] = True
    estimated = np.flatnonzero(needed)
    journeys = travel.estimate_among((origins.easting, origins.northing), (pool.index.easting, pool.index.northing),
                                     pair_origin[estimated], pair_provider[estimated])
    rank = np.cumsum(needed, dtype=np.int64) - 1  # each needed origin pair's position among those estimated
    return journeys[rank[wanted]]
