"""Consultations: consult chosen settings about a stored child, with the statutory deadline; record each reply;
list what is overdue; have a named officer consider each reply; close.

Every consultation belongs to its child's council: another council's answers 404 exactly as a missing one, and on
PostgreSQL row-level security is a second wall (``child_records.child_session``). Every read and write is audited
against the child. A reply once considered cannot change (a new consultation asks again); a closed consultation
takes no replies.
"""

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from sqlalchemy import select

from api.service.child_records import child_session, own_child
from api.service.consultation_records import consultation_json, own_consultation, setting_json
from api.service.dependencies import RegisterDep, SettingsDep
from api.service.schemas.common import Limit, Offset, links, problems
from api.service.schemas.consultations import ConsiderationRequest, ConsultationRequest, ReplyRequest
from api.service.security.audit import audit, audit_many
from api.service.security.auth import ChildRole
from api.service.store.models import Consultation, ConsultedSetting
from core.errors import PlacewiseError

router = APIRouter(prefix="/v1/consultations", tags=["consultations"],
                   responses=problems(400, 401, 403, 404, 409, 413, 422, 429))
MAX_DAYS_BACK = 60
AsOf = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="The day to count from, "
                                   "YYYY-MM-DD (today by default)")]
CONSULTATION_LINKS = links(201, "The settings are consulted", "consultation_id", {
    "ReadConsultation": "read_consultation_v1_consultations__consultation_id__get",
    "CloseConsultation": "close_consultation_v1_consultations__consultation_id__close_post"})
#: What a note about a setting's reply must not hold: a postcode, a small-area code or a date (of birth, say).
CHILD_DETAILS = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\bE0[12]\d{6}\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b",
                           re.IGNORECASE)


@router.post("", status_code=201, responses=CONSULTATION_LINKS)
def consult(body: ConsultationRequest, request: Request, register: RegisterDep, settings: SettingsDep,
            caller: ChildRole) -> dict:
    """Consult settings about a stored child of the caller's council; each has ``consultation_days`` to reply."""
    record = own_child(request, caller, body.child_id)
    providers = register.inputs.providers
    unknown = [provider_id for provider_id in body.provider_ids if provider_id not in providers.index]
    if unknown:
        raise PlacewiseError(f"provider_ids: {len(unknown)} not in the register; check the URNs; nothing was stored")
    today = date.today()
    sent = body.sent_on or today
    if not today - timedelta(days=MAX_DAYS_BACK) <= sent <= today:
        raise PlacewiseError(f"sent_on: give a day from {MAX_DAYS_BACK} days ago to today; nothing was stored")
    found = Consultation(id=str(uuid.uuid4()), council=record.council, child_id=record.child_id,
                         case_reference=body.case_reference, created_by=caller.name[:100], status="open")
    rows = [ConsultedSetting(consultation_id=found.id, council=record.council, provider_id=provider_id,
                             provider_name=str(providers.at[provider_id, "name"])[:200], sent_on=sent,
                             deadline=sent + timedelta(days=settings.consultation_days))
            for provider_id in body.provider_ids]
    with child_session(request, caller) as session:
        session.add(found)
        session.flush()
        session.add_all(rows)
        audit(request, caller, "consult", "child", record.child_id, record.council,
              f"consultation {found.id}: {len(rows)} settings", "placement_search", body.case_reference,
              session=session)
    return consultation_json(found, rows)


@router.get("")
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


@router.get("/overdue")
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


@router.get("/{consultation_id}")
def read_consultation(consultation_id: str, request: Request, caller: ChildRole) -> dict:
    found, settings = own_consultation(request, caller, consultation_id)
    audit(request, caller, "read", "child", found.child_id, found.council, f"consultation {found.id}")
    return consultation_json(found, settings)


def _setting(found: Consultation, settings: list[ConsultedSetting], provider_id: int) -> ConsultedSetting:
    if found.status != "open":
        raise HTTPException(409, "the consultation is closed; it takes no more replies (consult again)")
    for row in settings:
        if row.provider_id == provider_id:
            return row
    raise HTTPException(404, "no such setting in this consultation")


@router.put("/{consultation_id}/replies/{provider_id}")
def record_reply(consultation_id: str, provider_id: int, body: ReplyRequest, request: Request,
                 caller: ChildRole) -> dict:
    """A setting's reply: can meet the needs; cannot (with the reason's category); or no reply by the deadline."""
    found, settings = own_consultation(request, caller, consultation_id)
    row = _setting(found, settings, provider_id)
    if row.considered_by is not None:
        raise HTTPException(409, "the reply has been considered; it cannot change now (consult again)")
    today = date.today()
    if body.reply == "no_reply" and row.deadline >= today:
        raise HTTPException(409, f"no_reply: the deadline ({row.deadline.isoformat()}) has not passed")
    replied = None if body.reply == "no_reply" else (body.replied_on or today)
    if replied is not None and not row.sent_on <= replied <= today:
        raise PlacewiseError("replied_on: give a day from the day the consultation was sent to today")
    with child_session(request, caller) as session:
        stored = session.get(ConsultedSetting, row.id)
        assert stored is not None
        stored.reply, stored.reason, stored.replied_on = body.reply, body.reason, replied
        stored.recorded_by = caller.name[:100]
        row = stored
        audit(request, caller, "reply", "child", found.child_id, found.council,
              f"consultation {found.id}: setting {provider_id} {body.reply}", session=session)
    return setting_json(row)


@router.post("/{consultation_id}/replies/{provider_id}/considered")
def consider_reply(consultation_id: str, provider_id: int, body: ConsiderationRequest, request: Request,
                   caller: ChildRole) -> dict:
    """The named officer (the caller, a person signed in) has considered the setting's reply, with a note about
    the reply (never the child's details)."""
    found, settings = own_consultation(request, caller, consultation_id)
    row = _setting(found, settings, provider_id)
    if not caller.person:
        raise HTTPException(403, "a reply is considered by a named officer signed in with a token, not a key")
    if row.reply is None:
        raise HTTPException(409, "record the setting's reply (or no_reply after the deadline) first")
    if row.considered_by is not None:
        raise HTTPException(409, "the reply has already been considered")
    if CHILD_DETAILS.search(body.note) or found.child_id.casefold() in body.note.casefold():
        raise PlacewiseError("note: it looks as if it holds a child's details (a postcode, an area code, a date or "
                             "the child's id); write about the setting's reply only")
    with child_session(request, caller) as session:
        stored = session.get(ConsultedSetting, row.id)
        assert stored is not None
        stored.considered_by, stored.considered_at, stored.note = caller.name[:100], datetime.now(UTC), body.note
        row = stored
        audit(request, caller, "consider", "child", found.child_id, found.council,
              f"consultation {found.id}: setting {provider_id} considered", session=session)
    return setting_json(row)


@router.post("/{consultation_id}/close")
def close_consultation(consultation_id: str, request: Request, caller: ChildRole) -> dict:
    """Close the consultation without a decision: it takes no more replies."""
    found, settings = own_consultation(request, caller, consultation_id)
    if found.status != "open":
        raise HTTPException(409, "the consultation is already closed")
    with child_session(request, caller) as session:
        stored = session.get(Consultation, found.id)
        assert stored is not None
        stored.status, stored.closed_by = "closed", caller.name[:100]
        found = stored
        audit(request, caller, "close", "child", found.child_id, found.council, f"consultation {found.id}",
              session=session)
    return consultation_json(found, settings)
