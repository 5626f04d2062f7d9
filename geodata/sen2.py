"""Read the DfE's SEN2 statistics: EHC plans by council, year and type of placement, and by primary need."""

from pathlib import Path

import numpy as np
import pandas as pd

from core.vocabulary import NEEDS
from geodata.councils import load_council_codes
from geodata.world import world

SEN2_DIR = Path("sen2/ehcp_2025")
CASELOAD_FILE = "caseload.csv"
NEEDS_FILE = "sen_needs_all_plans.csv"

PLACEMENT_COLUMNS = [
    "ehcplans", "mainstream_la_maintained", "mainstream_academy", "mainstream_free_school",
    "mainstream_independent", "mainstream_total", "special_la_maintained", "special_academy_free",
    "special_independent", "special_non_maintained", "special_total", "ap_pru_total",
    "general_fe_tertiary_colleges", "specialist_post_16_institutions",
]


def load_placements(data_dir: Path, time_period: int = 202324) -> pd.DataFrame:
    """Return EHC plans by type of placement for each council in one year (January census of that year).

    Indexed by ``council`` (ONS code on 2023 boundaries); one column per placement type in
    ``PLACEMENT_COLUMNS``; ``x`` and ``z`` become missing.
    """
    caseload = world(data_dir).csv(SEN2_DIR / CASELOAD_FILE,
                                ["time_period", "geographic_level", "old_la_code", "breakdown_topic",
                                 *PLACEMENT_COLUMNS])
    rows = caseload[caseload["time_period"] == time_period]
    return _by_council(rows, PLACEMENT_COLUMNS, Path(data_dir))


def load_need_counts(data_dir: Path) -> pd.DataFrame:
    """Return EHC plans by primary need for each council in 2024/25, indexed by ``council``, one column a need."""
    columns = [f"number_{need.lower()}" for need in NEEDS]
    needs = world(data_dir).csv(SEN2_DIR / NEEDS_FILE,
                             ["geographic_level", "old_la_code", "breakdown_topic", *columns])
    return _by_council(needs, columns, Path(data_dir)).set_axis(list(NEEDS), axis=1)


#: Types of placement a cohort allocation places children in: special schools, resourced provision, units.
SPECIALIST_PLACEMENTS = {
    "special_la_maintained": "special_maintained", "special_academy_free": "special_academy",
    "special_independent": "independent_special", "special_non_maintained": "non_maintained_special",
    **{f"mainstream_{owner}_{kind}": "resourced_provision" if kind == "resourced_provision" else "sen_unit"
       for owner in ("la_maintained", "academy", "free_school") for kind in ("resourced_provision", "senunit")},
}
AGE_TOPIC = "Child or young persons age"
UNIT_COLUMNS = [column for column, kind in SPECIALIST_PLACEMENTS.items() if kind in ("resourced_provision", "sen_unit")]


def load_unit_children(data_dir: Path, time_period: int = 202425) -> pd.Series:
    """Children with EHC plans in resourced provision or SEN units by council (SEN2, January of the period's
    second year); councils whose cells are all suppressed are left out."""
    caseload = world(data_dir).csv(SEN2_DIR / CASELOAD_FILE,
                                ["time_period", "geographic_level", "old_la_code", "breakdown_topic", *UNIT_COLUMNS])
    counts = _by_council(caseload[caseload["time_period"] == time_period], UNIT_COLUMNS, Path(data_dir))
    total = counts.sum(axis=1, min_count=1)
    return total.groupby(level=0).sum(min_count=1).dropna()


def load_specialist_by_age(data_dir: Path, time_period: int = 202425) -> pd.DataFrame:
    """Return children in specialist placements by council, age (3..25) and type of placement (SEN2 caseload).

    Columns ``council``, ``age``, ``placement_type`` (a provider kind) and ``count``; suppressed cells are dropped.
    """
    columns = list(SPECIALIST_PLACEMENTS)
    caseload = world(data_dir).csv(SEN2_DIR / CASELOAD_FILE,
                                ["time_period", "geographic_level", "old_la_code", "breakdown_topic", "breakdown",
                                 *columns])
    rows = caseload[caseload["time_period"] == time_period]
    counts = _by_council(rows, columns, Path(data_dir), AGE_TOPIC)
    return _long_by_age(counts, "placement_type", SPECIALIST_PLACEMENTS)


