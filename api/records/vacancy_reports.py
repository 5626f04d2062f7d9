"""Vacancy reports from the council that hosts a setting: checked (the provider exists, the caller's councils
host it), stored and audited. The API's ``PUT /v1/providers/{id}/vacancies`` and the commissioner's pages (a form,
or a CSV of many settings) both come here."""

from fastapi import Request

from api.platform.security.audit import audit_many
from api.platform.security.auth import Principal
from api.platform.store.models import VacancyReport
from api.records.register import RegisterView
from core.errors import Forbidden, NotFound


def hosted_provider(caller: Principal, view: RegisterView, provider_id: int) -> str:
    """The host council of a provider the caller's councils host; 404 for no such provider, 403 for another
    council's."""
    table = view.inputs.providers
    if provider_id not in table.index:
        raise NotFound("no such provider")
    host = str(table.at[provider_id, "host_council"])
    if not caller.may_see(host):
        raise Forbidden("you may only report vacancies for providers your councils host")
    return host


def report_vacancies(request: Request, caller: Principal, view: RegisterView,
                     reports: list[tuple[int, str, int]]) -> None:
    """Store reports of (provider id, need or ALL, places free), all or none, one audit row per provider."""
    hosts = {provider_id: hosted_provider(caller, view, provider_id) for provider_id, _, _ in reports}
    with request.app.state.sessions.begin() as session:
        session.add_all(VacancyReport(provider_id=provider_id, need=need, vacancies=count, reported_by=caller.name)
                        for provider_id, need, count in reports)
        audit_many(request, caller, "update", "vacancies", [(str(provider_id), host) for provider_id, host in
                                                            hosts.items()], session=session)
