"""Read the DfE's SEN2 counts of children with EHC plans in residential settings, by council (38 to 51 weeks a
year, and 52 weeks), from ``sen2/ehcp_2025/residential_settings.csv``."""

from pathlib import Path

import pandas as pd

from geodata.councils import load_council_codes
from geodata.sen2 import PLACEMENT_BREAKDOWNS, PLACEMENT_TOPIC, SEN2_DIR
from geodata.world import world

RESIDENTIAL_FILE = "residential_settings.csv"


def load_residential_counts(data_dir: Path, time_period: int = 202425) -> pd.DataFrame:
    """Children in residential settings by council (ONS code on 2023 boundaries): ``weeks_38_51``, ``weeks_52``;
    suppressed cells count as none."""
    table = world(data_dir).csv(SEN2_DIR / RESIDENTIAL_FILE,
                             ["time_period", "geographic_level", "old_la_code", "breakdown_topic", "Res_3851",
                              "Res_52"])
    rows = table[(table["time_period"] == time_period) & (table["geographic_level"] == "Local authority")
                 & (table["breakdown_topic"] == "All residential placements")]
    codes = load_council_codes(Path(data_dir))["council"]
    council = pd.to_numeric(rows["old_la_code"], errors="coerce").map(codes)
    counts = pd.DataFrame({"weeks_38_51": pd.to_numeric(rows["Res_3851"], errors="coerce").fillna(0),
                           "weeks_52": pd.to_numeric(rows["Res_52"], errors="coerce").fillna(0)})
    return counts.assign(council=council.to_numpy()).dropna(subset=["council"]).groupby("council").sum()


def load_residential_by_placement(data_dir: Path, time_period: int = 202425) -> pd.DataFrame:
    """Children in residential settings (38 to 52 weeks) by area and type of specialist placement: ``area`` (a
    council's ONS code, or a region's), ``level`` (``council`` or ``region``), ``placement_type`` (a provider
    kind), ``residential``; suppressed cells are left out."""
    table = world(data_dir).csv(SEN2_DIR / RESIDENTIAL_FILE,
                             ["time_period", "geographic_level", "region_code", "old_la_code", "breakdown_topic",
                              "breakdown", "Res_tot"])
    rows = table[(table["time_period"] == time_period) & (table["breakdown_topic"] == PLACEMENT_TOPIC)
                 & table["breakdown"].isin(PLACEMENT_BREAKDOWNS)]
    codes = load_council_codes(Path(data_dir))["council"]
    council = pd.to_numeric(rows["old_la_code"], errors="coerce").map(codes)
    area = council.where(rows["geographic_level"] == "Local authority",
                         rows["region_code"].where(rows["geographic_level"] == "Regional"))
    frame = pd.DataFrame({"area": area.to_numpy(),
                          "level": (rows["geographic_level"] == "Regional").map({True: "region", False: "council"}
                                                                                ).to_numpy(),
                          "placement_type": rows["breakdown"].map(PLACEMENT_BREAKDOWNS).to_numpy(),
                          "residential": pd.to_numeric(rows["Res_tot"], errors="coerce").to_numpy()})
    frame = frame.dropna(subset=["area", "residential"])
    return frame.groupby(["area", "level", "placement_type"], as_index=False)["residential"].sum()
