"""Apply a user's own figures to the providers table: vacancies, places and designations override the
register's published and estimated ones (the best evidence first), and say so in their source columns."""

import numpy as np
import pandas as pd

from core.errors import PlacewiseError


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
