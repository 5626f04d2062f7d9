"""The North East scenario and its what-ifs on the real register, SEN2 counts and costs."""


import pytest

from geodata.sen2 import load_specialist_by_age
from scenarios.run import run_scenario
from scenarios.schema import load_scenario
from tests.helpers.samples import LIBRARY


def north_east(data_dir, name="north-east"):
    scenario = load_scenario(LIBRARY / f"{name}.yaml")
    return run_scenario(scenario.model_copy(update={"data": str(data_dir)}))


@pytest.fixture(scope="module")
def base_run(data_dir):
    return north_east(data_dir)


def test_the_cohort_matches_sen2_specialist_counts(base_run, data_dir):
    counts = load_specialist_by_age(data_dir)
    expected = counts[counts["council"].isin(base_run.scenario.councils) & counts["age"].between(4, 18)]
    assert len(base_run.cohort) == int(expected["count"].sum())
    by_type = base_run.cohort["placement_type"].value_counts()
    assert by_type["independent_special"] == int(expected.query("placement_type == 'independent_special'")["count"]
                                                  .sum())


def test_north_east_allocation_is_optimal_checked_and_explained(base_run):
    kpis = base_run.kpis
    assert kpis["solver"]["status"] == "optimal" and kpis["checker_problems"] == 0
    # the real system places them all; with the cap held on the central estimate (issue 22), 97.9% are placed
    # within it, the rest unplaced for lack of a place within reach, or of any suitable setting within the cap
    assert kpis["placed"] >= 0.97 * kpis["children"]
    assert set(base_run.allocation.unplaced["reason"]) <= {"no_candidate", "no_candidate_within_cap", "capacity"}
    providers = base_run.providers
    inside = providers["host_council"].isin(base_run.scenario.councils)
    assert (inside != providers["beyond_sub_region"]).all()  # beyond the sub-region only where marked so
    assert providers.loc[~inside, "kind"].isin(["independent_special", "non_maintained_special",
                                                "special_maintained", "special_academy"]).all()
    rows = {row["group"]: row for row in kpis["calibration"]["rows"]}
    assert set(rows) == {"independent_and_non_maintained_special", "state_special",
                         "mainstream_with_resourced_provision_and_units", "other_settings", "unplaced"}
    assert sum(row["run_share"] for row in rows.values()) == pytest.approx(1.0)
    assert sum(row["sen2_share"] for row in rows.values()) == pytest.approx(1.0)
    for group in ("independent_and_non_maintained_special", "state_special",
                  "mainstream_with_resourced_provision_and_units"):  # within 3 points of SEN2 for the same children
        assert abs(rows[group]["difference_points"]) <= 3.0, rows[group]


def test_a_new_school_takes_children_and_lowers_the_cost_of_a_placed_child(base_run, data_dir):
    what_if = north_east(data_dir, "north-east-new-school")
    assert what_if.kpis["checker_problems"] == 0
    assert base_run.kpis["placed"] <= what_if.kpis["placed"] <= base_run.kpis["placed"] + 40
    assert 0 < (what_if.allocation.assignments()["provider_id"] == 990001).sum() <= 40
    # with the cap held on the central estimate some children wait for a place within reach, and the new school
    # places some of them: the whole cost may rise with the children placed, but a placed child costs less
    assert (what_if.kpis["annual_cost_gbp"] / what_if.kpis["placed"]
            < base_run.kpis["annual_cost_gbp"] / base_run.kpis["placed"])
