"""A drivable road graph from an OpenStreetMap extract, and travel times over it (scipy's Dijkstra).

Reading: pyosmium over the ``.osm.pbf``; every way whose ``highway`` is a road a car or minibus may use
(``DRIVABLE``), less ``access``/``motor_vehicle`` = no or private; one-way where ``oneway`` says so (and on
motorways and roundabouts), against the way's direction for ``oneway=-1``. Each pair of consecutive nodes is an
edge, its length measured in EPSG:27700.

Speeds (km/h), averages rather than limits: a tagged ``maxspeed`` (mph where it says so, the national limit by
class where it says "national") times ``LIMIT_SHARE`` = 0.95; untagged roads by class, ``CLASS_SPEEDS_KMH``.
Both were first set by judgement at 0.75 of the limit; the routed national matrix (``../shared/data/travel``)
from Rutland's LSOAs to the seven hospitals around it runs 1.27 times faster than that graph (each hospital's
journeys regressed on the graph's minutes, slope 0.788), so every speed is 1.27 times its first value, and the
graph and the national travel model agree (``bench/travel.py`` prints both on Rutland). Only
the largest strongly connected part is kept, so every node can reach every other. Origins and destinations snap
to the nearest node; the snap distance is added at ``ACCESS_SPEED_KMH`` (20 km/h, the crawl of access lanes and
car parks). Unreachable pairs are missing (NaN), never zero.

A built graph is cached in a folder the caller names (the ``cache`` setting) under a hash of the file's bytes and
of these rules, so a second build is a file read.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import osmium
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from core.errors import PlacewiseError
from geodata.coords import lonlat_to_bng
from geodata.travel_cache import cached_arrays, file_digest

RULES_VERSION = "roads-3"
MATRIX_SPEED_FACTOR = 1.27  # the routed matrix's speeds over the first judgement's, around Rutland
FIRST_CLASS_SPEEDS_KMH = {
    "motorway": 90.0, "trunk": 70.0, "primary": 55.0, "secondary": 48.0, "tertiary": 40.0, "unclassified": 32.0,
    "residential": 25.0, "living_street": 10.0, "service": 12.0, "road": 25.0,
    "motorway_link": 55.0, "trunk_link": 45.0, "primary_link": 40.0, "secondary_link": 35.0, "tertiary_link": 30.0,
}
CLASS_SPEEDS_KMH = {highway: round(speed * MATRIX_SPEED_FACTOR, 1) for highway, speed in FIRST_CLASS_SPEEDS_KMH.items()}
DRIVABLE = frozenset(CLASS_SPEEDS_KMH)
NATIONAL_LIMIT_KMH = {"motorway": 112.7, "trunk": 112.7}  # 70 mph on dual carriageways; 60 mph elsewhere
SINGLE_CARRIAGEWAY_LIMIT_KMH = 96.6
LIMIT_SHARE = round(0.75 * MATRIX_SPEED_FACTOR, 3)
ACCESS_SPEED_KMH = 20.0
MAX_SNAP_M = 3_000.0
MPH_KMH = 1.609344


@dataclass(frozen=True, eq=False)
class RoadGraph:
    """Nodes (EPSG:27700) and directed edges with seconds and metres; one strongly connected part."""

    easting: np.ndarray
    northing: np.ndarray
    tails: np.ndarray
    heads: np.ndarray
    seconds: np.ndarray
    metres: np.ndarray
    key: str

    @property
    def n_nodes(self) -> int:
        return len(self.easting)

    def matrix(self, weight: np.ndarray, reverse: bool = False) -> csr_matrix:
        tails, heads = (self.heads, self.tails) if reverse else (self.tails, self.heads)
        return csr_matrix((weight, (tails, heads)), shape=(self.n_nodes, self.n_nodes))

    def snap(self, easting: np.ndarray, northing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The nearest node of each point and the distance to it in metres."""
        metres, node = _tree(self).query(np.column_stack([easting, northing]))
        return node.astype(np.int64), metres


GRAPH_ARRAYS = ("easting", "northing", "tails", "heads", "seconds", "metres")
_TREES: dict[str, cKDTree] = {}


def _tree(graph: RoadGraph) -> cKDTree:
    if graph.key not in _TREES:
        _TREES[graph.key] = cKDTree(np.column_stack([graph.easting, graph.northing]))
    return _TREES[graph.key]


def load_road_graph(path: Path, cache_dir: Path | None = None) -> RoadGraph:
    """Build the drivable graph of an OSM extract, or read it from the cache folder when built before."""
    path = Path(path)
    if not path.is_file():
        raise PlacewiseError(f"roads: {path} not found; give an OpenStreetMap extract (.osm.pbf)")
    key = file_digest(path, RULES_VERSION)

    def build() -> dict[str, np.ndarray]:
        graph = _largest_strong_part(*_read_osm(path), key=key)
        return {name: getattr(graph, name) for name in GRAPH_ARRAYS}

    arrays = cached_arrays(cache_dir, f"roads-{key}", build)
    return RoadGraph(**{name: arrays[name] for name in GRAPH_ARRAYS}, key=key)


