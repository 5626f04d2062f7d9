"""The 0-25 dashboard's age bands, trend and statistical neighbours, and the planner's stored forecast, on the real
SEN2 and s251 files (skipped where the data is absent). Expected figures are read from the published files here,
independently of the code under test."""

import numpy as np
import pandas as pd
import pytest

from scenarios.dashboard import build_dashboard, council_detail
from scenarios.neighbours import NEIGHBOUR_COUNT, NEIGHBOUR_MEASURES

NEWCASTLE, CUMBERLAND, NORTH_EAST, ENGLAND = "E08000021", "E06000063", "E12000001", "E92000001"


@pytest.fixture(scope="module")
def board(data_dir):
    return build_dashboard(data_dir)


@pytest.fixture(scope="module")
def caseload(data_dir) -> pd.DataFrame:
    return pd.read_csv(data_dir / "sen2" / "ehcp_2025" / "caseload.csv", encoding="utf-8-sig", low_memory=False)


def test_a_councils_age_bands_hold_every_plan_sen2_gives_an_age(board, caseload):
    """Newcastle's bands in January 2025 add up to its plans by single year of age (under 3 included), and each band
    is the sum of its ages as published."""
    rows = caseload[(caseload["time_period"] == 202425) & (caseload["breakdown_topic"] == "Child or young persons age")
                    & (caseload["new_la_code"] == NEWCASTLE)]
    counts = pd.to_numeric(rows.set_index("breakdown")["ehcplans"], errors="coerce")
    detail = council_detail(board, NEWCASTLE)
    name = detail.areas[0]
    assert detail.ages[(name, "plans")].sum() == counts.sum()
    assert detail.ages.loc["under 5", (name, "plans")] == counts.reindex(["under 3", "age 3", "age 4"]).sum()
    assert detail.ages.loc["16 to 19", (name, "plans")] == counts.reindex([f"age {age}" for age in range(16, 20)]).sum()
    for area in detail.areas:
        assert detail.ages[(area, "share")].sum() == pytest.approx(1.0)


def test_the_trend_is_sen2s_series_and_the_region_and_england_are_as_published(board, caseload):
    totals = caseload[(caseload["breakdown_topic"] == "All EHC plans")]
    england = totals[totals["geographic_level"] == "National"].set_index("time_period")["ehcplans"].astype(float)
    region = totals[(totals["geographic_level"] == "Regional") & (totals["region_code"] == NORTH_EAST)]
    detail = council_detail(board, NEWCASTLE)
    assert detail.areas[1:] == ["North East", "England"]
    assert list(detail.trend[("England", "plans")]) == list(england.sort_index())
    assert list(detail.trend[("North East", "plans")]) == list(region.set_index("time_period")["ehcplans"]
                                                               .astype(float).sort_index())
    assert detail.trend.loc[2019, ("England", "index")] == pytest.approx(100.0)
    assert detail.trend.loc[2025, ("England", "index")] == pytest.approx(100 * england.iloc[-1] / england.iloc[0])


def test_neighbours_are_the_nearest_councils_on_the_stated_measures(board):
    detail = council_detail(board, NEWCASTLE)
    neighbours = detail.neighbours
    assert neighbours.index[0] == "Newcastle upon Tyne" and neighbours["rank"].iloc[0] == 0
    assert len(neighbours) == NEIGHBOUR_COUNT + 1 and "Newcastle upon Tyne" not in list(neighbours.index[1:])
    assert neighbours["distance"].is_monotonic_increasing
    assert neighbours[[key for key, _ in NEIGHBOUR_MEASURES]].notna().all().all()
    measures = board.measures.dropna()
    scores = (measures - measures.mean()) / measures.std(ddof=0)  # recomputed here, by hand
    distance = np.sqrt(((scores - scores.loc[NEWCASTLE]) ** 2).sum(axis=1)).drop(NEWCASTLE).sort_values()
    assert list(neighbours.index[1:]) == [board.names[code] for code in distance.index[:NEIGHBOUR_COUNT]]
    assert list(neighbours["distance"].iloc[1:]) == pytest.approx(list(distance.iloc[:NEIGHBOUR_COUNT]))


def test_a_council_formed_after_2019_has_no_neighbours_and_says_which_measure_it_lacks(board):
    detail = council_detail(board, CUMBERLAND)
    assert detail.missing_measures == ["growth_a_year", "high_needs_per_plan"]  # no 2019; no s251 outturn of its own
    assert len(detail.neighbours) == 1
    assert detail.trend[(detail.areas[0], "index")].isna().all()


def test_the_stored_forecast_is_the_forecasts_own_and_is_read_back_from_the_cache(data_dir, tmp_path):
    from scenarios.forecast import forecast_plans
    from scenarios.forecast_store import load_stored_forecast, stored_fan_chart

    councils = ["E06000001", NEWCASTLE]
    stored = load_stored_forecast(data_dir, tmp_path)
    direct = forecast_plans(data_dir, 3, councils).totals.set_index(["council", "year"]).sort_index()
    mine = stored.totals.set_index(["council", "year"]).loc[direct.index]
    pd.testing.assert_frame_equal(mine, direct, check_exact=False, rtol=1e-9)
    again = load_stored_forecast(data_dir, tmp_path)
    pd.testing.assert_frame_equal(again.totals, stored.totals, check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(again.series, stored.series, check_dtype=False)
    chart = stored_fan_chart(stored, NEWCASTLE, "Newcastle upon Tyne", 3)
    assert stored.folder is not None and (stored.folder / f"fan-{NEWCASTLE}-3.png").is_file()
    assert stored_fan_chart(again, NEWCASTLE, "Newcastle upon Tyne", 3) == chart
