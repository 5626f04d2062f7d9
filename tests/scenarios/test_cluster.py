"""The flow's parts fanned out on Dask reach the same optimum as one process, from the API of the engine and from
``placewise run --scheduler``; a scheduler that does not answer is one clear line, before anything loads."""

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from api.cli import app
from matcher.allocation.capacity import capacities_from_providers
from matcher.allocation.components import part_labels, solve_parts
from matcher.allocation.flow import arc_values
from scenarios.cluster import client_mapper, dask_client
from scenarios.run import run_scenario
from scenarios.schema import load_scenario

DEMO = "scenarios/library/demo.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def demo_run():
    return run_scenario(load_scenario(DEMO))


def test_parts_on_a_local_cluster_match_the_single_process(demo_run):
    table = demo_run.allocation.table
    capacities = capacities_from_providers(demo_run.providers)
    assert len(np.unique(part_labels(table))) > 1  # the demo's candidate graph falls apart
    here, parts_here = solve_parts(table, capacities)
    with dask_client("local", workers=2) as client:
        there, parts_there = solve_parts(table, capacities, client_mapper(client))
    assert parts_here == parts_there > 1
    assert there is not None and here is not None
    values = arc_values(table)
    assert (int(there.sum()), int(values @ there)) == (int(here.sum()), int(values @ here))


def test_run_with_a_local_scheduler_writes_the_same_allocation(tmp_path):
    alone = runner.invoke(app, ["run", DEMO, "--out", str(tmp_path / "alone")])
    assert alone.exit_code == 0, alone.output
    fanned = runner.invoke(app, ["run", DEMO, "--out", str(tmp_path / "dask"), "--scheduler", "local",
                                 "--workers", "2"])
    assert fanned.exit_code == 0, fanned.output
    first, second = (pd.read_csv(tmp_path / name / "allocation.csv") for name in ("alone", "dask"))
    pd.testing.assert_frame_equal(first, second)


def test_a_scheduler_that_does_not_answer_is_one_clear_error(tmp_path):
    result = runner.invoke(app, ["run", DEMO, "--out", str(tmp_path / "x"), "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code != 0
    assert "--scheduler: nothing answered at that address" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()
