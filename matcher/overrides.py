"""Apply a user's own figures to the providers table: vacancies, places and designations override the
register's published and estimated ones (the best evidence first), and say so in their source columns."""

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from core.vocabulary import SPECIAL_KINDS

#: Vacancies of a setting a council's file sizes, where none are reported: one place in twenty a year.
TURNOVER = 0.05


def _check_known(providers: pd.DataFrame, table: pd.DataFrame, what: str) -> None:
    unknown = ~table["provider_id"].isin(providers.index)
    if unknown.any():
        rows = ", ".join(str(row + 2) for row in table.index[unknown][:10])
        raise PlacewiseError(f"{what} file: row(s) {rows} name providers not in the register; check the URNs "
                             "(the register loaded has only special schools and schools with SEN provision)")


def apply_places(providers: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with a user's places (``provider_id, places``): places ``reported``, and vacancies the places
    less pupils on roll where the roll is known.

    Raises:
        PlacewiseError: naming the rows whose provider is not in the register.
    """
    _check_known(providers, places, "places")
    updated = providers.copy()
    given = places.set_index("provider_id")["places"]
    updated["places"] = updated["places"].astype("Int64")
    updated.loc[given.index, "places"] = given.astype("Int64")
    updated.loc[given.index, "places_source"] = "reported"
    if "places_note" in updated:
        updated.loc[given.index, "places_note"] = "reported in the user's places file"
    on_roll = pd.to_numeric(updated.loc[given.index, "on_roll"], errors="coerce") if "on_roll" in updated else None
    if on_roll is not None:
        free = (given - on_roll).clip(lower=0)
        known = free.notna()
        updated["vacancies"] = updated["vacancies"].astype("Int64")
        updated.loc[free.index[known], "vacancies"] = free[known].astype("Int64")
        updated.loc[free.index[known], "vacancies_source"] = "reported"
    return updated


def apply_designations(providers: pd.DataFrame, designations: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose designated needs a council's own file (``provider_id, designated_needs``) replaces.

    Raises:
        PlacewiseError: naming the rows whose provider is not in the register.
    """
    _check_known(providers, designations, "designations")
    updated = providers.copy()
    given = dict(zip(designations["provider_id"], designations["designated_needs"], strict=True))
    updated["designated_needs"] = [given.get(provider_id, needs) for provider_id, needs in
                                   zip(updated.index, updated["designated_needs"], strict=True)]
    updated["designations_source"] = np.where(updated.index.isin(list(given)), "reported",
                                              updated.get("designations_source", "published"))
    return _name_as_provision(updated, list(given))


def _name_as_provision(providers: pd.DataFrame, named: list[int]) -> pd.DataFrame:
    """Settings a council's file names become SEN provision: an independent mainstream school held as support only
    gets its pupils with EHC plans on roll as places, unless a places or settings file gives them."""
    if "provision_named" not in providers:
        return providers
    newly = providers.index.isin(named) & ~providers["provision_named"].astype(bool).to_numpy()
    if newly.any():
        ehcp = pd.to_numeric(providers.loc[newly, "ehcp_on_roll"], errors="coerce").fillna(0).astype("Int64")
        providers.loc[newly, "places"] = ehcp
        providers.loc[newly, "places_source"] = "estimated"
        providers.loc[newly, "places_note"] = ("estimated: pupils with EHC plans on roll (named as provision by "
                                               "the council's designations file)")
        providers.loc[newly, "vacancies"] = np.ceil(ehcp.astype(float) * TURNOVER).astype("Int64")
        providers.loc[newly, "vacancies_source"] = "estimated"
        providers.loc[newly, "provision_named"] = True
    return providers


def apply_settings(providers: pd.DataFrame, settings: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with a council's settings file (``provider_id, kind, places, residential, designated_needs``)
    over the register: each named setting is SEN provision of that kind, with those places (``reported``), its
    boarding status where given, and those designated needs where given.

    Raises:
        PlacewiseError: naming the rows whose URN is not in the register.
    """
    _check_known(providers, settings, "settings")
    updated = providers.copy()
    rows = settings.set_index("provider_id")
    updated.loc[rows.index, "kind"] = rows["kind"]
    updated["places"] = updated["places"].astype("Int64")
    updated.loc[rows.index, "places"] = rows["places"].astype("Int64")
    updated.loc[rows.index, "places_source"] = "reported"
    if "places_note" in updated:
        updated.loc[rows.index, "places_note"] = "reported in the council's settings file"
    updated["vacancies"] = updated["vacancies"].astype("Int64")
    updated.loc[rows.index, "vacancies"] = np.ceil(rows["places"].astype(float) * TURNOVER).astype("Int64")
    updated.loc[rows.index, "vacancies_source"] = "estimated"
    updated["residential"] = updated["residential"].astype("boolean")
    updated.loc[rows.index, "residential"] = rows["residential"].astype("boolean")
    needs = {provider_id: given for provider_id, given in rows["designated_needs"].items() if given}
    updated["designated_needs"] = [needs.get(provider_id, current) for provider_id, current in
                                   zip(updated.index, updated["designated_needs"], strict=True)]
    if "is_special_school" in updated:
        updated.loc[rows.index, "is_special_school"] = rows["kind"].isin(SPECIAL_KINDS).to_numpy()
    if "provision_named" in updated:
        updated.loc[rows.index, "provision_named"] = True
    return updated


def apply_vacancies(providers: pd.DataFrame, vacancies: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``providers`` with reported vacancies: ``ALL`` rows set the total, need rows set
    ``need_vacancies`` (and the total, as their sum, where no ``ALL`` row is given).

    Raises:
        PlacewiseError: naming the rows whose provider is not in the register.
    """
    _check_known(providers, vacancies, "vacancy")
    updated = providers.copy()
    by_need = vacancies[vacancies["need"] != "ALL"]
    totals = vacancies[vacancies["need"] == "ALL"].set_index("provider_id")["vacancies"]
    totals = totals.combine_first(by_need.groupby("provider_id")["vacancies"].sum())
    need_vacancies = {provider_id: dict(zip(group["need"], group["vacancies"], strict=True))
                      for provider_id, group in by_need.groupby("provider_id")}
    current = updated["need_vacancies"] if "need_vacancies" in updated else pd.Series(
        [{}] * len(updated), index=updated.index)
    updated["need_vacancies"] = [need_vacancies.get(provider_id, previous or {})
                                 for provider_id, previous in zip(updated.index, current, strict=True)]
    updated["vacancies"] = updated["vacancies"].astype("Int64")
    updated.loc[totals.index, "vacancies"] = totals.astype("Int64")
    updated.loc[totals.index, "vacancies_source"] = "reported"
    return updated
