"""Packages and price bands: who can deliver what (derived, or the council's file), the package list's members,
order and reasons, the parents' preference weighed, and value for money and prices against the band."""

import numpy as np
import pandas as pd
import pytest

from core.errors import PlacewiseError
from matcher.costs import default_costs
from matcher.evaluation import build_children, evaluate
from matcher.package_list import package_list
from matcher.packages import Catalogue, capability_table
from matcher.policy import Policy
from matcher.provider_index import build_provider_index
from matcher.shortlist import build_shortlister
from tests.helpers.factories import make_child, make_providers

CATALOGUE = Catalogue.model_validate({"packages": [
    {"id": "IB", "name": "Inclusion base", "needs": ["ASD"], "setting": "mainstream_only", "band": "B1"},
    {"id": "SP", "name": "Specialist", "needs": ["ASD", "SLCN"], "setting": "specialist", "band": "B2"}],
    "bands": [{"band": "B2", "kind": "independent_special", "annual_cost_gbp": 40_000},
              {"band": "B2", "kind": "special_academy", "annual_cost_gbp": 30_000},
              {"band": "B1", "kind": "inclusion_base", "annual_cost_gbp": 12_000}]})


def providers() -> pd.DataFrame:
    return make_providers(
        {"name": "Zeta special", "kind": "special_academy", "places": 90, "easting": 401_000.0},
        {"name": "Alpha independent", "kind": "independent_special", "places": 40, "easting": 402_000.0},
        {"name": "Beta base", "kind": "resourced_provision", "places": 12, "easting": 403_000.0},
        {"name": "Gamma unpublished", "kind": "independent_special", "designated_needs": (), "easting": 404_000.0},
    )


def test_capability_is_derived_from_kind_and_designation_and_a_councils_rows_replace_it():
    table = capability_table(providers(), CATALOGUE)
    assert set(zip(table["provider_id"], table["package"], strict=True)) == {(1, "SP"), (2, "SP"), (3, "IB"), (4, "SP")}
    assert table.set_index("provider_id").loc[1, "places"] == 90  # one package: all its places
    council = pd.DataFrame({"provider_id": [2, 3], "package": ["SP", "SP"], "places": [0, 4]})
    overridden = capability_table(providers(), CATALOGUE, council)
    assert (2, "SP") not in set(zip(overridden["provider_id"], overridden["package"], strict=True))
    assert overridden[(overridden["provider_id"] == 3) & (overridden["package"] == "SP")]["source"].tolist() == [
        "council"]
    with pytest.raises(PlacewiseError, match="rows 2: provider_id not in the register"):
        capability_table(providers(), CATALOGUE, pd.DataFrame({"provider_id": [99], "package": ["SP"], "places": [1]}))


def test_a_catalogue_with_an_unknown_need_or_a_repeated_package_is_refused():
    with pytest.raises(ValueError, match="needs"):
        Catalogue.model_validate({"packages": [{"id": "X", "name": "x", "needs": ["AUTISM"],
                                                "setting": "specialist", "band": "B"}]})
    with pytest.raises(ValueError, match="each id once"):
        Catalogue.model_validate({"packages": [CATALOGUE.packages[0].model_dump()] * 2})


def test_the_package_list_holds_who_can_deliver_in_a_stable_order_with_reasons_and_weighs_the_preference():
    table = providers()
    capability = capability_table(table, CATALOGUE, pd.DataFrame({"provider_id": [4], "package": ["SP"],
                                                                  "places": [0]}))
    shortlister = build_shortlister(table, costs=default_costs().with_catalogue(CATALOGUE))
    child = make_child(packages=("SP",), preferences=(2,))
    answer = package_list(shortlister, child, CATALOGUE, capability, k=3)
    assert [entry["name"] for entry in answer["settings"]] == ["Alpha independent", "Zeta special"]
    assert all(entry["reason"].startswith("On the list because it can deliver Specialist") for entry in
               answer["settings"])
    assert [row["provider_id"] for row in answer["not_listed"]] == [3, 4]  # nearest first
    assert all("cannot deliver Specialist" in row["reason"] for row in answer["not_listed"])
    [wish] = answer["preferences"]
    alpha, zeta = answer["settings"]
    assert wish["alternative_id"] == 1 and wish["extra_cost_gbp"] == alpha["annual_cost_gbp"] - zeta["annual_cost_gbp"]
    assert wish["efficient_use"] is (wish["extra_cost_gbp"] <= 5_000)
    assert alpha["price_band_gbp"] == 40_000 and alpha["within_price_band"] is False
    assert len(answer["shortlist"]["candidates"]) == 3
    with pytest.raises(PlacewiseError, match="packages: NOPE not in the packages catalogue"):
        package_list(shortlister, make_child(packages=("NOPE",)), CATALOGUE, capability)


def test_value_for_money_is_judged_against_the_band_and_the_cap_prices_no_place_above_it():
    index = build_provider_index(providers())
    policy = Policy()
    children = build_children([make_child(packages=("SP",)), make_child(child_id="C2")], policy)
    child, provider = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    plain = evaluate(children, index, policy, _no_travel(), default_costs().with_catalogue(CATALOGUE), child, provider)
    assert plain.price_band.tolist() == [True, True, False, False]  # only a child given a package
    assert plain.band_gbp[1] == pytest.approx(40_000 + plain.transport_cost_gbp[1])
    capped = evaluate(children, index, policy, _no_travel(), default_costs().with_catalogue(CATALOGUE, True), child,
                      provider)
    assert capped.placement_cost_gbp[1] == 40_000 < plain.placement_cost_gbp[1]
    assert capped.placement_cost_gbp[3] == 40_000  # no package: priced at its need's package


def _no_travel():
    from matcher.travel.straight_line import StraightLineTravel

    return StraightLineTravel()


def test_a_setting_whose_places_are_not_known_can_deliver_with_none_shared_out():
    unknown = providers().astype({"places": "Int64"})
    unknown.loc[1, "places"] = pd.NA  # the register's nullable places, as the real data has them
    table = capability_table(unknown, CATALOGUE).set_index("provider_id")
    assert table.loc[1, "package"] == "SP" and table.loc[1, "places"] == 0
    assert table.loc[2, "places"] == 40
