"""Read a user's own full GIAS extract (``edubasealldata*.csv``, Windows-1252, as downloaded from GIAS).

The full extract carries what the published files lack: resourced-provision and SEN-unit capacity, school
capacity and boarding. It becomes the same raw register frame as ``geodata.gias_published``.
"""

from pathlib import Path

import pandas as pd

from geodata.tables import read_csv_checked

REQUIRED = [
    "URN", "EstablishmentName", "TypeOfEstablishment (name)", "EstablishmentStatus (name)",
    "StatutoryLowAge", "StatutoryHighAge", "Easting", "Northing",
]
SEN_COLUMNS = [f"SEN{number} (name)" for number in range(1, 14)]
SPECIAL_GROUP = "Special schools"
#: GIAS ``OfficialSixthForm`` to whether the setting teaches post-16 ("Not applicable" and the rest: unknown).
SIXTH_FORM = {"Has a sixth form": "yes", "Does not have a sixth form": "no"}


def load_gias_extract(path: Path) -> pd.DataFrame:
    """Read a full GIAS extract into the raw register: special schools and schools with SEN provision."""
    extract = read_csv_checked(Path(path), REQUIRED, encoding="cp1252", dtype=str)
    sen_columns = [column for column in SEN_COLUMNS if column in extract.columns]
    labels = extract[sen_columns].apply(
        lambda row: "; ".join(value for value in row.dropna() if value and value != "Not applicable"), axis=1
    ) if sen_columns else pd.Series("", index=extract.index)
    labels = labels.where(labels.astype(bool))
    group = _column(extract, "EstablishmentTypeGroup (name)")
    type_name = extract["TypeOfEstablishment (name)"]
    special = group.eq(SPECIAL_GROUP) | type_name.str.contains("special", case=False, na=False)
    extract, labels = extract[labels.notna() | special], labels[labels.notna() | special]
    return pd.DataFrame({
        "provider_id": pd.to_numeric(extract["URN"], errors="coerce"),
        "name": extract["EstablishmentName"],
        "easting": _number(extract, "Easting"),
        "northing": _number(extract, "Northing"),
        "type_name": extract["TypeOfEstablishment (name)"],
        "sen_labels": labels,
        "age_low": _number(extract, "StatutoryLowAge"),
        "age_high": _number(extract, "StatutoryHighAge"),
        "post16_text": _column(extract, "OfficialSixthForm (name)").map(SIXTH_FORM),
        "gender_text": _column(extract, "Gender (name)"),
        "ofsted_text": _column(extract, "OfstedRating (name)"),
        "status_text": extract["EstablishmentStatus (name)"],
        "on_roll": _number(extract, "NumberOfPupils"),
        "ehcp_on_roll": _number(extract, "SENStat"),
        "dfe_la_code": _number(extract, "LA (code)"),
        "council": _column(extract, "GSSLACode (name)"),
        "school_capacity": _number(extract, "SchoolCapacity"),
        "rp_type": _column(extract, "TypeOfResourcedProvision (name)"),
        "rp_capacity": _number(extract, "ResourcedProvisionCapacity"),
        "rp_on_roll": _number(extract, "ResourcedProvisionOnRoll"),
        "unit_capacity": _number(extract, "SenUnitCapacity"),
        "unit_on_roll": _number(extract, "SenUnitOnRoll"),
        "boarders_text": _column(extract, "Boarders (name)"),
    }).reset_index(drop=True)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].replace("", pd.NA)
    return pd.Series(pd.NA, index=frame.index, dtype="object")


def _number(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_numeric(_column(frame, name), errors="coerce")
