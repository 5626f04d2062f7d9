"""Apply a user's vacancy figures to the providers table: they override published and estimated ones."""

import pandas as pd

from core.errors import PlacewiseError


def apply_vacancies(providers: pd.DataFrame, vacancies: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``providers`` with reported vacancies: ``ALL`` rows set the total, need rows set
    ``need_vacancies`` (and the total, as their sum, where no ``ALL`` row is given).

    Raises:
        PlacewiseError: naming the rows whose provider is not in the register.
    """
    unknown = ~vacancies["provider_id"].isin(providers.index)
    if unknown.any():
        rows = ", ".join(str(row + 2) for row in vacancies.index[unknown][:10])
        raise PlacewiseError(f"vacancy file: row(s) {rows} name providers not in the register; check the URNs "
                             "(the register loaded has only special schools and schools with SEN provision)")
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
