"""Build the ``providers`` table from a raw GIAS register: kinds, needs, councils, places and vacancies.

Places and vacancies come from the best evidence there is, each marked with its source and a note
(``geodata.capacity``).
"""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from core.vocabulary import NEEDS, SPECIAL_KINDS
from geodata.capacity import estimate_places
from geodata.councils import load_council_boundaries, load_council_codes, locate_councils
from geodata.gias_extract import load_gias_extract
from geodata.gias_published import load_published_register
from geodata.sen2 import CASELOAD_FILE, SEN2_DIR, load_unit_children

if TYPE_CHECKING:
    import geopandas as gpd

#: GIAS establishment types to the architecture's provider kinds; other types are mainstream schools,
#: which enter the register only through a resourced provision or SEN unit.
TYPE_TO_KIND = {
    "Community special school": "special_maintained",
    "Foundation special school": "special_maintained",
    "Academy special converter": "special_academy",
    "Academy special sponsor led": "special_academy",
    "Free schools special": "special_academy",
    "Non-maintained special school": "non_maintained_special",
    "Other independent special school": "independent_special",
    "Pupil referral unit": "alternative_provision",
    "Academy alternative provision converter": "alternative_provision",
    "Academy alternative provision sponsor led": "alternative_provision",
    "Free schools alternative provision": "alternative_provision",
    "Further education": "fe_college",
    "Sixth form centres": "fe_college",
    "Special post 16 institution": "specialist_post16",
}
INDEPENDENT_MAINSTREAM = "Other independent school"
YES_NO = {"yes": True, "no": False}
NOT_ENGLAND_TYPES = {"Welsh establishment", "British schools overseas", "Offshore schools"}

#: Statutory age ranges by type, used only where no age range is published (nursery schools, PRUs that
#: are missing from the performance tables); such rows are marked ``age_source == "type_default"``.
TYPE_DEFAULT_AGES = {"Local authority nursery school": (2, 5), "Pupil referral unit": (5, 16)}

OFSTED_GRADES = {
    "Outstanding": 1, "Good": 2, "Requires improvement": 3, "Inadequate": 4, "Serious Weaknesses": 4,
    "Special Measures": 4,
}
GENDERS = {"Boys": "boys", "Girls": "girls"}
BOARDING = {"Boarding school": True, "Children's home (boarding school)": True, "Has boarders": True,
            "No boarders": False}

RAW_COLUMNS = [
    "provider_id", "name", "easting", "northing", "type_name", "sen_labels", "age_low", "age_high",
    "gender_text", "ofsted_text", "status_text", "on_roll", "ehcp_on_roll", "dfe_la_code", "council",
    "school_capacity", "rp_type", "rp_capacity", "rp_on_roll", "unit_capacity", "unit_on_roll", "boarders_text",
    "post16_text",
]


@dataclass(frozen=True)
class Register:
    """The providers table and what was left out of it, with the reason and count of each."""

    providers: pd.DataFrame
    dropped: pd.Series  # reason -> number of rows
    source: str


def load_register(data_dir: Path | None = None, gias_extract: Path | None = None) -> Register:
    """Load the providers table from a data folder's published GIAS files, or a user's full GIAS extract.

    The data folder (laid out like ``../shared/data``) is still needed with an extract, for council codes.
    """
    if data_dir is None:
        raise PlacewiseError("--data: the register needs a data folder laid out like ../shared/data")
    data_dir = Path(data_dir)
    raw = load_gias_extract(gias_extract) if gias_extract else load_published_register(data_dir)
    source = register_source(data_dir, gias_extract)
    codes = load_council_codes(data_dir)
    boundaries = load_council_boundaries(data_dir)
    unit_children = load_unit_children(data_dir) if (data_dir / SEN2_DIR / CASELOAD_FILE).is_file() else None
    providers, dropped = build_providers(raw, codes, boundaries, unit_children)
    return Register(providers=providers, dropped=dropped, source=source)


def register_source(data_dir: Path, gias_extract: Path | None = None) -> str:
    """Where the register comes from, as its answers name it: the user's extract or the folder's GIAS files."""
    return str(gias_extract) if gias_extract else str(Path(data_dir) / "gias")


