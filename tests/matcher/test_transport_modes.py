"""Transport costs by mode and distance: the council's average journey, its average km and the fitted exponent,
modes priced by the policy's parts or a transport-cost file, and independent travel training as an option."""

import numpy as np
import pandas as pd
import pytest

from core.vocabulary import TRANSPORT_MODES
from matcher.costs import NATIONAL, default_costs
from matcher.evaluation import build_children
from matcher.policy import Policy
from matcher.transport import AVERAGE_PARTS, MODE_PARTS, costs_by_mode, journey_costs, transport_costs
from tests.helpers.factories import make_child

COUNCIL = "E06900001"


def model(exponent=0.5, km=10.0, per_journey=8_000.0):
    from dataclasses import replace

    base = default_costs()
    return replace(base, transport_gbp=pd.Series({COUNCIL: per_journey, NATIONAL: 9_000.0}),
                   transport_km=pd.Series({COUNCIL: km, NATIONAL: 14.5}), transport_exponent=exponent)


def test_a_journey_of_the_council_s_average_km_costs_its_average_and_scales_by_the_exponent():
    costs = model()
    np.testing.assert_allclose(journey_costs(costs, COUNCIL, np.array([10.0, 40.0, 2.0])), [8_000.0, 16_000.0, 0.0])
    assert journey_costs(costs, "E06900002", np.array([14.5]))[0] == pytest.approx(9_000.0)  # the national row


def test_a_child_of_no_mode_costs_the_mix_and_a_child_s_own_mode_its_parts():
    children = build_children([make_child(), make_child(child_id="C2", transport_mode="single_occupancy"),
                            make_child(child_id="C3", transport_mode="independent_travel_training")], Policy())
    cost = transport_costs(model(), children, np.arange(3), np.full(3, 10.0))
    assert cost[0] == pytest.approx(8_000.0)
    assert cost[1] == pytest.approx(8_000.0 * MODE_PARTS["single_occupancy"] / AVERAGE_PARTS)
    assert cost[2] == pytest.approx(8_000.0 * MODE_PARTS["independent_travel_training"] / AVERAGE_PARTS)


def test_a_policy_that_trains_a_tenth_for_independent_travel_costs_less_by_what_the_parts_say():
    mix = {"shared_route": 0.65, "single_occupancy": 0.20, "personal_budget": 0.05, "independent_travel_training": 0.1}
    children = build_children([make_child()], Policy(transport_mode_mix=mix))
    cost = transport_costs(model(), children, np.arange(1), np.array([10.0]))[0]
    expected = sum(share * MODE_PARTS[mode] for mode, share in mix.items()) / AVERAGE_PARTS * 8_000.0
    assert cost == pytest.approx(expected) and cost < 8_000.0


def test_a_transport_cost_file_prices_its_modes_for_its_councils_and_nationally():
    given = pd.DataFrame({"single_occupancy": [30_000.0, np.nan], "shared_route": [np.nan, 5_000.0]},
                         index=pd.Index([NATIONAL, COUNCIL])).reindex(columns=list(TRANSPORT_MODES))
    costs = model().with_mode_costs(given)
    table = costs_by_mode(costs, np.array([COUNCIL, "E06900002"]), dict(MODE_PARTS))
    column = list(TRANSPORT_MODES).index
    assert table[0, column("shared_route")] == 5_000.0 and table[0, column("single_occupancy")] == 30_000.0
    assert table[1, column("single_occupancy")] == 30_000.0
    assert table[1, column("shared_route")] == pytest.approx(9_000.0 / AVERAGE_PARTS)


def test_a_mix_that_does_not_sum_to_one_is_refused_naming_the_field():
    from core.errors import PlacewiseError

    with pytest.raises(PlacewiseError, match="transport_mode_mix"):
        Policy.from_fields(transport_mode_mix={"shared_route": 0.5})
