"""Read the state mainstream schools of the published files: where a new inclusion base could go (secondaries), and
where a child in alternative provision could return to (every phase).

The register (``geodata.register``) holds only special schools and schools with SEN provision; capacity planning
for inclusion bases needs every state-funded mainstream secondary school. They come from the DfE performance
tables (``ISSECONDARY``, maintained schools and academies, open), located by the GIAS coordinates file, with pupils
on roll from the census and the council from the DfE code.
"""

from pathlib import Path

import pandas as pd

from geodata.councils import load_council_codes
from geodata.gias_published import CENSUS_FILE, COORDINATES_FILE, GIAS_DIR, INFORMATION_FILE
from geodata.world import world

STATE_MAINSTREAM = ("Maintained school", "Academy")


def load_mainstream_secondaries(data_dir: Path) -> pd.DataFrame:
    """Open state mainstream secondary schools: index URN; name, easting, northing (EPSG:27700), council (ONS),
    age_low, age_high, on_roll. Schools without coordinates or a known council are left out."""
    schools = load_state_mainstream(data_dir)
    return schools[schools["secondary"]].drop(columns=["primary", "secondary"])


def load_state_mainstream(data_dir: Path) -> pd.DataFrame:
    """Open state mainstream schools of every phase: index URN; name, easting, northing (EPSG:27700), council (ONS),
    age_low, age_high, on_roll, and whether each is ``primary`` and ``secondary``. Schools without coordinates or a
    known council are left out."""
    published = world(data_dir)
    information = published.csv(GIAS_DIR / INFORMATION_FILE, ["URN", "LA", "SCHNAME", "SCHSTATUS", "MINORGROUP",
                                                               "ISPRIMARY", "ISSECONDARY", "AGELOW", "AGEHIGH"])
    schools = information[information["MINORGROUP"].isin(STATE_MAINSTREAM)
                          & information["SCHSTATUS"].astype(str).str.startswith("Open")]
    coordinates = published.csv(GIAS_DIR / COORDINATES_FILE, ["URN", "Easting", "Northing"])
    census = published.csv(GIAS_DIR / CENSUS_FILE, ["URN", "NOR"])
    census = census.assign(URN=pd.to_numeric(census["URN"], errors="coerce")).dropna(subset=["URN"])
    table = (schools.merge(coordinates[["URN", "Easting", "Northing"]], on="URN", how="left")
             .merge(census.astype({"URN": int})[["URN", "NOR"]], on="URN", how="left"))
    codes = load_council_codes(Path(data_dir))["council"]
    frame = pd.DataFrame({
        "name": table["SCHNAME"].astype(str).to_numpy(),
        "easting": pd.to_numeric(table["Easting"], errors="coerce").to_numpy(),
        "northing": pd.to_numeric(table["Northing"], errors="coerce").to_numpy(),
        "council": pd.to_numeric(table["LA"], errors="coerce").map(codes).to_numpy(),
        "age_low": pd.to_numeric(table["AGELOW"], errors="coerce").to_numpy(),
        "age_high": pd.to_numeric(table["AGEHIGH"], errors="coerce").to_numpy(),
        "on_roll": pd.to_numeric(table["NOR"], errors="coerce").to_numpy(),
        "primary": (pd.to_numeric(table["ISPRIMARY"], errors="coerce") == 1).to_numpy(),
        "secondary": (pd.to_numeric(table["ISSECONDARY"], errors="coerce") == 1).to_numpy(),
    }, index=pd.Index(table["URN"].astype(int).to_numpy(), name="provider_id"))
    return frame.dropna(subset=["easting", "northing", "council"]).sort_index()
