"""Vacancies a setting keeps itself, for the API's portal routes and the setting's pages alike: by need (or the whole
setting) and, where it says, by need level; checked, stored all or none and audited; and their history (every report
is kept: who, when, what).

A setting reports places for a need it is not designated for only with a reason (refused otherwise, by row and field);
places are never negative. Only a person of the setting may report (another setting's URN answers 404, exactly as
one that does not exist).
"""

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import select

from api.platform.security.audit import audit, audit_many
from api.platform.security.auth import Principal
from api.platform.store.models import VacancyReport
from api.records.register import RegisterView
from core.errors import NotFound, PlacewiseError
from core.vocabulary import NEED_WORDS
from scenarios.note_filter import check_note

HISTORY_LIMIT = 200


@dataclass(frozen=True)
class SettingVacancy:
    """One figure: places free for a need (``ALL``: the whole setting), at one need level or all of them."""

    need: str
    vacancies: int
    need_level: int | None = None
    reason: str | None = None


def own_setting(caller: Principal, view: RegisterView, provider_id: int) -> str:
    """The host council of a setting the caller answers for; 404 otherwise (another setting's, or none)."""
    if not caller.answers_for(provider_id) or provider_id not in view.inputs.providers.index:
        raise NotFound("no such setting of yours")
    return str(view.inputs.providers.at[provider_id, "host_council"])


def check_rows(view: RegisterView, provider_id: int, rows: list[SettingVacancy]) -> None:
    """Refuse, by row and field, negative places, a level on the whole setting, and a need the setting is not
    designated for without a reason (where it publishes designations)."""
    designated = set(view.inputs.providers.at[provider_id, "designated_needs"])
    name = view.provider_name(provider_id)
    for number, row in enumerate(rows, start=1):
        where = f"row {number}"
        if row.vacancies < 0:
            raise PlacewiseError(f"{where}: vacancies: places free cannot be negative; give 0 or more; nothing was "
                                 "stored", field="vacancies", row=number)
        if row.need == "ALL" and row.need_level is not None:
            raise PlacewiseError(f"{where}: need_level: a level goes with one need, not the whole setting; nothing "
                                 "was stored", field="need_level", row=number)
        if row.need != "ALL" and designated and row.need not in designated and not (row.reason or "").strip():
            raise PlacewiseError(
                f"{where}: reason: the setting is not designated for {NEED_WORDS[row.need]}; say why it has places "
                "for that need (or report it under a designated need); nothing was stored", field="reason", row=number)
        if row.reason:
            check_note(row.reason, "reason", allowed=(name,))


def report(request: Request, caller: Principal, view: RegisterView, provider_id: int,
           rows: list[SettingVacancy]) -> None:
    """Store a setting's figures, all or none, with one audit row, in one transaction."""
    host = own_setting(caller, view, provider_id)
    if not rows:
        raise PlacewiseError("vacancies: give at least one figure; nothing was stored", field="vacancies")
    check_rows(view, provider_id, rows)
    with request.app.state.sessions.begin() as session:
        session.add_all(VacancyReport(provider_id=provider_id, need=row.need, need_level=row.need_level,
                                      vacancies=row.vacancies, reason=(row.reason or None), reporter="setting",
                                      reported_by=caller.name[:100]) for row in rows)
        audit_many(request, caller, "update", "vacancies", [(str(provider_id), host)],
                   f"{len(rows)} figures by the setting", session=session)


def history(request: Request, caller: Principal, view: RegisterView, provider_id: int) -> list[dict]:
    """The setting's reports, newest first (at most ``HISTORY_LIMIT``), whoever made them; audited."""
    host = own_setting(caller, view, provider_id)
    with request.app.state.sessions() as session:
        rows = list(session.scalars(select(VacancyReport).where(VacancyReport.provider_id == provider_id)
                                    .order_by(VacancyReport.id.desc()).limit(HISTORY_LIMIT)))
    audit(request, caller, "read", "vacancies", str(provider_id), host, f"{len(rows)} reports")
    return [report_json(row) for row in rows]


def report_json(row: VacancyReport) -> dict:
    return {"need": row.need, "need_level": row.need_level, "vacancies": row.vacancies, "reason": row.reason,
            "reporter": row.reporter, "reported_by": row.reported_by, "at": row.at.isoformat()}
