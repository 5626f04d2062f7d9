"""Demand forecasts: EHC plans by council, age and primary need, 1 to 5 years ahead, with intervals and a backtest.

Method (transparent, in the manner of published SEND cohort models, as far as the open data allows):
1. **Totals by council**: the growth rate of a log-linear trend (plans grow by a steady rate) fitted by least
   squares to the January censuses 2019-2025 (SEN2), applied from the last count. Prediction intervals come
   from the method's own one-year-ahead errors inside the series (each year forecast from the years before it,
   pooled over all councils, the extreme 2% left out), widening with the square root of the horizon.
   Councils with fewer than three years (new since the 2023
   reorganisations) keep their last count.
2. **Ageing**: SEN2 gives ages for January 2024 and 2025 only, so one year's progression ratio per age
   (plans at age a+1 in 2025 over plans at age a in 2024: the cohort ageing, net of new and ceasing plans) is
   measured nationally and applied to each council's 2025 ages year by year; the youngest ages (up to 4) enter at
   their 2025 counts. The age profile is then scaled to the council's trend total, so the two steps agree.
3. **Needs**: each council's 2025 share of primary needs at each age (SEN2 publishes needs for 2025 only).

Backtest: the trend is fitted to 2019-2024 and forecasts 2025, by council, nationally and for a region. A
backtest by need is not possible with the open data (no earlier year by need); the note says so.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from core.vocabulary import NEEDS
from geodata.sen2 import load_need_by_age, load_plan_series, load_plans_by_age

MAX_HORIZON = 5
MIN_YEARS = 3
Z_80, Z_95 = 1.2816, 1.96
METHOD = "log-linear trend of totals; national one-year ageing ratios; 2025 need shares"


@dataclass(frozen=True, eq=False)
class Forecast:
    totals: pd.DataFrame  # council, year (2025, the last count, then the forecast), plans, low80 ... high95
    detail: pd.DataFrame  # council, year (2025 on the model's shares, then the forecast), age, need, plans
    method: str


def trend_forecast(series: pd.DataFrame, horizon: int, last_year: int | None = None,
                   spread_from: pd.DataFrame | None = None) -> pd.DataFrame:
    """Log-linear trend by council (rows) over years (columns), ``horizon`` years past ``last_year``.

    Intervals come from the trend's own one-year-ahead errors in the years before (each year forecast from
    those before it, pooled over the councils of ``spread_from``, by default ``series``; pass every council so
    that a few councils' intervals do not rest on a few errors), widening with the square root of the horizon.
    """
    _check_horizon(horizon)
    years = sorted(year for year in series.columns if last_year is None or year <= last_year)
    sigma = _one_step_spread((series if spread_from is None else spread_from)[years])
    central = _centres(series[years], horizon)
    rows = []
    for council, steps in central.items():
        for step, centre in enumerate(steps, start=1):
            spread = sigma * np.sqrt(step)
            rows.append({"council": council, "year": years[-1] + step, "plans": float(np.exp(centre)),
                         **{f"{side}{level}": float(np.exp(centre + sign * z * spread))
                            for level, z in ((80, Z_80), (95, Z_95)) for side, sign in (("low", -1), ("high", 1))}})
    return pd.DataFrame(rows)


def _centres(series: pd.DataFrame, horizon: int) -> dict[str, list[float]]:
    """Log of the central forecast for each council and step: the trend's growth rate from the last count (so a
    forecast starts where the series ends); a flat line where under three years are known."""
    end = max(series.columns)
    centres = {}
    for council, counts in series.iterrows():
        known = counts.dropna()
        known = known[known > 0]
        if not len(known):
            continue
        slope = 0.0
        if len(known) >= MIN_YEARS:
            slope = float(np.polyfit(known.index.to_numpy(float) - end, np.log(known.to_numpy(float)), 1)[0])
        last_year, last = float(known.index[-1]), float(np.log(known.iloc[-1]))
        centres[str(council)] = [last + slope * (end + step - last_year) for step in range(1, horizon + 1)]
    return centres


def _one_step_spread(series: pd.DataFrame) -> float:
    """The spread (standard deviation of log errors) of one-year-ahead forecasts made inside the series."""
    errors = []
    years = list(series.columns)
    for index in range(MIN_YEARS, len(years)):
        forecast = _centres(series[years[:index]], 1)
        actual = series[years[index]]
        errors += [float(np.log(actual[council]) - steps[0]) for council, steps in forecast.items()
                   if council in actual and actual[council] > 0]
    errors_array = np.array(errors)
    if len(errors_array) < 10:
        return 0.1
    low, high = np.percentile(errors_array, [1, 99])  # a council merged or split is not forecast error
    return float(np.std(errors_array[(errors_array >= low) & (errors_array <= high)]))


def forecast_plans(data_dir: Path, horizon: int, councils: list[str] | None = None,
                   needs: list[str] | None = None, series: pd.DataFrame | None = None) -> Forecast:
    """Forecast plans by council, age and need ``horizon`` years past January 2025 (see the module); ``series``
    is the SEN2 series where the caller has already read it."""
    _check_horizon(horizon)
    series = load_plan_series(data_dir) if series is None else series
    unknown = [council for council in councils or [] if council not in series.index]
    if unknown:
        raise PlacewiseError(f"councils: {', '.join(unknown)} not in the SEN2 data; use ONS codes (2023)")
    bad_needs = [need for need in needs or [] if need not in NEEDS]
    if bad_needs:
        raise PlacewiseError(f"needs: unknown need codes {', '.join(bad_needs)}; use {', '.join(NEEDS)}")
    totals = forecast_totals(series, horizon, councils)
    if councils:
        series = series.loc[councils]
    ages = _aged_profiles(load_plans_by_age(data_dir), horizon, list(series.index))
    shares = _need_shares(load_need_by_age(data_dir))
    detail = ages.merge(totals[["council", "year", "plans"]].rename(columns={"plans": "total"}),
                        on=["council", "year"])
    detail["plans"] = detail["age_share"] * detail["total"]
    detail = detail.merge(shares, on=["council", "age"], how="left")
    detail["plans"] = detail["plans"] * detail["share"]
    detail = detail.dropna(subset=["need"])
    if needs:
        detail = detail[detail["need"].isin(needs)]
    return Forecast(totals, detail[["council", "year", "age", "need", "plans"]].reset_index(drop=True), METHOD)


def forecast_totals(series: pd.DataFrame, horizon: int, councils: list[str] | None = None) -> pd.DataFrame:
    """Each council's plans in January 2025 (the last count, its ranges the count itself) and the trend's forecast
    ``horizon`` years past it (``trend_forecast``, its spread from every council of ``series``); a shorter horizon's
    forecast is the first years of a longer one's."""
    chosen = series.loc[councils] if councils else series
    ahead = trend_forecast(chosen, horizon, spread_from=series)
    now = chosen[2025].dropna().rename("plans").rename_axis("council").reset_index().assign(year=2025)
    now = now.assign(**{f"{side}{level}": now["plans"] for level in (80, 95) for side in ("low", "high")})
    return pd.concat([now, ahead], ignore_index=True)


