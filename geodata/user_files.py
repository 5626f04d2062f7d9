"""Read users' own files: vacancies, places, designations and prices; each bad row is named, nothing half-read.

- vacancies: ``provider_id, need, vacancies`` (need ``ALL`` or empty for the setting as a whole);
- places: ``provider_id, places`` (a council's commissioned places, or a setting's own capacity);
- designations: ``provider_id, needs`` (SEN2 codes separated by ``;``, from a local offer or framework);
- tariffs: ``provider_id`` or ``kind``, optional ``need`` and ``need_level``, ``annual_cost_gbp``;
- settings: ``urn, kind, places, boarding, needs`` (a council's own list of the settings it commissions as SEN
  provision: boarding ``yes``, ``no`` or ``unknown`` (empty: unknown); needs as designations, empty to keep the
  register's).
"""

from pathlib import Path

import pandas as pd

from core.errors import PlacewiseError
from core.vocabulary import KINDS, NEEDS, TRANSPORT_MODES
from geodata.tables import raise_for_rows, read_csv_checked

ALL_NEEDS = "ALL"
BOARDING_WORDS = {"yes": True, "no": False, "unknown": None, "": None}


def load_vacancy_file(path: Path) -> pd.DataFrame:
    """Read a vacancy file: one row per provider and need (``ALL`` or empty for the setting as a whole).

    Raises:
        PlacewiseError: naming the rows (counted from 2, after the header) whose values are wrong.
    """
    table = read_csv_checked(Path(path), ["provider_id", "need", "vacancies"], dtype=str)
    provider_id = pd.to_numeric(table["provider_id"], errors="coerce")
    need = table["need"].fillna(ALL_NEEDS).str.strip().str.upper()
    vacancies = pd.to_numeric(table["vacancies"], errors="coerce")
    raise_for_rows(path, [
        (provider_id.isna() | (provider_id % 1 != 0), "provider_id must be a whole number (the URN)"),
        (~need.isin([*NEEDS, ALL_NEEDS]), f"need must be one of {', '.join(NEEDS)}, or ALL or empty"),
        (vacancies.isna() | (vacancies < 0) | (vacancies % 1 != 0), "vacancies must be a whole number, 0 or more"),
    ])
    frame = pd.DataFrame({"provider_id": provider_id.astype(int), "need": need, "vacancies": vacancies.astype(int)})
    duplicated = frame.duplicated(["provider_id", "need"], keep=False)
    raise_for_rows(path, [(duplicated, "the same provider and need appear twice; keep one row")])
    return frame


def load_places_file(path: Path) -> pd.DataFrame:
    """Read a places file: one row per provider, a whole number of places (0 or more).

    Raises:
        PlacewiseError: naming the rows whose values are wrong or repeated.
    """
    table = read_csv_checked(Path(path), ["provider_id", "places"], dtype=str)
    provider_id = pd.to_numeric(table["provider_id"], errors="coerce")
    places = pd.to_numeric(table["places"], errors="coerce")
    raise_for_rows(path, [
        (provider_id.isna() | (provider_id % 1 != 0), "provider_id must be a whole number (the URN)"),
        (places.isna() | (places < 0) | (places % 1 != 0), "places must be a whole number, 0 or more"),
    ])
    raise_for_rows(path, [(provider_id.duplicated(keep=False), "the same provider appears twice; keep one row")])
    return pd.DataFrame({"provider_id": provider_id.astype(int), "places": places.astype(int)})


def load_designations_file(path: Path) -> pd.DataFrame:
    """Read a designations file: one row per provider, its designated needs (``ASD;SLCN``; empty for none).

    Raises:
        PlacewiseError: naming the rows with an unknown need code, a bad id or a repeated provider.
    """
    table = read_csv_checked(Path(path), ["provider_id", "needs"], dtype=str, keep_default_na=False)
    provider_id = pd.to_numeric(table["provider_id"], errors="coerce")
    needs = table["needs"].map(lambda text: [item.strip().upper() for item in text.split(";") if item.strip()])
    unknown = needs.map(lambda items: any(item not in NEEDS for item in items))
    raise_for_rows(path, [
        (provider_id.isna() | (provider_id % 1 != 0), "provider_id must be a whole number (the URN)"),
        (unknown, f"needs must be SEN2 codes separated by ';' ({', '.join(NEEDS)})"),
    ])
    raise_for_rows(path, [(provider_id.duplicated(keep=False), "the same provider appears twice; keep one row")])
    ordered = needs.map(lambda items: tuple(need for need in NEEDS if need in items))
    return pd.DataFrame({"provider_id": provider_id.astype(int), "designated_needs": ordered})


