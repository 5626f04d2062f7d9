"""The transport calibration across councils: the national component recovers a known law, prices councils held
out, and stands in for a council whose own figure is implausible."""

import numpy as np
import pandas as pd
import pytest

from matcher.costs import NATIONAL, default_costs
from scenarios.transport_calibration import calibrate_transport, fit_component, held_out_transport

RNG = np.random.default_rng(5)
COUNCILS = [f"E06{number:06d}" for number in range(60)]


def inputs(noise=0.0):
    """Councils whose spend per child is exactly 900 x km^0.5 x (1 + density)^0.2 (times noise)."""
    km = RNG.uniform(3, 25, len(COUNCILS))
    density = RNG.uniform(5, 500, len(COUNCILS))
    eligible = RNG.integers(200, 3000, len(COUNCILS)).astype(float)
    per_child = 900.0 * km ** 0.5 * (1 + density) ** 0.2 * np.exp(RNG.normal(0, noise, len(COUNCILS)))
    spend = pd.DataFrame({"council": COUNCILS, "line": "2.1.4", "net_expenditure": per_child * eligible})
    placements = pd.DataFrame({"special_total": eligible * 0.9, "ap_pru_total": eligible * 0.1},
                              index=pd.Index(COUNCILS, name="council"))
    units = pd.Series(0.0, index=COUNCILS)
    journeys = pd.DataFrame({"journey_km": km, "density": density, "areas": 10}, index=pd.Index(COUNCILS))
    return spend, placements, units, journeys


def test_the_component_recovers_the_law_and_prices_held_out_councils_exactly_without_noise():
    spend, placements, units, journeys = inputs()
    costs = calibrate_transport(default_costs(), spend, placements, units, journeys)
    evidence = costs.transport_evidence
    assert costs.transport_exponent == pytest.approx(0.5, abs=1e-9)
    np.testing.assert_allclose(fit_component(evidence), [np.log(900.0), 0.5, 0.2], atol=1e-9)
    np.testing.assert_allclose(held_out_transport(evidence), evidence["per_child_gbp"], rtol=1e-9)
    assert (evidence["used"] == "own").all()
    assert costs.transport_km[COUNCILS[3]] == pytest.approx(journeys["journey_km"].iloc[3])
    assert NATIONAL in costs.transport_gbp.index and NATIONAL in costs.transport_km.index


def test_a_council_whose_spend_is_implausible_takes_the_component_s_figure():
    spend, placements, units, journeys = inputs(noise=0.05)
    spend.loc[7, "net_expenditure"] *= 6.0  # recorded elsewhere, or not at all
    costs = calibrate_transport(default_costs(), spend, placements, units, journeys)
    evidence = costs.transport_evidence
    assert evidence.loc[COUNCILS[7], "used"] == "national component"
    assert costs.transport_gbp[COUNCILS[7]] == pytest.approx(round(evidence.loc[COUNCILS[7],
                                                                                "component_per_child_gbp"]))
    assert (evidence.drop(COUNCILS[7])["used"] == "own").all()
