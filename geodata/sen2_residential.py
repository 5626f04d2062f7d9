"""Read the DfE's SEN2 counts of children with EHC plans in residential settings, by council (38 to 51 weeks a
year, and 52 weeks), from ``sen2/ehcp_2025/residential_settings.csv``."""

from pathlib import Path

import pandas as pd

from geodata.councils import load_council_codes
from geodata.sen2 import SEN2_DIR
from geodata.tables import read_csv_checked

RESIDENTIAL_FILE = "residential_settings.csv"


def load_residential_counts(data_dir: Path, time_period: int = 202425) -> pd.DataFrame:
    """Children in residential settings by council (ONS code on 2023 boundaries): ``weeks_38_51``, ``weeks_52``;
    suppressed cells count as none."""
    table = read_csv_checked(Path(data_dir) / SEN2_DIR / RESIDENTIAL_FILE,
                             ["time_period", "geographic_level", "old_la_code", "breakdown_topic", "Res_3851",
                              "Res_52"])
    rows = table[(table["time_period"] == time_period) & (table["geographic_level"] == "Local authority")
                 & (table["breakdown_topic"] == "All residential placements")]
    codes = load_council_codes(Path(data_dir))["council"]
    council = pd.to_numeric(rows["old_la_code"], errors="coerce").map(codes)
    counts = pd.DataFrame({"weeks_38_51": pd.to_numeric(rows["Res_3851"], errors="coerce").fillna(0),
                           "weeks_52": pd.to_numeric(rows["Res_52"], errors="coerce").fillna(0)})
    return counts.assign(council=council.to_numpy()).dropna(subset=["council"]).groupby("council").sum()
