"""Providers: the public register (list, read) and vacancy reports from the councils that host them."""

import math

from fastapi import APIRouter, HTTPException, Query, Request

from api.platform.parameters import Limit, Offset
from api.platform.security.auth import AnyRole, VacancyRole
from api.records.vacancy_reports import report_vacancies
from api.service.dependencies import RegisterDep
from api.service.schemas.common import problems
from api.service.schemas.providers import ProviderAnswer, VacancyUpdate

router = APIRouter(prefix="/v1/providers", tags=["providers"], responses=problems(400, 401, 403, 404, 413, 422, 429))


@router.get("", response_model=list[ProviderAnswer])
def list_providers(register: RegisterDep, caller: AnyRole,
                   council: str | None = Query(None, max_length=9), kind: str | None = Query(None, max_length=40),
                   limit: Limit = 100, offset: Offset = 0) -> list[dict]:
    table = register.inputs.providers
    if council:
        table = table[table["host_council"] == council]
    if kind:
        table = table[table["kind"] == kind]
    return [_provider_json(provider_id, row) for provider_id, row in table.iloc[offset:offset + limit].iterrows()]


@router.get("/{provider_id}", response_model=ProviderAnswer)
def read_provider(provider_id: int, register: RegisterDep, caller: AnyRole) -> dict:
    table = register.inputs.providers
    if provider_id not in table.index:
        raise HTTPException(404, "no such provider")
    return _provider_json(provider_id, table.loc[provider_id])


@router.put("/{provider_id}/vacancies", response_model=ProviderAnswer)
def update_vacancies(provider_id: int, update: VacancyUpdate, request: Request, register: RegisterDep,
                     caller: VacancyRole) -> dict:
    reports = [(provider_id, "ALL", update.vacancies), *((provider_id, str(need), count)
                                                         for need, count in update.by_need.items())]
    report_vacancies(request, caller, register, reports)
    return _provider_json(provider_id, request.app.state.register.current().inputs.providers.loc[provider_id])


def _provider_json(provider_id: int, row) -> dict:  # type: ignore[no-untyped-def]
    fields = ("name", "kind", "host_council", "age_low", "age_high", "places", "vacancies", "easting", "northing")
    answer = {"provider_id": int(provider_id), "designated_needs": list(row["designated_needs"])}
    for name in fields:
        value = row.get(name)
        answer[name] = None if value is None or (isinstance(value, float) and math.isnan(value)) or str(
            value) in ("<NA>", "nan") else (value if isinstance(value, str) else float(value))
    return answer
