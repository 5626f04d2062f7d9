"""Locating points in councils: the council whose shape holds a point, else the nearest within 3 km, else none;
the same answers as measuring every point's distance to every shape."""

import numpy as np
import pandas as pd

from geodata.councils import NEAREST_COUNCIL_MAX_M, locate_councils
from geodata.demo import demo_council_shapes


def test_a_point_is_in_the_council_holding_it_else_the_nearest_within_3_km():
    shapes = demo_council_shapes()  # Northvale 410-430 km E, Eastmoor 430-450 km E (both 560-580 km N)
    easting = np.array([420_000.0, 440_000.0, 430_500.0, 409_000.0, 400_000.0])
    northing = np.array([570_000.0, 570_000.0, 570_000.0, 570_000.0, 570_000.0])
    located = locate_councils(easting, northing, shapes)
    assert located.iloc[:4].tolist() == ["E06900001", "E06900002", "E06900002", "E06900001"]
    assert pd.isna(located.iloc[4])  # 10 km outside any council


def test_the_same_councils_as_the_nearest_shape_to_every_point():
    shapes = demo_council_shapes()
    rng = np.random.default_rng(5)
    easting, northing = rng.uniform(400_000, 460_000, 2_000), rng.uniform(530_000, 590_000, 2_000)
    distances = np.column_stack([shape.distance(_points(easting, northing)) for shape in shapes.geometry])
    nearest = np.where(distances.min(axis=1) <= NEAREST_COUNCIL_MAX_M, shapes.index.to_numpy()[distances.argmin(
        axis=1)], None)
    on_an_edge = (distances == 0).sum(axis=1) > 1  # on two councils' shared edge: either is right
    located = locate_councils(easting, northing, shapes).to_numpy(dtype=object)
    assert all(a == b or (a is None and pd.isna(b)) for a, b in zip(nearest[~on_an_edge], located[~on_an_edge],
                                                                     strict=True))


def _points(easting: np.ndarray, northing: np.ndarray) -> np.ndarray:
    import shapely

    return shapely.points(easting, northing)
