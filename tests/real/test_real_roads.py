"""Rutland's real road network: the graph, travel tables, the calibrated straight line, road shortlists."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from api.cli import app
from geodata.roads import load_road_graph
from matcher.travel.straight_line import CALIBRATED_STRAIGHT_LINE
from scenarios.travel_fit import fit_on_council

RUTLAND = "E06000017"
runner = CliRunner()


@pytest.fixture(scope="module")
def rutland_pbf(data_dir):
    return data_dir / "roads" / "rutland-latest.osm.pbf"


@pytest.fixture(scope="module")
def graph(rutland_pbf, tmp_path_factory):
    return load_road_graph(rutland_pbf, tmp_path_factory.mktemp("cache"))


def test_rutland_graph_is_one_strongly_connected_drivable_network(graph):
    assert 20_000 < graph.n_nodes < 40_000 and len(graph.tails) > graph.n_nodes
    speeds = graph.metres / graph.seconds * 3.6
    assert 5 < np.median(speeds) < 90 and speeds.max() < 112.7  # never above the 70 mph limit


def test_the_calibrated_straight_line_is_the_fit_on_rutland(graph, data_dir, real_inputs):
    fit = fit_on_council(data_dir, graph, RUTLAND, real_inputs.providers)
    assert len(fit.areas) >= 20 and fit.errors["pairs"] > 100
    assert fit.model.circuity == pytest.approx(CALIBRATED_STRAIGHT_LINE.circuity, abs=0.01)
    assert fit.model.speed_kmh == pytest.approx(CALIBRATED_STRAIGHT_LINE.speed_kmh, abs=0.5)
    assert fit.errors["median_abs_error_minutes"] < 3 and fit.errors["p90_abs_error_minutes"] < 8
    assert (fit.road["travel_minutes"] > 0).all() and (fit.road["travel_minutes"] <= 90).all()


def test_a_shortlist_in_rutland_uses_road_minutes(rutland_pbf, data_dir, tmp_path):
    child = {"child_id": "R-1", "home_council": RUTLAND, "home_lsoa": "E01013787", "age": 10,
             "primary_need": "ASD"}
    path = tmp_path / "child.json"
    path.write_text(json.dumps(child))
    answers = {}
    for label, extra in (("road", ["--roads", str(rutland_pbf)]), ("straight", [])):
        result = runner.invoke(app, ["shortlist", "--data", str(data_dir), "--child", str(path), "-k", "5",
                                     "--json", *extra])
        assert result.exit_code == 0, result.output
        answers[label] = json.loads(result.stdout)
    assert answers["road"]["travel_model"] == "road network (rutland-latest.osm.pbf)"
    road = {row["provider_id"]: row["travel_minutes"] for row in answers["road"]["candidates"]}
    straight = {row["provider_id"]: row["travel_minutes"] for row in answers["straight"]["candidates"]}
    shared = set(road) & set(straight)
    assert shared and any(abs(road[p] - straight[p]) > 0.5 for p in shared)
    assert all(minutes > 0 for minutes in road.values())


def test_a_rutland_scenario_allocates_on_the_road_network(rutland_pbf, data_dir, tmp_path):
    from scenarios.run import run_scenario
    from scenarios.schema import load_scenario

    text = (f"name: Rutland by road\ndata: {data_dir}\ncouncils: [{RUTLAND}]\ncohort: {{synthetic: true}}\n"
            "providers: within_reach\n")
    (tmp_path / "straight.yaml").write_text(text)
    (tmp_path / "road.yaml").write_text(text + f"roads: {rutland_pbf}\n")
    runs = {name: run_scenario(load_scenario(tmp_path / f"{name}.yaml")) for name in ("road", "straight")}
    assert runs["road"].kpis["travel_model"] == "road network (rutland-latest.osm.pbf)"
    assert runs["straight"].kpis["travel_model"] == (
        "national travel model (distance, density and routed journeys from each end)")
    for run in runs.values():
        assert run.kpis["checker_problems"] == 0 and run.kpis["placed"] > 0
    assert runs["road"].kpis["travel_minutes_mean"] != pytest.approx(runs["straight"].kpis["travel_minutes_mean"])
