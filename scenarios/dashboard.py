"""The 0-25 dashboard the councils' association asked for, from SEN2 (plans and placements) and the s251 outturn
(spend), each council beside its region and England: plans and their growth, placements by type, the share out of
area, high-needs spend per plan and transport spend per plan.

SEN2 does not publish where a child is placed relative to the council that maintains the plan, so "out of area"
is shown by its nearest published measure: the share of plans in independent and non-maintained special schools,
which are mostly outside the council (said so wherever it is shown). High-needs spend is the s251 lines 1.0.2 to
1.2.13 (net), transport the SEN transport lines 1.4.11, 2.1.4, 2.1.6 and 2.1.7, both 2023-24, over the plans of
January 2024; plans and placements are January 2025's. Alternative provision is SEN2's children with plans in AP or a
pupil referral unit in January 2019, 2024 and 2025, and the change over the last year: SEN2 publishes no flows (into
AP, back to mainstream, on to specialist), which come from the councils' own AP placements (the ``ap_history``
setting; ``scenarios.ap_scenario.history_flows``).

A region's and England's plans each January (and so their growth) are SEN2's own totals: a sum of today's councils
would miss, before 2023, the councils formed since. Their other figures are their councils' summed. Plans by age band
and the trend since 2019 are ``scenarios.plan_trends``'s; the statistical neighbours, Placewise's own and not the
DfE's, are ``scenarios.neighbours``'s, on the measures it names.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.councils import load_council_codes, load_council_regions, load_region_boundaries
from geodata.finance import load_high_needs_spend
from geodata.sen2 import load_area_plan_series, load_placements, load_plan_series, load_plans_by_age
from scenarios.neighbours import nearest_councils
from scenarios.plan_trends import summarise_age_bands, summarise_trend

PLACEMENT_GROUPS = {"mainstream schools": "mainstream_total", "special schools": "special_total",
                    "alternative provision": "ap_pru_total",
                    "further education colleges": "general_fe_tertiary_colleges",
                    "specialist post-16": "specialist_post_16_institutions"}
TRANSPORT_LINES = ("1.4.11", "2.1.4", "2.1.6", "2.1.7")
OUT_OF_AREA_PROXY = ("special_independent", "special_non_maintained")


@dataclass(frozen=True, eq=False)
class Dashboard:
    rows: pd.DataFrame  # one row per area (councils, regions, England): the figures below
    names: dict[str, str]  # area code -> name
    regions: pd.Series  # council -> region code
    ages: pd.DataFrame  # (area, band): plans_<year>, share_<year> for January 2024 and 2025 (plan_trends)
    trend: pd.DataFrame  # area: plans each January 2019 to 2025 and index_<year> (plan_trends)
    measures: pd.DataFrame  # council: the statistical neighbours' measures (neighbours.NEIGHBOUR_MEASURES)


@dataclass(frozen=True)
class CouncilDetail:
    areas: list[str]  # the council's, its region's and England's names, in that order
    ages: pd.DataFrame  # band (rows) x (area name, plans or share) for January 2025, and the council's 2024 plans
    trend: pd.DataFrame  # year (rows): each area's plans and index (first year = 100)
    neighbours: pd.DataFrame  # the council then its nearest councils (by name): their measures and distance
    missing_measures: list[str]  # the neighbours' measures the council lacks (then it has no neighbours)


def build_dashboard(data_dir: Path) -> Dashboard:
    """Every council's figures, with each region's and England's summed the same way (their plans each January
    are SEN2's own totals), its plans by age band and over the years, and its neighbours' measures."""
    data_dir = Path(data_dir)
    series = load_plan_series(data_dir)
    in_ap = load_plan_series(data_dir, "ap_pru_total")
    now = load_placements(data_dir, 202425).groupby(level=0).sum(min_count=1)
    before = load_placements(data_dir, 202324).groupby(level=0).sum(min_count=1)["ehcplans"]
    spend = load_high_needs_spend(data_dir)
    high_needs = spend[spend["line"].str.startswith("1.") & ~spend["line"].isin(TRANSPORT_LINES)]
    transport = spend[spend["line"].isin(TRANSPORT_LINES)]
    councils = pd.DataFrame({
        **{year: series[year] for year in series.columns},
        **{words: now[column] for words, column in PLACEMENT_GROUPS.items()},
        "independent": now[list(OUT_OF_AREA_PROXY)].sum(axis=1, min_count=1),
        "high_needs_gbp": high_needs.groupby("council")["net_expenditure"].sum(),
        "transport_gbp": transport.groupby("council")["net_expenditure"].sum(), "plans_2024": before,
        "ap_2019": in_ap[2019], "ap_2024": in_ap[2024], "ap_2025": in_ap[2025]})
    councils = councils[councils[2025].notna()]
    regions = load_council_regions(data_dir).reindex(councils.index)
    by_region = councils.groupby(regions).sum(min_count=1)
    england = councils.sum(min_count=1).to_frame("E92000001").T
    table = pd.concat([councils, by_region, england])
    published = load_area_plan_series(data_dir)  # a sum of today's councils misses those formed after 2019
    areas = published.index.intersection(table.index)
    table.loc[areas, list(series.columns)] = published.loc[areas, list(series.columns)].to_numpy(dtype=float)
    names = {str(code): str(name) for code, name in load_council_codes(data_dir).drop_duplicates("council")
             .set_index("council")["council_name"].items()}
    names.update({str(code): str(name) for code, name in load_region_boundaries(data_dir)["region_name"].items()})
    names["E92000001"] = "England"
    figures = _figures(table)
    ages = summarise_age_bands(load_plans_by_age(data_dir, under_3_at=2), regions.dropna())
    return Dashboard(figures, names, regions.dropna(), ages,
                     summarise_trend(series.loc[councils.index], published),
                     _measures(figures.loc[councils.index], ages))


def _measures(councils: pd.DataFrame, ages: pd.DataFrame) -> pd.DataFrame:
    """The statistical neighbours' measures of each council (``neighbours.NEIGHBOUR_MEASURES``)."""
    older = ages["share_2025"].unstack("band")[["16 to 19", "20 to 25"]].sum(axis=1)
    return pd.DataFrame({"log_plans_2025": np.log(councils["plans_2025"].where(councils["plans_2025"] > 0)),
                         "growth_a_year": councils["growth_a_year"], "special schools": councils["special schools"],
                         "out_of_area_proxy": councils["out_of_area_proxy"], "aged_16_to_25": older.reindex(
                             councils.index), "high_needs_per_plan": councils["high_needs_per_plan"].where(
                             councils["high_needs_per_plan"] > 0)})  # the outturn's "x" is read as £0: not known


