"""The library's scenarios say what each one does: a description of its own, never its base's, and none claims
straight-line travel (runs use the national travel model, or roads where a scenario names them)."""

from pathlib import Path

import pytest

from scenarios.schema import load_scenario

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios" / "library"
FILES = sorted(LIBRARY.glob("*.yaml"))


def test_every_library_scenario_has_a_description_of_its_own():
    descriptions = {path.name: " ".join(load_scenario(path).description.split()) for path in FILES}
    assert all(len(words) > 40 for words in descriptions.values()), descriptions
    assert len(set(descriptions.values())) == len(descriptions), "two scenarios share a description"


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_no_description_claims_straight_line_travel(path):
    scenario = load_scenario(path)
    if scenario.roads is None:
        assert "straight-line" not in scenario.description.lower()
        assert "straight line" not in scenario.description.lower()
