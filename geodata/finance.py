"""Read the DfE's section 251 outturn: councils' high-needs and SEN transport spending by line and phase."""

from pathlib import Path

import pandas as pd

from geodata.councils import FINANCE_FILE, load_council_codes
from geodata.world import world

PHASE_COLUMNS = [
    "early_years_establishments", "primary_schools", "secondary_schools", "sen_and_special_schools",
    "pupil_referral_units_and_alt_provision", "post_16", "net_expenditure",
]


def load_high_needs_spend(data_dir: Path) -> pd.DataFrame:
    """Return spend in pounds, one row per council and s251 line, one column per phase.

    Columns: ``council`` (ONS code, 2023 boundaries), ``line`` (the s251 line number, e.g. "1.2.3"),
    ``category`` (its words) and the phase columns; ``x`` (not available) becomes 0.
    """
    finance = world(data_dir).csv(FINANCE_FILE,
                               ["old_la_code", "category_of_expenditure", *PHASE_COLUMNS])
    codes = load_council_codes(Path(data_dir))
    spend = finance[PHASE_COLUMNS].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    spend.insert(0, "category", finance["category_of_expenditure"])
    spend.insert(0, "line", finance["category_of_expenditure"].str.split(" ").str[0])
    spend.insert(0, "council", pd.to_numeric(finance["old_la_code"], errors="coerce").map(codes["council"]))
    return spend.dropna(subset=["council"]).reset_index(drop=True)
