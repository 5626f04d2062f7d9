"""Scenario files: every mistake gets a clear error naming the line and the field, before any solving."""

import textwrap

import pytest

from core.errors import PlacewiseError
from scenarios.schema import load_scenario

GOOD = """\
name: Test
data: demo
councils: [E06900001, E06900002]
cohort:
  synthetic: true
policy:
  weights: {suitability: 1, travel: 1}
  budget_gbp: 1000000
"""


def write(tmp_path, text, name="scenario.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def error_for(tmp_path, text) -> str:
    with pytest.raises(PlacewiseError) as caught:
        load_scenario(write(tmp_path, text))
    return str(caught.value)


def test_a_good_file_gives_the_policy_it_states(tmp_path):
    scenario = load_scenario(write(tmp_path, GOOD))
    policy = scenario.policy
    assert scenario.data_dir() is None and scenario.councils == ("E06900001", "E06900002")
    assert policy.budget_gbp == 1_000_000 and policy.normalised_weights()["travel"] == 0.5


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD.replace("E06900002", "X123"), "line 3: councils.1: String should match pattern"),
    (GOOD.replace("budget_gbp: 1000000", "budget_gbp: -5"), "line 8: policy.budget_gbp"),
    (GOOD.replace("{suitability: 1, travel: 1}", "{suitability: 0, travel: 0}"), "weights: at least one"),
    (GOOD.replace("synthetic: true", "synthetic: false"), "give either csv"),
    (GOOD + "deltas:\n  - expand: {123: -9000}\n", "deltas.0.expand.123"),
    (GOOD + "deltas:\n  - close: 5\n    expand: {5: 2}\n", "give exactly one of open, close"),
    (GOOD + "colour: blue\n", "line 9: colour: unknown field"),
    (GOOD.replace("name: Test", "name: [unclosed"), "not valid YAML"),
])
def test_mistakes_name_the_line_and_field(tmp_path, text, expected):
    assert expected in error_for(tmp_path, text)


def test_a_what_if_builds_on_its_base_and_adds_deltas(tmp_path):
    write(tmp_path, GOOD + "deltas:\n  - close: 900001\n", "base.yaml")
    what_if = load_scenario(write(tmp_path, "base: base.yaml\nname: What if\ndeltas:\n  - close: 900002\n"))
    assert what_if.name == "What if" and [delta.close for delta in what_if.deltas] == [900001, 900002]
    assert what_if.policy.budget_gbp == 1_000_000


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(PlacewiseError, match="scenario file not found"):
        load_scenario(tmp_path / "nowhere.yaml")


@pytest.mark.parametrize(("policy", "expected"), [
    ("travel_caps_minutes: {primary: 0}", "policy.travel_caps_minutes.primary"),
    ("travel_caps_minutes: {secondary: -10}", "policy.travel_caps_minutes.secondary"),
    ("travel_caps_minutes: {primary: soon}", "policy.travel_caps_minutes.primary"),
    ("travel_cap_percentile: 0", "policy.travel_cap_percentile"),
    ("travel_cap_percentile: 100", "policy.travel_cap_percentile"),
    ("travel_cap_percentile: most", "policy.travel_cap_percentile"),
    ("transport_mode_mix: {shared_route: 0.5}", "policy.transport_mode_mix"),
    ("transport_mode_parts: {helicopter: 3}", "policy.transport_mode_parts"),
])
def test_bad_travel_caps_percentiles_and_transport_options_name_the_field(tmp_path, policy, expected):
    assert expected in error_for(tmp_path, GOOD + f"  {policy}\n")


def test_a_transport_cost_file_naming_an_unknown_council_stops_the_run_naming_the_row(tmp_path):
    from scenarios.run import run_scenario

    (tmp_path / "transport.csv").write_text("council,mode,annual_cost_gbp\nE06999999,shared_route,7000\n")
    scenario = load_scenario(write(tmp_path, GOOD + "transport_costs: transport.csv\n"))
    with pytest.raises(PlacewiseError, match="row\\(s\\) 2: council is not a council of the data"):
        run_scenario(scenario)
