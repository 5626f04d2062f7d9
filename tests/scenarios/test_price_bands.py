"""The cap_prices delta on the demo: no placement costs more than its band, the whole cost falls, and the delta
is refused without a packages file to take the bands from."""

import pytest

from core.errors import PlacewiseError
from scenarios.run import run_scenario
from scenarios.schema import Delta, load_scenario, parse_scenario
from tests.helpers.samples import DEMO

LIBRARY = DEMO.parent


def test_capping_prices_at_the_band_lowers_the_cost_and_keeps_every_place_within_its_band():
    base = load_scenario(DEMO).model_copy(update={"packages": LIBRARY / "packages" / "illustrative.yaml"})
    capped = base.model_copy(update={"deltas": (*base.deltas, Delta(cap_prices=True))})
    before, after = run_scenario(base), run_scenario(capped)
    assert after.kpis["placement_cost_gbp"] < before.kpis["placement_cost_gbp"]
    assert after.kpis["placed"] == before.kpis["placed"]
    placed = after.allocation.assignments().dropna(subset=["provider_id"])
    independent = placed[placed["kind"] == "independent_special"]
    assert len(independent) and (independent["placement_cost_gbp"] <= 60_000).all()  # the highest day band


def test_cap_prices_needs_the_packages_file():
    with pytest.raises(PlacewiseError, match="cap_prices needs the packages file"):
        parse_scenario({"name": "x", "councils": ["E06900001"], "cohort": {"synthetic": True},
                        "deltas": [{"cap_prices": True}]}, LIBRARY / "x.yaml")