def load_need_by_age(data_dir: Path) -> pd.DataFrame:
    """Return EHC plans by council, age (3..25) and primary need in 2024/25: ``council, age, need, count``."""
    columns = [f"number_{need.lower()}" for need in NEEDS]
    needs = world(data_dir).csv(SEN2_DIR / NEEDS_FILE,
                             ["geographic_level", "old_la_code", "breakdown_topic", "breakdown", *columns])
    counts = _by_council(needs, columns, Path(data_dir), AGE_TOPIC)
    return _long_by_age(counts, "need", dict(zip(columns, NEEDS, strict=True)))


#: SEN2's "Type of placement" breakdown (needs and residential files) to the provider kinds of a cohort.
PLACEMENT_BREAKDOWNS = {
    "Special - LA maintained": "special_maintained", "Special - Academy/free schools": "special_academy",
    "Special - academy/free school": "special_academy", "Special - independent": "independent_special",
    "Special - non-maintained": "non_maintained_special",
    **{f"Mainstream - {owner} ({kind})": "resourced_provision" if kind == "resourced provision" else "sen_unit"
       for owner in ("LA maintained", "academy", "free school") for kind in ("resourced provision", "SEN unit")},
}
PLACEMENT_TOPIC = "Type of placement"


def load_need_by_placement(data_dir: Path) -> pd.DataFrame:
    """Return EHC plans by area, type of specialist placement and primary need in 2024/25 (SEN2's "Type of
    placement" breakdown of plans by need): ``area`` (a council's ONS code, or a region's), ``level``
    (``council`` or ``region``), ``placement_type`` (a provider kind), ``need``, ``count``. Rows whose cells are
    all suppressed are left out."""
    columns = [f"number_{need.lower()}" for need in NEEDS]
    table = world(data_dir).csv(SEN2_DIR / NEEDS_FILE,
                             ["geographic_level", "region_code", "old_la_code", "breakdown_topic", "breakdown",
                              *columns])
    rows = table[(table["breakdown_topic"] == PLACEMENT_TOPIC) & table["breakdown"].isin(PLACEMENT_BREAKDOWNS)]
    codes = load_council_codes(Path(data_dir))["council"]
    council = pd.to_numeric(rows["old_la_code"], errors="coerce").map(codes)
    area = council.where(rows["geographic_level"] == "Local authority",
                         rows["region_code"].where(rows["geographic_level"] == "Regional"))
    counts = rows[columns].apply(pd.to_numeric, errors="coerce").set_axis(list(NEEDS), axis=1)
    counts = counts.assign(area=area.to_numpy(), placement_type=rows["breakdown"].map(PLACEMENT_BREAKDOWNS).to_numpy(),
                           level=np.where(rows["geographic_level"] == "Regional", "region", "council"))
    long = counts.dropna(subset=["area"]).melt(id_vars=["area", "level", "placement_type"], var_name="need",
                                               value_name="count").dropna(subset=["count"])
    return long.groupby(["area", "level", "placement_type", "need"], as_index=False)["count"].sum()


def _long_by_age(counts: pd.DataFrame, name: str, labels: dict[str, str], under_3_at: int | None = None,
                 ) -> pd.DataFrame:
    breakdown = counts.pop("breakdown")
    if under_3_at is not None:
        breakdown = breakdown.replace("under 3", f"age {under_3_at}")
    ages = breakdown.str.extract(r"^age (\d+)$")[0]
    counts = counts[ages.notna()].assign(age=ages.dropna().astype(int))
    long = counts.reset_index().melt(id_vars=["council", "age"], var_name=name, value_name="count")
    long[name] = long[name].map(labels)
    long = long.dropna(subset=["count"])
    return long.groupby(["council", "age", name], as_index=False)["count"].sum().query("count > 0")


def _by_council(table: pd.DataFrame, columns: list[str], data_dir: Path,
                topic: str = "All EHC plans") -> pd.DataFrame:
    """Keep the councils' rows of one breakdown, as numbers (``x``, ``z`` missing), indexed by ONS code."""
    rows = table[(table["geographic_level"] == "Local authority") & (table["breakdown_topic"] == topic)]
    codes = load_council_codes(data_dir)
    counts = rows[columns].apply(pd.to_numeric, errors="coerce")
    if topic != "All EHC plans":
        counts.insert(0, "breakdown", rows["breakdown"].astype(str))
    counts.index = pd.to_numeric(rows["old_la_code"], errors="coerce").map(codes["council"]).rename("council")
    return counts[counts.index.notna()]


