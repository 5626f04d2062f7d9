"""The baseline on the demo: a child whose setting today breaks a hard rule moves, and the reason says so; a child
whose setting suits stays; today's figures sit beside the proposed on the same children, in the files and report."""

import html

import pytest

from scenarios.reports.run_report import write_report
from scenarios.run import run_scenario, write_run
from scenarios.schema import load_scenario
from tests.helpers.samples import DEMO

COHORT = """child_id,home_council,easting,northing,age,primary_need,sex,current_provider_id,current_kind
T-MOVES,E06900001,418000,566000,9,ASD,F,900001,special_maintained
T-STAYS,E06900001,418000,566000,9,ASD,M,900002,special_academy
T-NEW,E06900001,418000,566000,9,ASD,M,,
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("baseline")
    (folder / "cohort.csv").write_text(COHORT, encoding="utf-8")
    scenario = load_scenario(DEMO)
    scenario = scenario.model_copy(update={"cohort": scenario.cohort.model_copy(update={
        "csv": folder / "cohort.csv", "synthetic": False})})
    return run_scenario(scenario), folder


def test_a_setting_that_breaks_a_rule_today_is_left_and_the_reason_given(run):
    result, _ = run
    rows = result.baseline.set_index("child_id")
    assert list(rows.index) == ["T-MOVES", "T-STAYS"]  # a child with no setting today has no baseline
    moves, stays = rows.loc["T-MOVES"], rows.loc["T-STAYS"]
    assert (moves["as_is_breaks"], moves["decision"], stays["as_is_breaks"], stays["decision"]) == (
        "need_not_designated", "moves", "", "stays")
    assert moves["why"].startswith("moves: today's setting is not designated for the child's primary need")
    assert stays["proposed_provider_id"] == 900002 and stays["why"] == "stays in today's setting"
    assert stays["as_is_total_score"] == pytest.approx(stays["proposed_total_score"], abs=1e-9)


def test_today_and_proposed_figures_are_side_by_side(run):
    result, folder = run
    summary = result.kpis["baseline"]
    assert (summary["children"], summary["not_in_register"], summary["decisions"], summary["as_is_breaks"]) == (
        2, 1, {"moves": 1, "stays": 1}, {"need_not_designated": 1})
    frame = result.baseline
    assert summary["as_is"]["annual_cost_gbp"] == pytest.approx(frame["as_is_annual_cost_gbp"].sum(), rel=1e-9)
    assert summary["proposed"]["annual_cost_gbp"] == pytest.approx(frame["proposed_annual_cost_gbp"].sum(), rel=1e-9)
    written = write_run(result, folder / "out")
    assert folder / "out" / "baseline.csv" in written
    report = html.unescape(write_report(result, folder / "out" / "report.html").read_text(encoding="utf-8"))
    assert "Today's placements (as is) against the proposed" in report
    assert "1 children: today's setting is not designated for the child's primary need" in report
