"""Scenario runs on the embedded demo: deltas, cohorts from CSV, bad input, results that pass the checker."""

import json
import textwrap

import pandas as pd
import pytest
from typer.testing import CliRunner

from api.cli import app
from core.errors import PlacewiseError
from scenarios.run import run_scenario, write_run
from scenarios.schema import load_scenario

runner = CliRunner()
BASE = """\
name: Demo test
data: demo
councils: [E06900001, E06900002, E06900003]
cohort:
  synthetic: true
"""


def scenario(tmp_path, extra="", base=BASE):
    path = tmp_path / "scenario.yaml"
    path.write_text(base + textwrap.dedent(extra))
    return load_scenario(path)


def test_the_demo_runs_and_every_child_is_placed_or_given_a_reason(tmp_path):
    run = run_scenario(scenario(tmp_path))
    kpis = run.kpis
    assert kpis["checker_problems"] == 0 and kpis["solver"]["status"] == "optimal"
    assert kpis["placed"] + kpis["unplaced"] == kpis["children"] == len(run.cohort)
    assert set(run.allocation.unplaced["reason"]) <= {"no_candidate", "capacity"}
    assert run.allocation.unplaced["detail"].str.len().gt(20).all()
    files = write_run(run, tmp_path / "out")
    assert {path.name for path in files} == {"allocation.csv", "unplaced.csv", "providers.csv", "kpis.json",
                                            "fairness.csv", "scenario.json"}
    written = pd.read_csv(tmp_path / "out" / "allocation.csv")
    assert len(written) == kpis["children"] and written["provider_id"].notna().sum() == kpis["placed"]


def test_free_places_only_leaves_children_unplaced_for_capacity(tmp_path):
    run = run_scenario(scenario(tmp_path, "capacity: vacancies\n"))
    reasons = run.allocation.unplaced["reason"].value_counts()
    assert reasons.get("capacity", 0) > 0 and run.kpis["checker_problems"] == 0
    assert run.allocation.unplaced.query("reason == 'capacity'")["detail"].str.contains("full").all()


def test_closing_a_provider_moves_its_children_and_opening_one_fills_it(tmp_path):
    base = run_scenario(scenario(tmp_path)).allocation.assignments()
    busiest = int(base["provider_id"].value_counts().index[0])
    closed = run_scenario(scenario(tmp_path, f"deltas:\n  - close: {busiest}\n")).allocation.assignments()
    assert busiest not in set(closed["provider_id"].dropna().astype(int))
    opened = run_scenario(scenario(tmp_path, """\
        deltas:
          - open: {provider_id: 999001, name: New school, kind: special_maintained, host_council: E06900002,
                   easting: 440000, northing: 570000, designated_needs: [ASD, SLCN, SEMH, MLD, SPLD],
                   age_low: 4, age_high: 19, places: 300}
        """)).allocation.assignments()
    assert (opened["provider_id"] == 999001).sum() > 0


def test_a_budget_is_kept_and_the_children_it_cannot_afford_say_so(tmp_path):
    free = run_scenario(scenario(tmp_path)).kpis
    budget = 0.8 * free["annual_cost_gbp"]
    run = run_scenario(scenario(tmp_path, f"policy:\n  budget_gbp: {budget}\n"))
    assert run.kpis["checker_problems"] == 0 and run.kpis["annual_cost_gbp"] <= budget + run.kpis["placed"]
    assert run.kpis["solver"]["method"] == "lagrangian" and 0.7 * free["placed"] < run.kpis["placed"] < free["placed"]
    assert run.kpis["solver"]["status"] in ("optimal", "feasible") and run.kpis["solver"]["gap"] < 0.005
    assert (run.allocation.unplaced["reason"] == "budget").sum() > 0


def test_demand_growth_adds_children_of_that_need(tmp_path):
    base = run_scenario(scenario(tmp_path)).cohort
    grown = run_scenario(scenario(tmp_path, "deltas:\n  - demand_growth: {ASD: 0.5}\n")).cohort
    asd = (base["primary_need"] == "ASD").sum()
    assert (grown["primary_need"] == "ASD").sum() == asd + round(0.5 * asd)
    assert grown.index.is_unique


