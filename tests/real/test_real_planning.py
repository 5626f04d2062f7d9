"""The North East plan for PMLD, MSI, VI and HI on the real data, and a small sweep on Dask."""

from pathlib import Path

import pytest

from core.errors import PlacewiseError
from scenarios.planning_run import run_plan
from scenarios.schema import load_scenario
from scenarios.sweep import run_sweep

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios" / "library"


def north_east_plan(data_dir, **sweep):
    scenario = load_scenario(LIBRARY / "north-east-plan.yaml")
    scenario = scenario.model_copy(update={"data": str(data_dir)})
    if sweep:
        assert scenario.sweep is not None
        scenario = scenario.model_copy(update={"sweep": scenario.sweep.model_copy(update=sweep)})
    return scenario


def test_the_plan_saves_against_nothing_new_and_keeps_its_limits(data_dir):
    run = run_plan(north_east_plan(data_dir))
    plan, spec = run.plan, run.scenario.plan
    assert spec is not None and 0 < len(plan.sites) <= spec.max_sites
    assert plan.saving_gbp > 0 and plan.fallback_children < plan.baseline_fallback_children
    assert plan.placed_locally + plan.fallback_children == run.instance.demand["children"].sum()
    assert (plan.flows["travel_minutes"] <= spec.cap_minutes + 1e-9).all()
    opened = plan.flows[plan.flows["kind"] == "site"].groupby("facility_id")["children"].sum()
    assert (opened <= spec.places_per_site).all() and set(opened.index) <= set(plan.sites)


def test_a_sweep_on_dask_gives_the_same_table_as_one_after_another(data_dir):
    scenario = north_east_plan(data_dir, draws=2, max_sites=(2,), cap_minutes=(60.0,))
    on_dask = run_sweep(scenario, workers=2)
    in_turn = run_sweep(scenario, sequential=True)
    assert len(on_dask.variants) == 2 and on_dask.workers == 2
    columns = ["variant", "children", "sites", "total_cost_gbp", "fallback_children"]
    assert on_dask.variants[columns].equals(in_turn.variants[columns])
    assert (on_dask.site_frequency <= 1).all() and on_dask.site_frequency.max() > 0


def test_a_scheduler_that_does_not_answer_is_a_clear_error(data_dir):
    with pytest.raises(PlacewiseError, match="nothing answered"):
        run_sweep(north_east_plan(data_dir, draws=1, max_sites=(1,), cap_minutes=(60.0,)), "tcp://127.0.0.1:9")


def test_a_million_variants_is_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(f"base: {LIBRARY / 'north-east-plan.yaml'}\nsweep:\n  draws: 10000\n  max_sites: [1, 2, 3, 4, 5]\n"
                    "  cap_minutes: [30, 45, 60, 75, 90, 120, 150, 180, 200, 240]\n")
    with pytest.raises(PlacewiseError, match="500,000 variants; at most 10,000"):
        load_scenario(path)


def test_own_candidate_sites_are_read_and_a_site_without_coordinates_is_named(data_dir, tmp_path):
    (tmp_path / "sites.csv").write_text("site_id,easting,northing,places,fixed_cost_gbp\n"
                                        "Gateshead hub,425000,562000,20,120000\nTees hub,445000,518000,20,120000\n")
    base = north_east_plan(data_dir)
    assert base.plan is not None
    scenario = base.model_copy(update={"base_dir": tmp_path, "plan": base.plan.model_copy(
        update={"candidate_sites": Path("sites.csv")})})
    run = run_plan(scenario)
    assert set(run.plan.sites) <= {"Gateshead hub", "Tees hub"} and list(run.instance.sites.index) == [
        "Gateshead hub", "Tees hub"]
    (tmp_path / "sites.csv").write_text("site_id,easting,northing,places,fixed_cost_gbp\nNowhere,,,20,1000\n")
    with pytest.raises(PlacewiseError, match="sites.csv row 2: easting: give a finite number"):
        run_plan(scenario)
    (tmp_path / "sites.csv").write_text("site_id,easting,northing,places,fixed_cost_gbp\nHalf,425000,562000,2.5,1\n")
    with pytest.raises(PlacewiseError, match="row 2: places: .*a whole number"):
        run_plan(scenario)


def test_inclusion_bases_are_proposed_at_mainstream_secondary_schools(data_dir):
    from geodata.mainstream import load_mainstream_secondaries

    scenario = load_scenario(LIBRARY / "north-east-bases.yaml").model_copy(update={"data": str(data_dir)})
    run = run_plan(scenario)
    schools = load_mainstream_secondaries(data_dir)
    urns = {int(site.split("-")[0]) for site in run.plan.sites}
    assert run.plan.sites and all(site.endswith("-base") for site in run.plan.sites)
    assert urns <= set(schools.index) and set(schools.loc[sorted(urns), "council"]) <= set(scenario.councils)
    assert (run.instance.sites["kind"] == "inclusion_base").all() and run.plan.saving_gbp > 0
