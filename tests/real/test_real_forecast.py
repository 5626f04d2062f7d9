"""Forecasts on the real SEN2 series: the 2025 backtest, and forecasts that add up."""

from pathlib import Path

import pytest

from core.errors import PlacewiseError
from geodata.sen2 import load_plan_series
from scenarios.forecast import backtest, forecast_plans

NORTH_EAST = ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005", "E06000047", "E06000057",
              "E08000021", "E08000022", "E08000023", "E08000024", "E08000037"]


def test_the_2025_backtest_is_close_nationally_and_by_council(data_dir):
    table = backtest(load_plan_series(data_dir), 2025)
    national = (table["plans"].sum() - table["actual"].sum()) / table["actual"].sum()
    assert abs(national) < 0.03 and table["abs_pct_error"].median() < 8
    assert set(NORTH_EAST) <= set(table["council"]) and 0.5 < table["in80"].mean() < 0.95


def test_forecasts_by_age_and_need_add_up_to_the_council_totals(data_dir):
    forecast = forecast_plans(data_dir, 3, NORTH_EAST)
    totals = forecast.totals.set_index(["council", "year"])["plans"]
    detail = forecast.detail.groupby(["council", "year"])["plans"].sum()
    assert detail.reindex(totals.index).to_numpy() == pytest.approx(totals.to_numpy(), rel=0.02)
    assert set(forecast.detail["year"]) == {2025, 2026, 2027, 2028} and set(forecast.detail["need"]) >= {"PMLD",
                                                                                                         "MSI"}
    now = forecast.totals[forecast.totals["year"] == 2025].set_index("council")["plans"]
    assert now.to_dict() == load_plan_series(data_dir).loc[NORTH_EAST, 2025].to_dict()  # starts from the count


def test_unknown_councils_and_needs_are_named(data_dir):
    with pytest.raises(PlacewiseError, match="E06999999 not in the SEN2 data"):
        forecast_plans(data_dir, 1, ["E06999999"])
    with pytest.raises(PlacewiseError, match="unknown need codes XYZ"):
        forecast_plans(data_dir, 1, NORTH_EAST, ["XYZ"])


def test_the_forecast_and_plan_commands_write_their_reports(data_dir, tmp_path):
    from typer.testing import CliRunner

    from api.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["forecast", "--data", str(data_dir), "--region", "North East", "--horizon", "2",
                                 "--out", str(tmp_path / "forecast")])
    assert result.exit_code == 0, result.output
    assert "January 2027" in result.output and (tmp_path / "forecast" / "forecast.html").stat().st_size > 10_000
    bad = runner.invoke(app, ["forecast", "--data", str(data_dir), "--horizon", "50"])
    assert bad.exit_code == 2 and "horizon: give 1 to 5 years" in bad.output
    library = Path(__file__).resolve().parents[2] / "scenarios" / "library" / "north-east-plan.yaml"
    scenario = tmp_path / "plan.yaml"
    scenario.write_text(f"base: {library}\ndata: {data_dir}\n")
    result = runner.invoke(app, ["plan", str(scenario), "--out", str(tmp_path / "plan")])
    assert result.exit_code == 0, result.output
    assert "saving" in result.output and "<h1>Capacity plan" in (tmp_path / "plan" / "plan.html").read_text()


def test_the_reform_packs_forecast_adds_up_to_the_councils_forecast(data_dir):
    from scenarios.reports.pack_forecast import forecast_for_pack, summarise_forecast

    outlook = forecast_for_pack(data_dir, NORTH_EAST[:3], 2029)
    assert outlook.forecast is not None
    children = [{"primary_need": need} for need in ("ASD", "ASD", "SEMH", "PMLD")]
    baseline = {"name": "b", "kpis": {}, "allocation": children, "deltas": []}
    action = {"name": "a", "kpis": {}, "allocation": children, "deltas": [{"demand_growth": {"ASD": -0.2}}]}
    section = summarise_forecast(outlook.forecast, "", 2029, baseline, action, [action])
    total = outlook.forecast.totals.query("year == 2029")["plans"].sum()
    for rows in (section["by_need"], section["by_age"]):
        assert sum(row["baseline"] for row in rows) == pytest.approx(total, rel=0.02)
    autism = next(row for row in section["by_need"] if row["group"] == "Autism")
    assert autism["mitigated"] == pytest.approx(0.8 * autism["baseline"])
    assert sum(row["difference"] for row in section["by_age"]) == pytest.approx(autism["mitigated"]
                                                                                - autism["baseline"])