@pytest.mark.parametrize(("extra", "expected"), [
    ("deltas:\n  - close: 123\n", "deltas[0].close: provider 123 is not in the register"),
    ("deltas:\n  - add_places: {provider_id: 5, need: ASD, places: 3}\n", "deltas[0].add_places: provider 5"),
])
def test_unknown_providers_in_deltas_are_named(tmp_path, extra, expected):
    with pytest.raises(PlacewiseError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        run_scenario(scenario(tmp_path, extra))


def test_an_unknown_council_is_named(tmp_path):
    with pytest.raises(PlacewiseError, match="E06000047 not among the demo's councils"):
        run_scenario(scenario(tmp_path, base=BASE.replace("E06900003", "E06000047")))


def cohort_csv(tmp_path, rows):
    path = tmp_path / "children.csv"
    header = "child_id,home_council,easting,northing,age,primary_need,secondary_needs\n"
    path.write_text(header + "".join(row + "\n" for row in rows))
    return path


def csv_scenario(tmp_path, rows):
    cohort_csv(tmp_path, rows)
    return scenario(tmp_path, base=BASE.replace("synthetic: true", "csv: children.csv"))


def test_a_cohort_csv_is_allocated(tmp_path):
    run = run_scenario(csv_scenario(tmp_path, ["A1,E06900001,415000,565000,9,ASD,SLCN;SEMH",
                                               "A2,E06900002,435000,565000,12,SEMH,"]))
    assert run.kpis["children"] == 2 and run.kpis["checker_problems"] == 0


def test_a_bad_cohort_csv_names_rows_and_fields_and_never_the_values(tmp_path):
    with pytest.raises(PlacewiseError) as caught:
        run_scenario(csv_scenario(tmp_path, ["A1,E06900001,415000,565000,9,ASD,",
                                             "A1,E06900001,415000,565000,9,ASD,",
                                             "A3,E06900001,415000,565000,9,DYSLEXIA-SECRET,"]))
    message = str(caught.value)
    assert "row 3: child_id: repeats the id of row 2" in message
    assert "row 4: primary_need: unknown need code" in message and "DYSLEXIA-SECRET" not in message
    assert "nothing was loaded" in message


def test_an_empty_cohort_is_refused(tmp_path):
    with pytest.raises(PlacewiseError, match="no children"):
        run_scenario(csv_scenario(tmp_path, []))


def test_run_and_compare_from_the_command_line(tmp_path):
    first = tmp_path / "first.yaml"
    first.write_text(BASE)
    second = tmp_path / "second.yaml"
    second.write_text("base: first.yaml\nname: Fewer places\ncapacity: vacancies\n")
    for name in ("first", "second"):
        result = runner.invoke(app, ["run", str(tmp_path / f"{name}.yaml"), "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert "<h1>Fewer places</h1>" in (tmp_path / "second" / "report.html").read_text()
    result = runner.invoke(app, ["compare", str(tmp_path / "first"), str(tmp_path / "second")])
    assert result.exit_code == 0 and "placed" in result.output
    placed = [json.loads((tmp_path / name / "kpis.json").read_text())["placed"] for name in ("first", "second")]
    assert f"{placed[1] - placed[0]:+,}" in result.output


def test_a_bad_scenario_on_the_command_line_is_one_clear_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BASE.replace("E06900002", "E0690000"))
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "line 3: councils.1" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_child_staying_put_holds_its_own_place_not_a_free_one(tmp_path):
    providers = run_scenario(scenario(tmp_path, "capacity: vacancies\n")).providers
    full = int(providers.index[providers["vacancies"].fillna(0).astype(int) == 0][0])
    row = providers.loc[full]
    need = row["designated_needs"][0]
    cohort_csv(tmp_path, [f"S1,{row['host_council']},{row['easting']},{row['northing']},{row['age_low'] + 1},"
                          f"{need},"])
    (tmp_path / "children.csv").write_text((tmp_path / "children.csv").read_text().replace(
        "secondary_needs\n", "secondary_needs,current_provider_id\n").replace(f",{need},\n", f",{need},,{full}\n"))
    run = run_scenario(scenario(tmp_path, "capacity: vacancies\n",
                                base=BASE.replace("synthetic: true", "csv: children.csv")))
    rows = run.allocation.assignments()
    assert rows.loc[0, "provider_id"] == full and rows.loc[0, "note"] == "stays in the current setting"
    assert run.kpis["checker_problems"] == 0


def test_two_growths_give_new_children_unique_ids_and_no_current_setting(tmp_path):
    run = run_scenario(scenario(tmp_path, "deltas:\n  - demand_growth: {ASD: 1.0}\n  - demand_growth: {ASD: 0.5}\n"))
    assert run.cohort.index.is_unique and run.kpis["checker_problems"] == 0
    grown = run.cohort[run.cohort.index.str.contains("-G")]
    assert len(grown) > 0 and ("current_provider_id" not in grown or grown["current_provider_id"].isna().all())


@pytest.mark.parametrize(("text", "expected"), [
    ("deltas:\n  - close: true\n", "deltas.0.close: Input should be a valid integer"),
    ("deltas:\n  - open: {provider_id: 9, name: X, kind: special_academy, host_council: E06900001, easting: 1, "
     "northing: 1, designated_needs: [ASD], age_low: 4, age_high: 11, places: 10}\n", "must lie in England"),
])
def test_odd_deltas_are_refused_by_the_schema(tmp_path, text, expected):
    with pytest.raises(PlacewiseError, match=expected):
        scenario(tmp_path, text)


def test_councils_are_named_once(tmp_path):
    with pytest.raises(PlacewiseError, match="name each council once"):
        scenario(tmp_path, base=BASE.replace("E06900003", "E06900002"))


def test_run_files_escape_cells_a_spreadsheet_would_read_as_formulas(tmp_path):
    run = run_scenario(csv_scenario(tmp_path, ["-A1-B1,E06900001,415000,565000,9,ASD,",
                                               "A2,E06900002,435000,565000,12,SEMH,"]))
    write_run(run, tmp_path / "out")
    for name in ("allocation.csv", "unplaced.csv", "providers.csv"):
        text = (tmp_path / "out" / name).read_text()
        cells = [cell for line in text.splitlines() for cell in line.split(",")]
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r") or
                    (cell.startswith("-") and not cell[1:2].isdigit())], name
    assert "'-A1-B1" in (tmp_path / "out" / "allocation.csv").read_text()
