"""A plan's required sites: named in the scenario or marked in the candidate sites file; unknown ones refused."""

import pandas as pd
import pytest

from core.errors import PlacewiseError
from matcher.costs import default_costs
from scenarios.planning_run import mark_required, read_candidate_sites
from scenarios.schema import PlanSpec

SITES = "site_id,easting,northing,places,fixed_cost_gbp,required\nA,420000,560000,12,150000,yes\nB,421000,561000,8,0,\n"


def test_a_candidate_file_marks_required_sites_and_the_plan_adds_its_own(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(SITES, encoding="utf-8")
    sites = read_candidate_sites(path, PlanSpec(), default_costs())
    assert sites["required"].tolist() == [True, False]
    assert mark_required(sites, ("B",))["required"].tolist() == [True, True]


def test_a_bad_required_value_and_an_unknown_required_site_are_named(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(SITES.replace("12,150000,yes", "12,150000,maybe"), encoding="utf-8")
    with pytest.raises(PlacewiseError, match="row 2: required: give yes or no"):
        read_candidate_sites(path, PlanSpec(), default_costs())
    with pytest.raises(PlacewiseError, match="plan.required_sites: Z not among the candidate sites"):
        mark_required(pd.DataFrame({"places": [1]}, index=pd.Index(["A"], name="site_id")), ("Z",))