def _figures(table: pd.DataFrame) -> pd.DataFrame:
    plans = table[2025]
    figures = pd.DataFrame({"plans_2019": table[2019], "plans_2025": plans,
                            "growth_a_year": (plans / table[2019]) ** (1 / 6) - 1,
                            "growth_last_year": plans / table[2024] - 1})
    placed = table[list(PLACEMENT_GROUPS)]
    for words in PLACEMENT_GROUPS:
        figures[words] = placed[words] / plans
    figures["out_of_area_proxy"] = table["independent"] / plans
    figures["high_needs_per_plan"] = table["high_needs_gbp"] / table["plans_2024"]
    figures["transport_per_plan"] = table["transport_gbp"] / table["plans_2024"]
    for year in (2019, 2024, 2025):
        figures[f"ap_{year}"] = table[f"ap_{year}"]
    figures["ap_change_last_year"] = table["ap_2025"] - table["ap_2024"]
    return figures


def council_view(dashboard: Dashboard, council: str) -> pd.DataFrame:
    """A council's figures beside its region's and England's (three rows, by name)."""
    region = dashboard.regions.get(council)
    codes = [code for code in (council, region, "E92000001") if code is not None and code in dashboard.rows.index]
    view = dashboard.rows.loc[codes]
    return view.set_axis([dashboard.names.get(code, code) for code in codes])


def council_detail(dashboard: Dashboard, council: str) -> CouncilDetail:
    """A council's plans by age band and over the years beside its region's and England's, and its statistical
    neighbours' figures beside its own (``scenarios.neighbours``)."""
    region = dashboard.regions.get(council)
    codes = [code for code in (council, region, "E92000001") if code is not None and code in dashboard.trend.index]
    names = [dashboard.names.get(code, code) for code in codes]
    ages = pd.concat({name: dashboard.ages.loc[code, ["plans_2025", "share_2025"]].set_axis(["plans", "share"], axis=1)
                      for code, name in zip(codes, names, strict=True)}, axis=1)
    ages[(names[0], "plans_2024")] = dashboard.ages.loc[council, "plans_2024"]
    years = [column for column in dashboard.trend.columns if isinstance(column, int)]
    trend = pd.concat({name: pd.DataFrame({"plans": dashboard.trend.loc[code, years].to_numpy(dtype=float),
                                           "index": dashboard.trend.loc[code, [f"index_{year}" for year in years]]
                                           .to_numpy(dtype=float)}, index=years)
                       for code, name in zip(codes, names, strict=True)}, axis=1)
    missing = [str(name) for name, value in dashboard.measures.loc[council].items() if pd.isna(value)]
    chosen = dashboard.measures.loc[[council]].assign(distance=0.0, rank=0)
    neighbours = pd.concat([chosen, nearest_councils(dashboard.measures, council)]) if not missing else chosen
    neighbours = neighbours.join(dashboard.rows[["plans_2025"]])
    neighbours.index = [dashboard.names.get(code, code) for code in neighbours.index]
    return CouncilDetail(names, ages.rename_axis("band"), trend.rename_axis("year"), neighbours, missing)
