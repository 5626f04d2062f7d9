"""The demo's main job gives the same allocation and KPIs as the files in ``expected/``: a change that moves a child
or a figure must say so by changing these files in the same commit.

Assignments (who is placed where, every text cell) are compared exactly. Figures are compared with a stated
tolerance: one unit of the output contract's precision (0.1 minute or km, £1, 0.001 of a score or share), since
another CPU may round a journey's 16th digit differently and so land a figure on the other side of a half-unit.
"""

import json
import math

import pandas as pd

from matcher.precision import decimals_for
from scenarios.run import run_scenario, write_run
from scenarios.schema import load_scenario
from tests.helpers.samples import DEMO

EXPECTED = DEMO.parents[2] / "tests" / "scenarios" / "expected"
TEXT_COLUMNS = ["child_id", "home_council", "primary_need", "provider_id", "provider_name", "kind", "host_council",
                "uncertain_journey", "note"]


def tolerance(name: str) -> float:
    """One unit of the figure's output precision; 1e-9 relative for figures without a unit in their name."""
    places = decimals_for(name)
    return 10.0 ** -places if places is not None else 0.0


def assert_figures_close(found: object, expected: object, name: str = "") -> None:
    """The same shape and text, and every number within its tolerance (named by its path when not)."""
    if isinstance(expected, dict):
        assert isinstance(found, dict) and set(found) == set(expected), name
        for key in expected:
            assert_figures_close(found[key], expected[key], f"{name}.{key}".strip("."))
    elif isinstance(expected, int | float) and not isinstance(expected, bool):
        assert isinstance(found, int | float), name
        assert math.isclose(found, expected, rel_tol=1e-9, abs_tol=tolerance(name.split(".")[-1])), \
            f"{name}: {found} against {expected}"
    else:
        assert found == expected, name


def without_timings(kpis: dict) -> dict:
    return {**kpis, "solver": {key: value for key, value in kpis["solver"].items() if key != "wall_seconds"}}


def test_the_demo_run_is_unchanged(tmp_path):
    write_run(run_scenario(load_scenario(DEMO)), tmp_path)
    found = pd.read_csv(tmp_path / "allocation.csv", dtype=str, keep_default_na=False)
    expected = pd.read_csv(EXPECTED / "demo_allocation.csv", dtype=str, keep_default_na=False)
    assert list(found.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(found[TEXT_COLUMNS], expected[TEXT_COLUMNS])  # the assignments, exactly
    for column in sorted(set(expected.columns) - set(TEXT_COLUMNS)):
        got, want = pd.to_numeric(found[column]), pd.to_numeric(expected[column])
        assert (got.isna() == want.isna()).all(), column
        assert ((got - want).abs().fillna(0) <= tolerance(column) + 1e-9).all(), column
    kpis = without_timings(json.loads((tmp_path / "kpis.json").read_text()))
    assert_figures_close(kpis, json.loads((EXPECTED / "demo_kpis.json").read_text()))


def test_the_check_finds_a_figure_beyond_its_tolerance():
    assert_figures_close({"travel_minutes_mean": 13.4}, {"travel_minutes_mean": 13.5})
    try:
        assert_figures_close({"travel_minutes_mean": 13.3}, {"travel_minutes_mean": 13.5})
    except AssertionError as error:
        assert "travel_minutes_mean" in str(error)
    else:
        raise AssertionError("a figure 0.2 minute off passed a 0.1-minute tolerance")
