"""Every region of England runs, with every council that has children in it: a small share of each cohort, checked
against the rules no placement may break (recounted here from the providers table, not from the rules' codes) and
with the measures of ``scenarios.calibration`` filled in."""

from pathlib import Path

import pandas as pd
import pytest

from geodata.councils import load_council_regions
from scenarios.run import run_scenario
from scenarios.schema import parse_scenario

REGIONS = {"E12000001": "North East", "E12000002": "North West", "E12000003": "Yorkshire and The Humber",
           "E12000004": "East Midlands", "E12000005": "West Midlands", "E12000006": "East of England",
           "E12000007": "London", "E12000008": "South East", "E12000009": "South West"}
SUPPRESSED = {"E06000012", "E10000003", "E10000030"}  # SEN2 suppresses placements by age (two) or need by age
NO_CHILDREN = {"E06000053"}  # the Isles of Scilly: no children in specialist placements, no providers
TINY = {"E09000001"}  # the City of London: a handful of children, none in a 2% share


@pytest.mark.parametrize("region", sorted(REGIONS), ids=lambda code: REGIONS[code])
def test_each_region_runs_with_every_council(data_dir, region):
    regions = load_council_regions(data_dir)
    councils = sorted(regions.index[regions == region])
    run = run_scenario(parse_scenario({"name": REGIONS[region], "data": str(data_dir), "councils": councils,
                                       "cohort": {"synthetic": True, "share": 0.02, "seed": 3}}, Path("region")))
    assert run.kpis["checker_problems"] == 0 and run.kpis["placed"] > 0.9 * run.kpis["children"]
    absent = set(councils) - set(run.cohort["home_council"])
    assert absent <= NO_CHILDREN | TINY
    for council in (SUPPRESSED | absent) & set(councils):  # filled or left out, and said so by name
        assert any(warning.startswith(council) for warning in run.warnings)
    check_placements_keep_the_rules(run)
    truth = run.kpis["truth"]
    assert 0.0 <= truth["per_child_agreement"] <= 1.0 and set(truth["need_mix"]) and "residential" in truth


def check_placements_keep_the_rules(run):
    """No child at an independent mainstream school no council file names; none in Years 12 to 14 at a setting
    without post-16 provision; none needing a residential place at a setting known not to board; every child keeps
    the SEN2 placement type it was drawn from, and a year group within two years of its age."""
    placed = run.allocation.assignments().dropna(subset=["provider_id"]).set_index("child_id")
    settings = run.providers.loc[placed["provider_id"].astype(int)]
    children = run.cohort.loc[placed.index]
    assert settings["provision_named"].astype("boolean").fillna(True).all()
    no_post16 = (settings["post16"].eq(False).fillna(False) | (settings["age_high"] < 17)).to_numpy()
    assert not (children["ncy"].between(12, 14).to_numpy() & no_post16).any()
    boards_not = settings["residential"].eq(False).fillna(False).to_numpy()
    assert not (children["requires_residential"].to_numpy(dtype=bool) & boards_not).any()
    assert run.cohort["drawn_as"].notna().all() and (run.cohort["ncy"] + 4 - run.cohort["age"]).abs().max() <= 2


def test_a_council_whose_plans_halve_is_named_with_its_figures(data_dir):
    from scenarios.sen2_sanity import check_sen2_figures

    warnings = check_sen2_figures(data_dir, ("E09000025", "E09000026"))
    assert warnings == ["E09000025: SEN2 plans changed by -56% in a year (2,705 in January 2024, 1,199 in January "
                        "2025); the run draws from SEN2 as published; check the council's return"]


def test_independent_mainstream_schools_are_support_not_places(real_inputs):
    providers = real_inputs.providers
    unnamed = providers[~providers["provision_named"].astype(bool)]
    assert len(unnamed) > 0 and (unnamed["kind"] == "mainstream").all() and (unnamed["places"] == 0).all()
    assert not bool(providers.loc[110158, "provision_named"])  # Eton College: SEN support, no places
    assert pd.notna(providers["post16"]).mean() > 0.9  # the register reads each setting's phase flags


def test_england_has_nine_regions_of_153_councils(data_dir):
    regions = load_council_regions(data_dir)
    assert set(regions) == set(REGIONS) and len(regions) == 153
