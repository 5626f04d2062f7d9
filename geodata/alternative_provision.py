"""Alternative provision (AP) settings, by kind: registered AP from a full GIAS extract (pupil referral units, AP
academies and AP free schools), and unregistered AP from a council's own settings file.

The published files hold no AP (the performance tables leave pupil referral units out, and the coordinates file has no
type), so registered AP needs the user's own full GIAS extract (``edubasealldata*.csv``, Windows-1252), as the
register's capacity does. Unregistered AP (tuition, vocational and other providers a council commissions) is never in
GIAS: a council lists it, one row a setting.

Both come out as one table indexed by ``ap_id`` (the URN as text for registered AP; the council's own id, prefixed
``U-``, for unregistered): ``name, kind, registered, council, easting, northing, age_low, age_high, places``.
"""

from pathlib import Path

import pandas as pd

from core.errors import PlacewiseError
from geodata.tables import read_csv_checked

#: GIAS types of establishment that are registered AP, and the AP kind of each.
GIAS_AP_TYPES = {"Pupil referral unit": "pupil_referral_unit",
                 "Academy alternative provision converter": "ap_academy",
                 "Academy alternative provision sponsor led": "ap_academy",
                 "Free schools alternative provision": "ap_free_school"}
AP_KINDS = {"pupil_referral_unit": "a pupil referral unit", "ap_academy": "an alternative provision academy",
            "ap_free_school": "an alternative provision free school",
            "unregistered_ap": "unregistered alternative provision commissioned by the council"}
AP_COLUMNS = ["name", "kind", "registered", "council", "easting", "northing", "age_low", "age_high", "places"]
UNREGISTERED_COLUMNS = ["setting_id", "name", "council", "easting", "northing", "age_low", "age_high", "places"]


def load_registered_ap(extract: Path, council_of_la: dict[int, str] | None = None) -> pd.DataFrame:
    """Open registered AP of a full GIAS extract; ``council_of_la`` maps the 3-digit DfE code to the ONS code
    where the extract has no ``GSSLACode (name)``."""
    table = read_csv_checked(Path(extract), ["URN", "EstablishmentName", "TypeOfEstablishment (name)",
                                             "EstablishmentStatus (name)", "Easting", "Northing"],
                             encoding="cp1252", dtype=str)
    kind = table["TypeOfEstablishment (name)"].map(GIAS_AP_TYPES)
    table = table[kind.notna() & table["EstablishmentStatus (name)"].astype(str).str.startswith("Open")]
    council = (table["GSSLACode (name)"] if "GSSLACode (name)" in table else
               pd.to_numeric(table.get("LA (code)"), errors="coerce").map(council_of_la or {}))
    frame = pd.DataFrame({
        "name": table["EstablishmentName"].astype(str), "kind": kind[table.index], "registered": True,
        "council": council, "easting": _number(table, "Easting"), "northing": _number(table, "Northing"),
        "age_low": _number(table, "StatutoryLowAge"), "age_high": _number(table, "StatutoryHighAge"),
        "places": _number(table, "SchoolCapacity")})
    frame.index = pd.Index(table["URN"].astype(str).str.strip(), name="ap_id")
    return frame[AP_COLUMNS]


def load_unregistered_ap(path: Path) -> pd.DataFrame:
    """A council's unregistered AP settings (``UNREGISTERED_COLUMNS``; ages and places may be empty); bad rows are
    named, all or nothing."""
    table = read_csv_checked(Path(path), UNREGISTERED_COLUMNS, dtype=str)
    numbers = {name: pd.to_numeric(table[name], errors="coerce") for name in UNREGISTERED_COLUMNS[3:]}
    problems = []
    for column, bad in (("setting_id", table["setting_id"].fillna("").str.strip().eq("")),
                        ("name", table["name"].fillna("").str.strip().eq("")),
                        ("council", ~table["council"].fillna("").str.fullmatch(r"E\d{8}")),
                        ("easting", numbers["easting"].isna()), ("northing", numbers["northing"].isna()),
                        ("places", numbers["places"].notna() & (numbers["places"] < 0))):
        problems += [f"row {number + 2}: {column}" for number in table.index[bad]]
    duplicated = table["setting_id"].duplicated(keep=False)
    problems += [f"row {number + 2}: setting_id appears twice" for number in table.index[duplicated]]
    if problems:
        raise PlacewiseError(f"{path}: check " + "; ".join(sorted(problems)[:10]) + " (setting_id and name given, "
                             "council an ONS code, easting and northing in EPSG:27700, places 0 or more); nothing "
                             "was read", field="unregistered_ap")
    frame = pd.DataFrame({"name": table["name"].str.strip(), "kind": "unregistered_ap", "registered": False,
                          "council": table["council"], **numbers})
    frame.index = pd.Index("U-" + table["setting_id"].str.strip(), name="ap_id")
    return frame[AP_COLUMNS]


def _number(table: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_numeric(table[name], errors="coerce") if name in table else pd.Series(float("nan"), index=table.index)
