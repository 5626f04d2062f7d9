"""Read the DfE's SEN2 statistics: EHC plans by council, year and type of placement, and by primary need."""

from pathlib import Path

import pandas as pd

from geodata.councils import load_council_codes
from geodata.tables import read_csv_checked
from geodata.vocabulary import NEEDS

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
    caseload = read_csv_checked(Path(data_dir) / SEN2_DIR / CASELOAD_FILE,
                                ["time_period", "geographic_level", "old_la_code", "breakdown_topic",
                                 *PLACEMENT_COLUMNS])
    rows = caseload[caseload["time_period"] == time_period]
    return _by_council(rows, PLACEMENT_COLUMNS, Path(data_dir))


def load_need_counts(data_dir: Path) -> pd.DataFrame:
    """Return EHC plans by primary need for each council in 2024/25, indexed by ``council``, one column a need."""
    columns = [f"number_{need.lower()}" for need in NEEDS]
    needs = read_csv_checked(Path(data_dir) / SEN2_DIR / NEEDS_FILE,
                             ["geographic_level", "old_la_code", "breakdown_topic", *columns])
    return _by_council(needs, columns, Path(data_dir)).set_axis(list(NEEDS), axis=1)


def _by_council(table: pd.DataFrame, columns: list[str], data_dir: Path) -> pd.DataFrame:
    """Keep the councils' rows for all plans, as numbers (``x``, ``z`` missing), indexed by ONS code."""
    rows = table[(table["geographic_level"] == "Local authority") & (table["breakdown_topic"] == "All EHC plans")]
    codes = load_council_codes(data_dir)
    counts = rows[columns].apply(pd.to_numeric, errors="coerce")
    counts.index = pd.to_numeric(rows["old_la_code"], errors="coerce").map(codes["council"]).rename("council")
    return counts[counts.index.notna()]
