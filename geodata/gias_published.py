"""Read the DfE's published schools files (GIAS spring 2025, performance tables and census 2023/24).

The four files of ``gias/`` in a folder laid out like ``../shared/data`` are joined into one raw register
frame (see ``geodata.register.RAW_COLUMNS``); ``geodata.register`` turns that into the providers table.
"""

from pathlib import Path

import pandas as pd

from core.errors import PlacewiseError
from geodata.world import world

GIAS_DIR = Path("gias")
COORDINATES_FILE = "School_Characteristics_with_Coordinates.csv"
SEN_FILE = "Simplified_SEN_Provision_List.csv"
INFORMATION_FILE = "england_school_information_2023-24.csv"
CENSUS_FILE = "england_census_2023-24.csv"

#: Census school types for establishments missing from the performance tables, as GIAS type names.
CENSUS_TYPE_TO_GIAS = {
    "State-funded nursery": "Local authority nursery school",
    "State-funded AP school": "Pupil referral unit",
    "State-funded special school": "Community special school",
    "Non-maintained special school": "Non-maintained special school",
    "Special school": "Community special school",
}


def load_published_register(data_dir: Path) -> pd.DataFrame:
    """Join the published GIAS files into the raw register: every special school and SEN provision.

    The SEN provision list has no URN: its rows line up one for one with the coordinates file, which is
    checked by name before the two are joined.
    """
    folder, published = Path(data_dir) / GIAS_DIR, world(data_dir)
    coordinates = published.csv(GIAS_DIR / COORDINATES_FILE, ["URN", "EstablishmentName", "Easting", "Northing"]
    )
    sen = published.csv(GIAS_DIR / SEN_FILE, ["EstablishmentName", "SEN_Provision_List", "HasSENProvision"])
    _check_aligned(coordinates, sen, folder)
    information = published.csv(GIAS_DIR / INFORMATION_FILE,
        ["URN", "LA", "SCHNAME", "SCHSTATUS", "MINORGROUP", "SCHOOLTYPE", "ISPOST16", "AGELOW", "AGEHIGH", "GENDER",
         "OFSTEDRATING"],
    )
    census = published.csv(GIAS_DIR / CENSUS_FILE, ["URN", "LA", "SCHOOLTYPE", "NOR", "TSENELSE"])

    register = coordinates.assign(
        sen_labels=sen["SEN_Provision_List"].where(sen["HasSENProvision"].astype(str) == "True")
    )
    register = register.merge(information, on="URN", how="outer", suffixes=("", "_information"))
    census = census.assign(URN=pd.to_numeric(census["URN"], errors="coerce")).dropna(subset=["URN"])
    census = census.astype({"URN": int}).rename(columns={"LA": "LA_census", "SCHOOLTYPE": "SCHOOLTYPE_census"})
    register = register.merge(census[["URN", "LA_census", "SCHOOLTYPE_census", "NOR", "TSENELSE"]],
                              on="URN", how="left")

    special = register["MINORGROUP"].eq("Special school") & register["SCHSTATUS"].ne("Closed")
    keep = register["sen_labels"].notna() | special
    register = register[keep]
    type_name = register["SCHOOLTYPE"].fillna(register["SCHOOLTYPE_census"].map(CENSUS_TYPE_TO_GIAS))
    return pd.DataFrame({
        "provider_id": register["URN"].astype(int),
        "name": register["EstablishmentName"].fillna(register["SCHNAME"]),
        "easting": register["Easting"],
        "northing": register["Northing"],
        "type_name": type_name,
        "sen_labels": register["sen_labels"],
        "age_low": register["AGELOW"],
        "age_high": register["AGEHIGH"],
        "post16_text": register["ISPOST16"].map({1: "yes", 0: "no", "1": "yes", "0": "no"}),
        "gender_text": register["GENDER"],
        "ofsted_text": register["OFSTEDRATING"],
        "status_text": register["SCHSTATUS"].fillna("Open"),
        "on_roll": register["NOR"],
        "ehcp_on_roll": register["TSENELSE"],
        "dfe_la_code": register["LA"].fillna(register["LA_census"]),
        "council": pd.NA,
        "school_capacity": pd.NA,
        "rp_type": pd.NA,
        "rp_capacity": pd.NA,
        "rp_on_roll": pd.NA,
        "unit_capacity": pd.NA,
        "unit_on_roll": pd.NA,
        "boarders_text": pd.NA,
    }).reset_index(drop=True)


def _check_aligned(coordinates: pd.DataFrame, sen: pd.DataFrame, folder: Path) -> None:
    if len(coordinates) != len(sen):
        raise PlacewiseError(
            f"{folder / SEN_FILE}: has {len(sen)} rows but {COORDINATES_FILE} has {len(coordinates)}; the "
            "two files must come from the same GIAS release, row for row"
        )
    mismatched = (coordinates["EstablishmentName"].fillna("") != sen["EstablishmentName"].fillna(""))
    if mismatched.any():
        rows = ", ".join(str(row + 2) for row in mismatched[mismatched].index[:5])
        raise PlacewiseError(
            f"{folder / SEN_FILE}: rows {rows} name other establishments than {COORDINATES_FILE}; the two "
            "files must come from the same GIAS release, row for row"
        )


def load_establishment_urns(data_dir: Path) -> frozenset[int]:
    """The URN of every establishment the published register lists (of any kind, mainstream included), for
    checking that a URN a council gives exists."""
    coordinates = world(data_dir).csv(GIAS_DIR / COORDINATES_FILE, ["URN"])
    return frozenset(pd.to_numeric(coordinates["URN"], errors="coerce").dropna().astype(int).tolist())
