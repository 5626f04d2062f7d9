"""The register of England from the real DfE files, the calibrated costs, and a real shortlist."""

import pytest

from core.vocabulary import NEEDS, SPECIAL_KINDS
from matcher.child import parse_child
from matcher.costs import (
    NATIONAL_BAND_2023_24_GBP,
    NATIONAL_COSTS_2023_24,
    NATIONAL_TRANSPORT_2023_24_GBP,
    NATIONAL_TRANSPORT_EXPONENT_2023_24,
    NATIONAL_TRANSPORT_KM_2023_24,
)
from matcher.shortlist import build_shortlister
from scenarios.inputs import locate_child

NEWCASTLE = "E08000021"


def test_register_of_england(real_inputs):
    providers = real_inputs.providers
    assert len(providers) >= 4_000
    assert providers["kind"].isin(SPECIAL_KINDS).sum() >= 1_800
    designated = set(providers["designated_needs"].explode().dropna())
    assert designated == set(NEEDS)
    assert providers["host_council"].str.match(r"^E(06|08|09|10)\d{6}$").all()
    assert providers.loc[providers["places_source"] == "estimated", "places"].notna().all()
    assert set(real_inputs.dropped.index) <= {"type unknown: not in the performance tables or the census",
                                              "age range unknown"}
    assert real_inputs.dropped.sum() < 50


def test_embedded_national_costs_are_what_the_data_gives(real_inputs):
    national = real_inputs.costs.kind_costs.loc["national"].to_dict()
    assert national == pytest.approx(NATIONAL_COSTS_2023_24, abs=1)
    assert real_inputs.costs.transport_gbp["national"] == pytest.approx(NATIONAL_TRANSPORT_2023_24_GBP, abs=1)
    assert real_inputs.costs.transport_km["national"] == pytest.approx(NATIONAL_TRANSPORT_KM_2023_24, abs=0.01)
    assert real_inputs.costs.transport_exponent == pytest.approx(NATIONAL_TRANSPORT_EXPONENT_2023_24, abs=0.001)
    assert real_inputs.costs.band_gbp["national"] == pytest.approx(NATIONAL_BAND_2023_24_GBP, abs=1)
    assert 100 < len(real_inputs.costs.kind_costs) <= 154


def test_shortlist_for_an_autistic_ten_year_old_in_newcastle(real_inputs):
    child = parse_child({"child_id": "R-1", "home_council": NEWCASTLE, "home_lsoa": "E01008395", "age": 10,
                         "primary_need": "ASD"})
    located = locate_child(child, real_inputs)
    assert abs(located.easting - 424_143) < 5 and abs(located.northing - 564_881) < 5
    result = build_shortlister(real_inputs.providers, costs=real_inputs.costs).shortlist(located, k=10)
    table = result.candidates_frame()
    assert len(table) == 10
    listed = real_inputs.providers.loc[table["provider_id"]]
    # designated for autism, or a special school that publishes no designation (ask it)
    assert listed["designated_needs"].map(lambda needs: "ASD" in needs or not needs).all()
    assert ((listed["age_low"] <= 10) & (listed["age_high"] >= 10)).all()
    assert (table["low_minutes"] <= 45).all()
    assert table["total_score"].is_monotonic_decreasing
    assert table["reasons"].map(len).eq(5).all()
    assert result.candidate_count > 10 and sum(result.exclusion_counts.values()) > 3_000
    # Newcastle's own calibrated costs are used for its children.
    assert (table["placement_cost_gbp"] > 0).all()


def test_an_unknown_small_area_is_an_error(real_inputs):
    from core.errors import PlacewiseError

    child = parse_child({"child_id": "R-2", "home_council": NEWCASTLE, "home_lsoa": "E01999999", "age": 10,
                         "primary_need": "ASD"})
    with pytest.raises(PlacewiseError, match="home_lsoa: unknown area code"):
        locate_child(child, real_inputs)


def test_the_north_east_region_holds_its_twelve_councils(data_dir):
    from core.errors import PlacewiseError
    from geodata.councils import councils_in_region

    north_east = councils_in_region(data_dir, "North East")
    assert len(north_east) == 12 and "E08000021" in north_east and "E06000057" in north_east
    assert councils_in_region(data_dir, "E12000001") == north_east
    with pytest.raises(PlacewiseError, match="not an English region"):
        councils_in_region(data_dir, "Atlantis")