def load_plan_series(data_dir: Path, column: str = "ehcplans") -> pd.DataFrame:
    """Return EHC plans (or, with ``column``, those of one type of placement, such as ``ap_pru_total``) in January of
    each year by council: index ``council``, one column per year (2019 = the January 2019 census, SEN2 2018/19), 2019
    to 2025."""
    caseload = world(data_dir).csv(SEN2_DIR / CASELOAD_FILE,
                                ["time_period", "geographic_level", "old_la_code", "breakdown_topic", column])
    frames = {}
    for period, rows in caseload.groupby("time_period"):
        counts = _by_council(rows, [column], Path(data_dir))[column]
        frames[int(str(period)[-2:]) + 2000] = counts.groupby(level=0).sum(min_count=1)
    return pd.DataFrame(frames).sort_index(axis=1)


def load_plans_by_age(data_dir: Path, under_3_at: int | None = None) -> pd.DataFrame:
    """Return EHC plans by council and age (3..25) in January 2024 and 2025: index (council, age), columns years.
    SEN2 counts the children under 3 together: with ``under_3_at`` they are counted at that age (2, say, for the
    under-5 band), without it they are left out."""
    caseload = world(data_dir).csv(SEN2_DIR / CASELOAD_FILE,
                                ["time_period", "geographic_level", "old_la_code", "breakdown_topic", "breakdown",
                                 "ehcplans"])
    frames = {}
    for period, rows in caseload.groupby("time_period"):
        counts = _by_council(rows, ["ehcplans"], Path(data_dir), AGE_TOPIC)
        if counts.empty:
            continue
        long = _long_by_age(counts, "measure", {"ehcplans": "plans"}, under_3_at)
        frames[int(str(period)[-2:]) + 2000] = long.set_index(["council", "age"])["count"]
    return pd.DataFrame(frames).fillna(0.0)


#: Every type of placement of the caseload file, whose sum is a council's plans in all.
TYPE_TOTALS = ["mainstream_total", "special_total", "ap_pru_total", "fe_total", "ed_elsewhere", "nm_early_years",
               "placement_unknown"]


def load_placement_totals(data_dir: Path, time_period: int = 202425) -> pd.DataFrame:
    """Each council's plans in all (``ehcplans``) and summed over its types of placement (``by_type``)."""
    caseload = world(data_dir).csv(SEN2_DIR / CASELOAD_FILE,
                                ["time_period", "geographic_level", "old_la_code", "breakdown_topic", "ehcplans",
                                 *TYPE_TOTALS])
    counts = _by_council(caseload[caseload["time_period"] == time_period], ["ehcplans", *TYPE_TOTALS],
                         Path(data_dir))
    frame = pd.DataFrame({"ehcplans": counts["ehcplans"], "by_type": counts[TYPE_TOTALS].sum(axis=1, min_count=1)})
    return frame.groupby(level=0).sum(min_count=1)


def load_specialist_totals(data_dir: Path, time_period: int = 202425) -> pd.Series:
    """Each council's children in specialist placements over all ages (the types of ``SPECIALIST_PLACEMENTS``)."""
    columns = list(SPECIALIST_PLACEMENTS)
    caseload = world(data_dir).csv(SEN2_DIR / CASELOAD_FILE,
                                ["time_period", "geographic_level", "old_la_code", "breakdown_topic", *columns])
    counts = _by_council(caseload[caseload["time_period"] == time_period], columns, Path(data_dir))
    return counts.sum(axis=1, min_count=1).groupby(level=0).sum(min_count=1).dropna()


def load_area_plan_series(data_dir: Path) -> pd.DataFrame:
    """Return EHC plans in January of each year for England and each region as SEN2 publishes them (not summed from
    today's councils, some of which were formed after 2019): index ``area`` (``E92000001`` or a region's code), one
    column per year, 2019 to 2025."""
    caseload = world(data_dir).csv(SEN2_DIR / CASELOAD_FILE,
                                ["time_period", "geographic_level", "country_code", "region_code", "breakdown_topic",
                                 "ehcplans"])
    rows = caseload[caseload["geographic_level"].isin(["National", "Regional"])
                    & (caseload["breakdown_topic"] == "All EHC plans")]
    area = rows["country_code"].where(rows["geographic_level"] == "National", rows["region_code"])
    table = pd.DataFrame({"area": area.to_numpy(), "plans": pd.to_numeric(rows["ehcplans"], errors="coerce").to_numpy(),
                          "year": rows["time_period"].astype(str).str[-2:].astype(int).to_numpy() + 2000})
    return table.pivot_table(index="area", columns="year", values="plans", aggfunc="sum").sort_index(axis=1)
