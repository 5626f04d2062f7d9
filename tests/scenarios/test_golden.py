"""The demo's main job gives the same allocation and KPIs as the files in ``expected/``, byte for byte apart from
timings: a change that moves a child or a figure must say so by changing these files in the same commit."""

import json
from pathlib import Path

from scenarios.run import run_scenario, write_run
from scenarios.schema import load_scenario

EXPECTED = Path(__file__).resolve().parent / "expected"
DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "library" / "demo.yaml"


def without_timings(kpis: dict) -> dict:
    return {**kpis, "solver": {key: value for key, value in kpis["solver"].items() if key != "wall_seconds"}}


def test_the_demo_run_is_unchanged(tmp_path):
    write_run(run_scenario(load_scenario(DEMO)), tmp_path)
    assert (tmp_path / "allocation.csv").read_bytes() == (EXPECTED / "demo_allocation.csv").read_bytes()
    kpis = without_timings(json.loads((tmp_path / "kpis.json").read_text()))
    assert kpis == json.loads((EXPECTED / "demo_kpis.json").read_text())