def backtest(series: pd.DataFrame, year: int = 2025, spread_from: pd.DataFrame | None = None) -> pd.DataFrame:
    """Forecast ``year`` from the years before it and compare: council, actual, forecast, error, APE, in80."""
    forecast = trend_forecast(series, 1, last_year=year - 1, spread_from=spread_from).set_index("council")
    actual = series[year].dropna()
    table = forecast.join(actual.rename("actual"), how="inner")
    table["error"] = table["plans"] - table["actual"]
    table["abs_pct_error"] = (table["error"].abs() / table["actual"]) * 100
    table["in80"] = (table["actual"] >= table["low80"]) & (table["actual"] <= table["high80"])
    return table.reset_index()[["council", "actual", "plans", "error", "abs_pct_error", "in80", "low80", "high80"]]


def _aged_profiles(by_age: pd.DataFrame, horizon: int, councils: list[str]) -> pd.DataFrame:
    """Each council's share of plans at each age in each future year, by ageing its 2025 profile."""
    national = by_age.groupby(level="age").sum()
    ratio = (national[2025].shift(-1) / national[2024]).dropna()  # age a (2024) -> a+1 (2025)
    rows = []
    for council in councils:
        if council not in by_age.index.get_level_values(0):
            continue
        profile = by_age.loc[council, 2025].astype(float)
        rows += [{"council": council, "year": 2025, "age": int(age), "age_share": float(share)}
                 for age, share in (profile / profile.sum()).items()]
        for step in range(1, horizon + 1):
            aged = (profile.reindex(ratio.index).fillna(0) * ratio).rename(lambda age: age + 1)
            entrants = by_age.loc[council, 2025].reindex(range(0, 5)).dropna().astype(float)
            profile = pd.concat([entrants, aged[aged.index > 4]]).groupby(level=0).sum()
            shares = profile / profile.sum()
            rows += [{"council": council, "year": 2025 + step, "age": int(age), "age_share": float(share)}
                     for age, share in shares.items()]
    return pd.DataFrame(rows)


def _need_shares(need_by_age: pd.DataFrame) -> pd.DataFrame:
    totals = need_by_age.groupby(["council", "age"])["count"].transform("sum")
    return need_by_age.assign(share=need_by_age["count"] / totals)[["council", "age", "need", "share"]]


def _check_horizon(horizon: int) -> None:
    if not 1 <= horizon <= MAX_HORIZON:
        raise PlacewiseError(f"horizon: give 1 to {MAX_HORIZON} years (the series has seven; further is guessing)")
