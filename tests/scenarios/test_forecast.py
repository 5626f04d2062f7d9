"""Forecasts on hand-made series: the trend, its intervals, the backtest, and bad input."""

import numpy as np
import pandas as pd
import pytest

from core.errors import PlacewiseError
from scenarios.forecast import backtest, trend_forecast

YEARS = list(range(2019, 2026))


def series(rows: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, index=YEARS).T


def test_steady_growth_is_projected_exactly_with_intervals_around_it():
    grown = series({"E06000001": [100 * 1.1 ** k for k in range(7)], "E06000002": [50.0] * 7})
    forecast = trend_forecast(grown, 3).set_index(["council", "year"])
    assert forecast.loc[("E06000001", 2026), "plans"] == pytest.approx(100 * 1.1 ** 7)
    assert forecast.loc[("E06000002", 2028), "plans"] == pytest.approx(50.0)
    assert (forecast["low95"] <= forecast["low80"]).all() and (forecast["low80"] <= forecast["plans"]).all()
    assert (forecast["plans"] <= forecast["high80"]).all() and (forecast["high80"] <= forecast["high95"]).all()


def test_a_council_with_under_three_years_keeps_its_last_count():
    young = series({"E06000063": [np.nan] * 5 + [900.0, 960.0], "E06000001": [100.0 + 10 * k for k in range(7)]})
    forecast = trend_forecast(young, 1).set_index("council")
    assert forecast.loc["E06000063", "plans"] == pytest.approx(960.0)


def test_the_backtest_forecasts_the_last_year_from_those_before():
    grown = series({"E06000001": [100 * 1.1 ** k for k in range(7)]})
    table = backtest(grown, 2025)
    assert table.loc[0, "actual"] == pytest.approx(100 * 1.1 ** 6)
    assert table.loc[0, "abs_pct_error"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("horizon", [0, 6, 50])
def test_a_horizon_outside_one_to_five_years_is_refused(horizon):
    with pytest.raises(PlacewiseError, match="horizon: give 1 to 5 years"):
        trend_forecast(series({"E06000001": [1.0] * 7}), horizon)


def test_a_shorter_horizons_totals_are_the_first_years_of_a_longer_ones():
    from scenarios.forecast import forecast_totals

    grown = series({"E06000001": [100 * 1.08 ** k for k in range(7)], "E06000002": [40.0 + 3 * k for k in range(7)],
                    "E06000003": [70.0, 72, 71, 75, 80, 78, 85]})
    five = forecast_totals(grown, 5).set_index(["council", "year"])
    two = forecast_totals(grown, 2, ["E06000002"]).set_index(["council", "year"])
    assert list(two.index) == [("E06000002", 2025), ("E06000002", 2026), ("E06000002", 2027)]
    pd.testing.assert_frame_equal(two, five.loc[two.index])
    assert two.loc[("E06000002", 2025), "low95"] == two.loc[("E06000002", 2025), "plans"] == 58.0
