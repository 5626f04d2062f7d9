"""Apply a scenario's deltas to the providers table: open, close or expand a provider, add places for a need,
set council quotas. Each returns a new table; an unknown provider is an error naming the delta.
"""

import pandas as pd

from core.errors import PlacewiseError
from scenarios.schema import Delta


def apply_provider_deltas(providers: pd.DataFrame, deltas: tuple[Delta, ...]) -> pd.DataFrame:
    """Return the providers table with every provider delta applied in order (demand deltas are skipped)."""
    table = providers.copy()
    for column in ("need_vacancies", "quotas"):
        if column not in table:
            table[column] = [{} for _ in range(len(table))]
    for number, delta in enumerate(deltas):
        where = f"deltas[{number}]"
        if delta.open is not None:
            table = _open(table, delta, where)
        elif delta.close is not None:
            table.loc[_known(table, delta.close, f"{where}.close"), "status"] = "closed"
        elif delta.expand is not None:
            for provider_id, places in delta.expand.items():
                _add_places(table, _known(table, provider_id, f"{where}.expand"), places)
        elif delta.add_places is not None:
            change = delta.add_places
            provider_id = _known(table, change.provider_id, f"{where}.add_places")
            _add_places(table, provider_id, change.places)
            caps = dict(table.at[provider_id, "need_vacancies"])
            if change.need in caps:
                caps[change.need] = caps[change.need] + change.places
                table.at[provider_id, "need_vacancies"] = caps
            needs = tuple(table.at[provider_id, "designated_needs"])
            if needs and change.need not in needs:
                table.at[provider_id, "designated_needs"] = (*needs, change.need)
        elif delta.quota is not None:
            provider_id = _known(table, delta.quota.provider_id, f"{where}.quota")
            table.at[provider_id, "quotas"] = dict(delta.quota.places)
    return table


def _known(table: pd.DataFrame, provider_id: int, where: str) -> int:
    if provider_id not in table.index:
        raise PlacewiseError(f"{where}: provider {provider_id} is not in the register loaded; check the URN")
    return provider_id


def _add_places(table: pd.DataFrame, provider_id: int, places: int) -> None:
    for column in ("places", "vacancies"):
        current = table.at[provider_id, column]
        table.at[provider_id, column] = max(int(0 if pd.isna(current) else current) + places, 0)


def _open(table: pd.DataFrame, delta: Delta, where: str) -> pd.DataFrame:
    spec = delta.open
    assert spec is not None
    if spec.provider_id in table.index:
        raise PlacewiseError(f"{where}.open.provider_id: {spec.provider_id} is already a provider; pick a new id")
    row = {column: pd.NA for column in table.columns}
    row.update(name=spec.name, kind=spec.kind, host_council=spec.host_council, easting=spec.easting,
               northing=spec.northing, designated_needs=tuple(spec.designated_needs), age_low=spec.age_low,
               age_high=spec.age_high, gender=spec.gender, residential=spec.residential, places=spec.places,
               places_source="reported", vacancies=spec.places, vacancies_source="reported", status="open",
               need_vacancies={}, quotas={})
    added = pd.DataFrame([row], index=pd.Index([spec.provider_id], name=table.index.name))
    return pd.concat([table, added.astype(table.dtypes.to_dict(), errors="ignore")])
