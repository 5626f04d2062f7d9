"""Transport costs on the real s251 and SEN2: every council's average journey and the counts it rests on, and the
national component pricing councils it was not fitted on."""

import numpy as np


def test_every_council_with_spend_has_its_journey_and_counts(real_inputs):
    evidence = real_inputs.costs.transport_evidence
    assert evidence is not None and len(evidence) >= 140
    assert (evidence["journey_km"] > 0).all() and (evidence["eligible"] > 0).all()
    assert (evidence["eligible"] == evidence["special_schools"] + evidence["units"]
            + evidence["alternative_provision"]).all()
    assert 0.0 < real_inputs.costs.transport_exponent < 1.0  # fixed costs: twice as far costs less than twice


def test_the_national_component_prices_held_out_councils_within_half_to_twice_mostly(real_inputs):
    evidence = real_inputs.costs.transport_evidence
    ratio = (evidence["held_out_per_child_gbp"] / evidence["per_child_gbp"]).to_numpy()
    assert np.mean((ratio >= 0.5) & (ratio <= 2.0)) >= 0.8
    assert 0.8 <= np.median(ratio) <= 1.25
