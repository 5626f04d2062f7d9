"""Every region of England runs, with every council that has children in it: a small share of each cohort."""

from pathlib import Path

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


def test_england_has_nine_regions_of_153_councils(data_dir):
    regions = load_council_regions(data_dir)
    assert set(regions) == set(REGIONS) and len(regions) == 153
