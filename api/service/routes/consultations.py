"""Consultations: consult chosen settings about a stored child, with the statutory deadline; record each reply;
list what is overdue; have a named officer consider each reply; close.

Every consultation belongs to its child's council: another council's answers 404 exactly as a missing one, and on
PostgreSQL row-level security is a second wall (``child_records.child_session``). Every read and write is audited
against the child. A reply once considered cannot change (a new consultation asks again); a closed consultation
takes no replies.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from api.platform.parameters import Limit, Offset
from api.platform.security.audit import audit, audit_many
from api.platform.security.auth import ChildRole
from api.platform.store.models import Consultation, ConsultedSetting
from api.records import consultation_records as records
from api.records.child_records import child_session
from api.records.consultation_records import consultation_json, own_consultation, setting_json
from api.service.dependencies import RegisterDep, SettingsDep
from api.service.schemas.common import links, problems
from api.service.schemas.consultations import (
    ConsiderationRequest,
    ConsultationAnswer,
    ConsultationRequest,
    ConsultationSummary,
    ConsultedSettingAnswer,
    OverdueReply,
    ReplyRequest,
)
from core.errors import PlacewiseError

router = APIRouter(prefix="/v1/consultations", tags=["consultations"],
                   responses=problems(400, 401, 403, 404, 409, 413, 422, 429))
AsOf = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="The day to count from, "
                                   "YYYY-MM-DD (today by default)")]
CONSULTATION_LINKS = links(201, "The settings are consulted", "consultation_id", {
    "ReadConsultation": "read_consultation_v1_consultations__consultation_id__get",
    "CloseConsultation": "close_consultation_v1_consultations__consultation_id__close_post"})
HTML: dict[int | str, dict] = {200: {"content": {"text/html": {"schema": {"type": "string"}}}}}


@router.post("", status_code=201, response_model=ConsultationAnswer, responses=CONSULTATION_LINKS)
def consult(body: ConsultationRequest, request: Request, register: RegisterDep, settings: SettingsDep,
            caller: ChildRole) -> dict:
    """Consult settings about a stored child of the caller's council; each has ``consultation_days`` to reply."""
    return records.consult(request, caller, register.inputs.providers, body.child_id, body.provider_ids,
                           body.sent_on, body.case_reference, settings.consultation_days)


@router.get("", response_model=list[ConsultationSummary])
def list_consultations(request: Request, caller: ChildRole, limit: Limit = 100, offset: Offset = 0) -> list[dict]:
    """The caller's councils' consultations, newest first (without their settings)."""
    with child_session(request, caller) as session:
        query = select(Consultation).where(caller.sees(Consultation.council)).order_by(
            Consultation.created_at.desc(), Consultation.id)
        rows = session.scalars(query.offset(offset).limit(limit)).all()
    audit_many(request, caller, "list", "child", [(row.child_id, row.council) for row in rows] or [(None, None)],
               f"{len(rows)} consultations, offset {offset}")
    return [{"consultation_id": row.id, "child_id": row.child_id, "council": row.council, "status": row.status,
             "created_at": row.created_at.isoformat()} for row in rows]


@router.get("/overdue", response_model=list[OverdueReply])
def overdue(request: Request, caller: ChildRole, as_of: AsOf = None) -> list[dict]:
    """Settings of open consultations whose deadline has passed with no reply recorded, oldest deadline first."""
    day = _day(as_of) if as_of else date.today()
    with child_session(request, caller) as session:
        query = (select(ConsultedSetting, Consultation).join(Consultation, Consultation.id ==
                                                              ConsultedSetting.consultation_id)
                 .where(Consultation.status == "open", ConsultedSetting.reply.is_(None),
                        ConsultedSetting.deadline < day)
                 .order_by(ConsultedSetting.deadline, ConsultedSetting.id))
        if caller.role != "admin":
            query = query.where(Consultation.council.in_(caller.councils))
        rows = session.execute(query.limit(1_000)).all()
    audit_many(request, caller, "list", "child", [(found.child_id, found.council) for _, found in rows]
               or [(None, None)], f"{len(rows)} overdue replies")
    return [{"consultation_id": found.id, "child_id": found.child_id, "council": found.council,
             "days_overdue": (day - setting.deadline).days, **setting_json(setting)} for setting, found in rows]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PlacewiseError("as_of: give a real day as YYYY-MM-DD") from None


@router.get("/{consultation_id}", response_model=ConsultationAnswer)
def read_consultation(consultation_id: str, request: Request, caller: ChildRole) -> dict:
    found, settings = own_consultation(request, caller, consultation_id)
    audit(request, caller, "read", "child", found.child_id, found.council, f"consultation {found.id}")
    return consultation_json(found, settings)


@router.get("/{consultation_id}/letters/{provider_id}", response_class=Response, responses=HTML)
def consultation_letter_page(consultation_id: str, provider_id: int, request: Request,
                             caller: ChildRole) -> HTMLResponse:
    """The letter consulting one setting (Children and Families Act 2014 s39), made from the stored consultation."""
    return HTMLResponse(records.consultation_letter_html(request, caller, consultation_id, provider_id))


@router.put("/{consultation_id}/replies/{provider_id}", response_model=ConsultedSettingAnswer)
def record_reply(consultation_id: str, provider_id: int, body: ReplyRequest, request: Request,
                 caller: ChildRole) -> dict:
    """A setting's reply: can meet the needs; cannot (with the reason's category); or no reply by the deadline."""
    return records.record_reply(request, caller, consultation_id, provider_id, body.reply, body.reason,
                                body.replied_on)


@router.post("/{consultation_id}/replies/{provider_id}/considered", response_model=ConsultedSettingAnswer)
def consider_reply(consultation_id: str, provider_id: int, body: ConsiderationRequest, request: Request,
                   caller: ChildRole) -> dict:
    """The named officer (the caller, a person signed in) has considered the setting's reply, with a note about
    the reply (never a person's details)."""
    return records.consider_reply(request, caller, consultation_id, provider_id, body.note)


@router.post("/{consultation_id}/close", response_model=ConsultationAnswer)
def close_consultation(consultation_id: str, request: Request, caller: ChildRole) -> dict:
    """Close the consultation without a decision: it takes no more replies."""
    return records.close(request, caller, consultation_id)
