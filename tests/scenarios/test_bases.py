"""Inclusion bases: the old unit kinds map onto the new kind, and candidate bases are the councils' mainstream
secondary schools with enough pupils, priced as an inclusion base place."""

import pandas as pd
import pytest

from core.errors import PlacewiseError
from core.vocabulary import INCLUSION_BASE_KINDS, KIND_WORDS, MAINSTREAM_KINDS, canonical_kind
from matcher.costs import default_costs
from scenarios.planning_run import base_sites
from scenarios.schema import PlanSpec


def test_the_old_kinds_are_inclusion_bases():
    assert {canonical_kind(kind) for kind in INCLUSION_BASE_KINDS} == {"inclusion_base"}
    assert canonical_kind("special_academy") == "special_academy"
    assert set(INCLUSION_BASE_KINDS) <= set(MAINSTREAM_KINDS)
    assert all(KIND_WORDS[kind].startswith("inclusion base") for kind in INCLUSION_BASE_KINDS)
    costs = default_costs()
    assert costs.kind_cost("inclusion_base") == costs.kind_cost("resourced_provision") == costs.kind_cost("mainstream")


def test_bases_go_to_the_councils_secondary_schools_with_enough_pupils():
    schools = pd.DataFrame({"name": ["Big", "Small", "Elsewhere"], "easting": [420_000.0, 421_000.0, 500_000.0],
                            "northing": [570_000.0] * 3, "council": ["E06900001", "E06900001", "E06900009"],
                            "on_roll": [1_200, 300, 1_500]}, index=pd.Index([1, 2, 3], name="provider_id"))
    spec = PlanSpec(needs=("ASD",), sites="mainstream_secondary", min_on_roll=1_000, places_per_site=20)
    sites = base_sites(schools, spec, default_costs(), ("E06900001",))
    assert sites.index.tolist() == ["1-base"] and sites["places"].tolist() == [20]
    assert sites["place_cost_gbp"].tolist() == [default_costs().kind_cost("inclusion_base")]
    with pytest.raises(PlacewiseError, match="min_on_roll"):
        base_sites(schools, spec.model_copy(update={"min_on_roll": 5_000}), default_costs(), ("E06900001",))
