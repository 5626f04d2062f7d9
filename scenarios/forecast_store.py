"""The forecast the planner's pages show, computed once for each data version and kept in the cache folder.

Every council's totals are forecast ``MAX_HORIZON`` years ahead at once (a shorter horizon's forecast is the first
years of the longest, ``scenarios.forecast.forecast_totals``), and each council's fan chart is drawn once for each
horizon. Both are kept under a folder named by a hash of the SEN2 file they come from and of the code that makes
them, so new data or a new method is computed afresh and nothing stale is shown. Files are written to a temporary
name and moved into place, so a reader never sees half of one. Without a cache folder nothing is kept.
"""

import base64
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import geodata.sen2
import scenarios.forecast
import scenarios.reports.charts
from geodata.sen2 import CASELOAD_FILE, SEN2_DIR, load_plan_series
from geodata.travel_cache import digest, file_digest, write_atomically
from scenarios.forecast import MAX_HORIZON, METHOD, forecast_totals
from scenarios.reports.charts import fan_chart

#: The code the stored forecast and charts are made by: a change to any of them computes them afresh.
FORECAST_MODULES = (geodata.sen2, scenarios.forecast, scenarios.reports.charts)


@dataclass(frozen=True, eq=False)
class StoredForecast:
    series: pd.DataFrame  # SEN2's plans by council (rows) and January (columns), 2019 to 2025
    totals: pd.DataFrame  # council, year (2025, then MAX_HORIZON years ahead), plans, low80 ... high95
    method: str
    folder: Path | None  # where its charts are kept (None: not kept)

    def ahead(self, council: str, horizon: int) -> pd.DataFrame:
        """A council's count in January 2025 and its forecast ``horizon`` years past it, indexed by year."""
        rows = self.totals[(self.totals["council"] == council) & (self.totals["year"] <= 2025 + horizon)]
        return rows.set_index("year").sort_index()


def forecast_version(data_dir: Path) -> str:
    """A short hash of the SEN2 series and of the code the forecast and its charts are made by."""
    sources = [Path(data_dir) / SEN2_DIR / CASELOAD_FILE, *(Path(str(module.__file__)) for module in FORECAST_MODULES)]
    return digest(*(file_digest(path, "planner's forecast").encode() for path in sources))


def load_stored_forecast(data_dir: Path, cache_dir: Path | None) -> StoredForecast:
    """The forecast of every council, read from the cache folder, or computed (about a second) and kept there."""
    folder = None if cache_dir is None else Path(cache_dir) / f"forecast-{forecast_version(data_dir)}"
    if folder is not None and (folder / "totals.csv").is_file():
        series = pd.read_csv(folder / "series.csv", index_col="council").rename(columns=int)
        return StoredForecast(series, pd.read_csv(folder / "totals.csv"), METHOD, folder)
    series = load_plan_series(data_dir)
    totals = forecast_totals(series, MAX_HORIZON)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / "series.csv", series.rename_axis("council").to_csv().encode())
        write_atomically(folder / "totals.csv", totals.to_csv(index=False).encode())
    return StoredForecast(series, totals, METHOD, folder)


def stored_fan_chart(forecast: StoredForecast, council: str, name: str, horizon: int) -> str:
    """A council's fan chart ``horizon`` years ahead as a base64 PNG: read from the forecast's folder, or drawn
    (about a tenth of a second) and kept there."""
    path = None if forecast.folder is None else forecast.folder / f"fan-{council}-{horizon}.png"
    if path is not None and path.is_file():
        return base64.b64encode(path.read_bytes()).decode("ascii")
    chart = fan_chart(forecast.series.loc[council].dropna(), forecast.ahead(council, horizon), name)
    if path is not None:
        write_atomically(path, base64.b64decode(chart))
    return chart


def forecast_words(forecast: StoredForecast, council: str, name: str, horizon: int) -> str:
    """The chart's figures in a sentence, for its alternative text."""
    ahead = forecast.ahead(council, horizon)
    last = ahead.iloc[-1]
    return (f"{name}: {forecast.series.loc[council, 2025]:,.0f} plans in January 2025, forecast {last['plans']:,.0f} "
            f"in January {int(ahead.index[-1])} (80% range {last['low80']:,.0f} to {last['high80']:,.0f})")
