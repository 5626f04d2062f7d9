"""Road travel tables for fits and checks, kept in the cache folder so the same table is computed once."""

import pandas as pd

from geodata.roads import load_road_graph
from matcher.travel.roads import RoadTravel
from scenarios.travel_fit import road_table
from tests.helpers.samples import OSM


def test_a_road_table_is_cached_and_the_second_read_gives_the_same_pairs(tmp_path):
    path = tmp_path / "tiny.osm"
    path.write_text(OSM)
    travel = RoadTravel(load_road_graph(path))
    points = pd.DataFrame({"easting": travel.graph.easting, "northing": travel.graph.northing},
                          index=[11, 12, 13])
    first = road_table(travel, points, points, 10, tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("travel-*.npz"))) == 1
    second = road_table(travel, points, points, 10, tmp_path / "cache")
    pd.testing.assert_frame_equal(first, second)
    assert len(list((tmp_path / "cache").glob("travel-*.npz"))) == 1
    pd.testing.assert_frame_equal(first, travel.table(points, points, 10))  # the same as computing it afresh
