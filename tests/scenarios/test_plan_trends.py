"""Plans by age band and over the years on hand-made frames: bands as SEN2 draws them, regions and England summed from
their councils, the trend's index, and the region's published totals kept as published."""

import numpy as np
import pandas as pd
import pytest

from scenarios.plan_trends import AGE_BANDS, ENGLAND, summarise_age_bands, summarise_trend

REGIONS = pd.Series({"E06000001": "E12000001", "E06000002": "E12000001", "E08000021": "E12000001"})


def plans_by_age(rows: list[tuple[str, int, float, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["council", "age", 2024, 2025])
    return frame.set_index(["council", "age"])


def test_each_age_falls_in_sen2s_band_and_shares_are_of_the_areas_plans():
    by_age = plans_by_age([("E06000001", 2, 1.0, 2.0), ("E06000001", 4, 3.0, 2.0), ("E06000001", 5, 4.0, 6.0),
                           ("E06000001", 10, 2.0, 10.0), ("E06000001", 11, 5.0, 5.0), ("E06000001", 19, 1.0, 3.0),
                           ("E06000001", 20, 2.0, 2.0), ("E06000001", 25, 0.0, 10.0), ("E06000001", 26, 9.0, 9.0)])
    table = summarise_age_bands(by_age, REGIONS)
    council = table.loc["E06000001"]
    assert list(council.index) == [words for words, _, _ in AGE_BANDS]
    assert list(council["plans_2025"]) == [4.0, 16.0, 5.0, 3.0, 12.0]  # age 26 is no band's
    assert list(council["plans_2024"]) == [4.0, 6.0, 5.0, 1.0, 2.0]
    assert council.loc["5 to 10", "share_2025"] == pytest.approx(16 / 40)
    assert council["share_2024"].sum() == pytest.approx(1.0)


def test_a_region_and_england_sum_their_councils_and_a_band_with_no_plans_is_zero():
    by_age = plans_by_age([("E06000001", 7, 10.0, 12.0), ("E06000002", 8, 5.0, 6.0), ("E06000002", 17, 5.0, 2.0),
                           ("E09000001", 12, 4.0, 4.0)])  # a council of no region: England's only
    table = summarise_age_bands(by_age, REGIONS)
    assert table.loc[("E12000001", "5 to 10"), "plans_2025"] == 18.0
    assert table.loc[("E12000001", "16 to 19"), "share_2025"] == pytest.approx(2 / 20)
    assert table.loc[(ENGLAND, "11 to 15"), "plans_2025"] == 4.0
    assert table.loc[(ENGLAND, "5 to 10"), "plans_2024"] == 15.0
    assert table.loc[("E06000001", "under 5"), "plans_2025"] == 0.0


def test_the_trend_indexes_each_area_on_its_first_year_and_keeps_published_totals():
    series = pd.DataFrame({2019: [100.0, np.nan], 2020: [150.0, np.nan], 2021: [200.0, 80.0]},
                          index=pd.Index(["E06000001", "E06000063"], name="council"))
    published = pd.DataFrame({2019: [1000.0], 2020: [1100.0], 2021: [1300.0]}, index=["E12000001"])
    trend = summarise_trend(series, published)
    assert list(trend.loc["E06000001", ["index_2019", "index_2020", "index_2021"]]) == [100.0, 150.0, 200.0]
    assert trend.loc["E12000001", 2021] == 1300.0  # as published, not the councils' 280
    assert trend.loc["E12000001", "index_2021"] == pytest.approx(130.0)
    assert trend.loc["E06000063", ["index_2019", "index_2021"]].isna().all()  # formed after 2019: no index
    assert trend.loc["E06000063", 2021] == 80.0
