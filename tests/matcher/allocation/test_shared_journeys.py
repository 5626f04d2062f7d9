"""Journeys shared by a whole candidate table's blocks are the travel model's own, to the last bit, and each is
estimated once however often, in whatever order and from however many threads it is asked for."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from matcher.allocation.shared_journeys import SharedJourneys
from scenarios.inputs import load_inputs

PARTS = ("minutes", "km", "low_minutes", "high_minutes", "method")


class CountingTravel:
    """The demo's travel model, counting the journeys it is asked to estimate."""

    def __init__(self, travel) -> None:
        self.travel = travel
        self.estimated = 0

    def estimate_among(self, origins, destinations, origin_at, destination_at):
        self.estimated += len(origin_at)
        return self.travel.estimate_among(origins, destinations, origin_at, destination_at)


def test_shared_journeys_are_the_models_own_and_each_is_estimated_once():
    inputs = load_inputs()
    providers = inputs.providers
    east, north = providers["easting"].to_numpy(dtype=float), providers["northing"].to_numpy(dtype=float)
    rng = np.random.default_rng(7)
    homes = rng.integers(0, len(east), 40)  # children living where settings are, several at each home
    child_east, child_north = east[homes] + 500.0, north[homes] - 300.0
    asks = [(rng.integers(0, len(homes), 300), rng.integers(0, len(east), 300)) for _ in range(12)]
    counting = CountingTravel(inputs.travel)
    shared = SharedJourneys(counting, child_east, child_north, east, north)
    one_by_one = [shared.estimate(*ask) for ask in asks]
    distinct = {(child_east[c], child_north[c], r) for children, rows in asks
                for c, r in zip(children, rows, strict=True)}
    assert counting.estimated == len(distinct) < 12 * 300  # each once, though many were asked for twice
    threaded = SharedJourneys(inputs.travel, child_east, child_north, east, north)
    with ThreadPoolExecutor(2) as pool:
        together = list(pool.map(lambda ask: threaded.estimate(*ask), asks))
    for (children, rows), *found in zip(asks, one_by_one, together, strict=True):
        expected = inputs.travel.estimate_among((child_east, child_north), (east, north), children, rows)
        for journeys in found:
            for name in PARTS:
                np.testing.assert_array_equal(getattr(journeys, name), getattr(expected, name), strict=True)
    assert len(shared.estimate(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)).minutes) == 0