def build_providers(raw: pd.DataFrame, codes: pd.DataFrame, boundaries: "gpd.GeoDataFrame",
                    unit_children: pd.Series | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Turn a raw register into the providers table; return it with the count of rows dropped per reason.

    ``unit_children`` (SEN2's children in resourced provision and units by council) sizes the units whose
    capacity is not published.
    """
    raw = raw.reset_index(drop=True)
    if "post16_text" not in raw:  # a raw register from before the phase flags were read
        raw = raw.assign(post16_text=pd.NA)
    reasons = pd.Series(pd.NA, index=raw.index, dtype="object")

    def drop(mask: pd.Series, reason: str) -> None:
        reasons[mask & reasons.isna()] = reason

    drop(raw["provider_id"].isna(), "no URN")
    drop(raw["provider_id"].duplicated(), "duplicate URN")
    drop(raw["type_name"].isin(NOT_ENGLAND_TYPES), "not a school in England")
    drop(raw["type_name"].isna(), "type unknown: not in the performance tables or the census")

    needs = raw["sen_labels"].map(parse_sen_labels)
    kind = _kinds(raw, needs)
    special = kind.isin(SPECIAL_KINDS)
    # A special school that publishes no SEN provision type is still a special school; with no designation
    # it is kept but matches no need, and the loader reports how many such schools there are.
    age_low, age_high, age_source = _ages(raw)
    drop(age_low.isna() | age_high.isna(), "age range unknown")
    council = _councils(raw, codes, boundaries)
    drop(council.isna(), "council unknown: no council code and no location")

    support_only = raw["type_name"].eq(INDEPENDENT_MAINSTREAM)
    capacity = estimate_places(raw, kind, council, unit_children, support_only)
    providers = pd.DataFrame({
        "provider_id": raw["provider_id"],
        "name": raw["name"].fillna("(name not published)"),
        "host_council": council,
        "kind": kind,
        "designated_needs": needs,
        "age_low": age_low,
        "age_high": age_high,
        "age_source": age_source,
        "post16": raw["post16_text"].map(YES_NO).astype("boolean"),
        "gender": raw["gender_text"].map(GENDERS).fillna("mixed"),
        "residential": raw["boarders_text"].map(BOARDING).astype("boolean"),
        "ofsted": raw["ofsted_text"].map(OFSTED_GRADES).astype("Int8"),
        "on_roll": pd.to_numeric(raw["on_roll"], errors="coerce").astype("Int64"),
        "ehcp_on_roll": pd.to_numeric(raw["ehcp_on_roll"], errors="coerce").astype("Int64"),
        "places": capacity["places"],
        "places_source": capacity["places_source"],
        "places_note": capacity["places_note"],
        "vacancies": capacity["vacancies"],
        "vacancies_source": capacity["vacancies_source"],
        "status": raw["status_text"].map(_status),
        "easting": pd.to_numeric(raw["easting"], errors="coerce"),
        "northing": pd.to_numeric(raw["northing"], errors="coerce"),
    })
    kept = reasons.isna()
    providers = providers[kept].astype({"provider_id": int}).set_index("provider_id").sort_index()
    providers["is_special_school"] = special[kept].to_numpy()
    providers["provision_named"] = ~support_only[kept].to_numpy()
    return providers, reasons.dropna().value_counts()


def parse_sen_labels(labels: object) -> tuple[str, ...]:
    """Map GIAS SEN provision labels ("ASD - Autistic Spectrum Disorder; SpLD - ...") to SEN2 codes."""
    if not isinstance(labels, str):
        return ()
    codes = {label.split(" - ")[0].strip().upper() for label in labels.split(";")}
    return tuple(code for code in NEEDS if code in codes)


def _kinds(raw: pd.DataFrame, needs: pd.Series) -> pd.Series:
    kind = raw["type_name"].map(TYPE_TO_KIND)
    unit = raw["rp_type"].fillna("").str.contains("SEN unit", case=False) & ~raw["rp_type"].fillna("").str.contains(
        "Resourced", case=False)
    with_provision = needs.map(bool)
    mainstream_kind = pd.Series(np.where(unit, "sen_unit", np.where(with_provision, "resourced_provision",
                                                                       "mainstream")), index=raw.index)
    # Independent mainstream schools with SEN provision have no council-funded unit: they stay mainstream, with no
    # places until a council's file names them (``geodata.capacity.PLACE_RULES``).
    mainstream_kind[raw["type_name"].eq(INDEPENDENT_MAINSTREAM)] = "mainstream"
    return kind.fillna(mainstream_kind)


def _ages(raw: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    low = pd.to_numeric(raw["age_low"], errors="coerce")
    high = pd.to_numeric(raw["age_high"], errors="coerce")
    defaults = raw["type_name"].map(TYPE_DEFAULT_AGES)
    published = low.notna() & high.notna()
    source = pd.Series(np.where(published, "published", "type_default"), index=raw.index)
    low = low.fillna(defaults.map(lambda ages: ages[0] if isinstance(ages, tuple) else np.nan))
    high = high.fillna(defaults.map(lambda ages: ages[1] if isinstance(ages, tuple) else np.nan))
    return low.astype("Int64"), high.astype("Int64"), source


def _councils(raw: pd.DataFrame, codes: pd.DataFrame, boundaries: "gpd.GeoDataFrame") -> pd.Series:
    dfe_code = pd.to_numeric(raw["dfe_la_code"], errors="coerce")
    from_code = dfe_code.map(codes["council"])
    # A council code given by the file is used only where it is a current one (extracts may carry old codes).
    council = raw["council"].where(raw["council"].isin(set(codes["council"]))).fillna(from_code)
    missing = council.isna() & raw["easting"].notna() & raw["northing"].notna()
    if missing.any():
        located = locate_councils(raw.loc[missing, "easting"].to_numpy(float),
                                  raw.loc[missing, "northing"].to_numpy(float), boundaries)
        council[missing] = located.to_numpy()
    return council


def _status(text: object) -> str:
    if not isinstance(text, str) or text.startswith("Open"):
        return "proposed_to_close" if isinstance(text, str) and "close" in text else "open"
    return "closed" if text.startswith("Closed") else "open"