def road_speed_kmh(highway: str, maxspeed: str | None) -> float:
    """The average speed of a road from its ``maxspeed`` tag where it has one, else from its class."""
    if maxspeed:
        text = maxspeed.strip().lower()
        if "national" in text:
            limit = NATIONAL_LIMIT_KMH.get(highway.removesuffix("_link"), SINGLE_CARRIAGEWAY_LIMIT_KMH)
            return min(limit * LIMIT_SHARE, CLASS_SPEEDS_KMH[highway] * 1.3)
        number = re.match(r"^\s*(\d+(?:\.\d+)?)", text)
        if number:
            value = float(number.group(1)) * (MPH_KMH if "mph" in text else 1.0)
            if value > 0:
                return value * LIMIT_SHARE
    return CLASS_SPEEDS_KMH[highway]


def _read_osm(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    node_index: dict[int, int] = {}
    longitude: list[float] = []
    latitude: list[float] = []
    tails: list[int] = []
    heads: list[int] = []
    speeds: list[float] = []
    try:
        for way in osmium.FileProcessor(str(path)).with_locations().with_filter(osmium.filter.EntityFilter(
                osmium.osm.WAY)):
            if not isinstance(way, osmium.osm.Way):
                continue
            tags = way.tags
            highway = tags.get("highway")
            if highway not in DRIVABLE or tags.get("access") in ("no", "private") or tags.get(
                    "motor_vehicle") in ("no", "private") or tags.get("area") == "yes":
                continue
            ids = []
            for node in way.nodes:
                if not node.location.valid():
                    continue
                if node.ref not in node_index:
                    node_index[node.ref] = len(longitude)
                    longitude.append(node.location.lon)
                    latitude.append(node.location.lat)
                ids.append(node_index[node.ref])
            oneway = tags.get("oneway", "yes" if highway == "motorway" or tags.get("junction") == "roundabout"
                              else "no")
            speed = road_speed_kmh(highway, tags.get("maxspeed"))
            pairs = list(zip(ids[:-1], ids[1:], strict=True))
            if oneway == "-1":
                pairs = [(b, a) for a, b in pairs]
            elif oneway not in ("yes", "true", "1"):
                pairs += [(b, a) for a, b in pairs]
            for a, b in pairs:
                tails.append(a)
                heads.append(b)
                speeds.append(speed)
    except RuntimeError as error:
        raise PlacewiseError(f"roads: {path} is not a readable OpenStreetMap file ({error}); give an .osm.pbf "
                             "extract") from None
    if not tails:
        raise PlacewiseError(f"roads: {path} holds no drivable roads; give an OpenStreetMap extract with highways")
    easting, northing = lonlat_to_bng(np.array(longitude), np.array(latitude))
    tail, head = np.array(tails), np.array(heads)
    metres = np.hypot(easting[head] - easting[tail], northing[head] - northing[tail])
    seconds = metres / (np.array(speeds) / 3.6)
    return easting, northing, tail, head, np.maximum(seconds, 1e-3), metres


def _largest_strong_part(easting: np.ndarray, northing: np.ndarray, tails: np.ndarray, heads: np.ndarray,
                         seconds: np.ndarray, metres: np.ndarray, key: str) -> RoadGraph:
    n_nodes = len(easting)
    adjacency = csr_matrix((np.ones(len(tails)), (tails, heads)), shape=(n_nodes, n_nodes))
    _, label = connected_components(adjacency, directed=True, connection="strong")
    keep = label == np.bincount(label).argmax()
    new_id = np.cumsum(keep) - 1
    edge = np.flatnonzero(keep[tails] & keep[heads] & (tails != heads))
    edge = edge[np.lexsort((seconds[edge], heads[edge], tails[edge]))]
    first = np.ones(len(edge), dtype=bool)  # of parallel edges (ways sharing nodes) keep the quickest: a sparse
    first[1:] = (tails[edge][1:] != tails[edge][:-1]) | (heads[edge][1:] != heads[edge][:-1])  # matrix adds them
    edge = edge[first]
    return RoadGraph(easting[keep], northing[keep], new_id[tails[edge]], new_id[heads[edge]], seconds[edge],
                     metres[edge], key)


def travel_from_nodes(graph: RoadGraph, sources: np.ndarray, limit_seconds: float,
                      reverse: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Seconds and metres of the quickest path from each source node to every node (or to it, ``reverse``).

    Rows are sources; ``inf``/NaN beyond the limit or unreachable. Distances follow the quickest paths' trees.
    """
    seconds, predecessors = dijkstra(graph.matrix(graph.seconds, reverse), directed=True, indices=sources,
                                     limit=limit_seconds, return_predecessors=True)
    lengths = graph.matrix(graph.metres, reverse)
    metres = np.full(seconds.shape, np.nan)
    for row in range(len(sources)):
        metres[row] = _tree_lengths(predecessors[row], lengths, int(sources[row]))
    metres[~np.isfinite(seconds)] = np.nan
    return seconds, metres


def _tree_lengths(predecessor: np.ndarray, lengths: csr_matrix, source: int) -> np.ndarray:
    """Path length from the source to every node of a shortest-path tree, by pointer jumping (log depth)."""
    every = np.arange(len(predecessor))
    reached = predecessor >= 0
    nodes = every[reached]
    total = np.zeros(len(predecessor))
    total[nodes] = np.asarray(lengths[predecessor[nodes], nodes]).ravel()
    jump = np.where(reached, predecessor, every)  # roots (the source, unreached nodes) point at themselves
    while np.any(jump != jump[jump]):
        total, jump = total + total[jump], jump[jump]
    total = total + total[jump]
    total[~reached & (every != source)] = np.nan
    total[source] = 0.0
    return total