def load_tariff_file(path: Path) -> pd.DataFrame:
    """Read a price or tariff file: ``provider_id`` or ``kind``, optional ``need`` and ``need_level``, and
    ``annual_cost_gbp``."""
    table = read_csv_checked(Path(path), ["annual_cost_gbp"], dtype=str)
    if "provider_id" not in table and "kind" not in table:
        raise PlacewiseError(f"{path}: give a provider_id or a kind column to say what each price is for")
    empty = pd.Series(pd.NA, index=table.index, dtype="object")
    provider_id = pd.to_numeric(table.get("provider_id", empty), errors="coerce")
    need_level = pd.to_numeric(table.get("need_level", empty), errors="coerce")
    cost = pd.to_numeric(table["annual_cost_gbp"].str.replace(r"[£,]", "", regex=True), errors="coerce")
    raise_for_rows(path, [
        (table.get("provider_id", empty).notna() & provider_id.isna(), "provider_id must be a whole number"),
        (table.get("need_level", empty).notna() & ~need_level.isin([1, 2, 3, 4]), "need_level must be 1 to 4"),
        (cost.isna() | (cost <= 0), "annual_cost_gbp must be a number of pounds above zero"),
    ])
    need = table.get("need", empty).str.strip().str.upper().replace("", pd.NA)
    kind = table.get("kind", empty).str.strip().replace("", pd.NA)
    return pd.DataFrame({"provider_id": provider_id.astype("Int64"), "kind": kind, "need": need,
                         "need_level": need_level.astype("Int64"), "annual_cost_gbp": cost.astype(float)})


def load_settings_file(path: Path) -> pd.DataFrame:
    """Read a council's settings file: one row per setting it names as SEN provision (``urn, kind, places,
    boarding, needs``).

    Raises:
        PlacewiseError: naming the rows with a bad URN, kind, places or boarding value, an unknown need code, or a
            repeated URN.
    """
    table = read_csv_checked(Path(path), ["urn", "kind", "places", "boarding", "needs"], dtype=str,
                             keep_default_na=False)
    urn = pd.to_numeric(table["urn"], errors="coerce")
    kind = table["kind"].str.strip()
    places = pd.to_numeric(table["places"], errors="coerce")
    boarding = table["boarding"].str.strip().str.lower()
    needs = table["needs"].map(lambda text: [item.strip().upper() for item in text.split(";") if item.strip()])
    raise_for_rows(path, [
        (urn.isna() | (urn % 1 != 0) | (urn <= 0), "urn must be a whole number (the setting's URN)"),
        (~kind.isin(KINDS), f"kind must be one of {', '.join(KINDS)}"),
        (places.isna() | (places < 0) | (places % 1 != 0), "places must be a whole number, 0 or more"),
        (~boarding.isin(list(BOARDING_WORDS)), "boarding must be yes, no or unknown"),
        (needs.map(lambda items: any(item not in NEEDS for item in items)),
         f"needs must be SEN2 codes separated by ';' ({', '.join(NEEDS)}), or empty to keep the register's"),
    ])
    raise_for_rows(path, [(urn.duplicated(keep=False), "the same urn appears twice; keep one row")])
    return pd.DataFrame({"provider_id": urn.astype(int), "kind": kind, "places": places.astype(int),
                         "residential": boarding.map(BOARDING_WORDS).astype("boolean"),
                         "designated_needs": needs.map(lambda items: tuple(need for need in NEEDS if need in items))})


def load_transport_cost_file(path: Path, councils: frozenset[str]) -> pd.DataFrame:
    """Read a transport-cost file: ``council`` (an ONS code of ``councils``, or ``national`` for every council
    without a row of its own), ``mode`` (one of ``TRANSPORT_MODES``) and ``annual_cost_gbp`` (a year of an average
    journey by that mode). Every bad row is named; returns councils x modes (NaN where not given)."""
    table = read_csv_checked(Path(path), ["council", "mode", "annual_cost_gbp"], dtype=str)
    council = table["council"].fillna("").str.strip()
    council = council.where(council.str.lower() != "national", "national")
    mode = table["mode"].fillna("").str.strip().str.lower()
    cost = pd.to_numeric(table["annual_cost_gbp"].fillna("").str.replace(r"[£,]", "", regex=True), errors="coerce")
    raise_for_rows(path, [
        ((council != "national") & ~council.isin(councils),
         "council is not a council of the data (give its 2023 ONS code, such as E06000001, or national)"),
        (~mode.isin(TRANSPORT_MODES), f"mode must be one of {', '.join(TRANSPORT_MODES)}"),
        (cost.isna() | (cost <= 0), "annual_cost_gbp must be a number of pounds above zero"),
        (pd.Series(list(zip(council, mode, strict=True)), index=table.index).duplicated(keep=False),
         "the same council and mode appear twice; keep one row"),
    ])
    return pd.DataFrame({"council": council, "mode": mode, "cost": cost}).pivot(
        index="council", columns="mode", values="cost").reindex(columns=list(TRANSPORT_MODES))
