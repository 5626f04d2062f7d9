"""The road graph on a tiny hand-made OSM file: speeds, one-way streets, the largest strong part, caching,
unreachable pairs, and bad input."""

import numpy as np
import pandas as pd
import pytest

from core.errors import PlacewiseError
from geodata.roads import CLASS_SPEEDS_KMH, LIMIT_SHARE, MPH_KMH, load_road_graph, road_speed_kmh, travel_from_nodes
from matcher.travel.roads import RoadTravel
from matcher.travel.straight_line import StraightLineTravel
from tests.helpers.samples import OSM


@pytest.fixture
def osm_file(tmp_path):
    path = tmp_path / "tiny.osm"
    path.write_text(OSM)
    return path


def test_the_graph_keeps_the_largest_strong_part_at_the_tagged_speed(osm_file):
    graph = load_road_graph(osm_file)
    assert graph.n_nodes == 3 and len(graph.tails) == 4  # A<->B, B<->C; the one-way spur to D is dropped
    speed_kmh = graph.metres / graph.seconds * 3.6
    assert np.allclose(speed_kmh, 30 * MPH_KMH * LIMIT_SHARE)
    assert np.allclose(graph.metres, 1_000, rtol=0.01)


def test_a_second_load_reads_the_cache(osm_file, tmp_path):
    first = load_road_graph(osm_file, tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("roads-*.npz"))) == 1
    second = load_road_graph(osm_file, tmp_path / "cache")
    assert second.key == first.key and np.array_equal(second.seconds, first.seconds)


def test_speeds_come_from_maxspeed_or_the_class():
    assert road_speed_kmh("primary", "40 mph") == pytest.approx(40 * MPH_KMH * LIMIT_SHARE)
    assert road_speed_kmh("primary", "50") == pytest.approx(50 * LIMIT_SHARE)
    assert road_speed_kmh("residential", None) == CLASS_SPEEDS_KMH["residential"] == pytest.approx(25.0 * 1.27, abs=0.1)
    assert road_speed_kmh("primary", "national") == pytest.approx(min(96.6 * LIMIT_SHARE,
                                                                      CLASS_SPEEDS_KMH["primary"] * 1.3))


def test_quickest_paths_have_lengths_and_a_limit_makes_far_nodes_unreachable(osm_file):
    graph = load_road_graph(osm_file)
    a = int(np.argmin(graph.easting))
    seconds, metres = travel_from_nodes(graph, np.array([a]), limit_seconds=1e6)
    assert np.allclose(np.sort(metres[0]), [0, 1_000, 2_000], rtol=0.01)
    seconds, metres = travel_from_nodes(graph, np.array([a]), limit_seconds=60)
    assert np.isinf(seconds[0]).sum() == 2 and np.isnan(metres[0]).sum() == 2  # never zero


def test_road_tables_hold_only_pairs_under_the_cap(osm_file):
    travel = RoadTravel(load_road_graph(osm_file))
    nodes = pd.DataFrame({"easting": travel.graph.easting, "northing": travel.graph.northing},
                         index=["a", "b", "c"])
    providers = pd.DataFrame({"easting": nodes["easting"].to_numpy(), "northing": nodes["northing"].to_numpy()},
                             index=[101, 102, 103])
    table = travel.table(nodes, providers, cap_minutes=2)  # 1 km at 30 mph x 0.95 is 1.3 minutes, 2 km is 2.6
    assert len(table) == 7 and (table["travel_minutes"] <= 2).all() and (table["travel_minutes"] >= 0).all()
    same = table[table["origin_id"].map({"a": 101, "b": 102, "c": 103}) == table["provider_id"]]
    assert len(same) == 3 and np.allclose(same["travel_minutes"], 0)


@pytest.mark.parametrize(("text", "expected"), [
    ("this is not OSM", "not a readable OpenStreetMap file"),
    (OSM.replace('v="residential"', 'v="footway"').replace('v="tertiary"', 'v="cycleway"'), "no drivable roads"),
])
def test_bad_road_files_are_named(tmp_path, text, expected):
    path = tmp_path / "bad.osm"
    path.write_text(text)
    with pytest.raises(PlacewiseError, match=expected):
        load_road_graph(path)


def test_a_missing_road_file_zero_cap_or_negative_speed_is_a_clear_error(osm_file, tmp_path):
    with pytest.raises(PlacewiseError, match="not found"):
        load_road_graph(tmp_path / "missing.osm.pbf")
    empty = pd.DataFrame({"easting": [500_000.0], "northing": [300_000.0]})
    with pytest.raises(PlacewiseError, match="cap_minutes"):
        StraightLineTravel().table(empty, empty, cap_minutes=0)
    with pytest.raises(PlacewiseError, match="speed_kmh"):
        StraightLineTravel(speed_kmh=-5)
