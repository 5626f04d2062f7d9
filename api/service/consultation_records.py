"""Consultations in the store, held to the caller's councils: read one with its settings (404 for another
council's, exactly as for a missing one), and their JSON shapes."""

from fastapi import HTTPException, Request
from sqlalchemy import select

from api.service.child_records import child_session
from api.service.security.auth import Principal
from api.service.store.models import Consultation, ConsultedSetting

ID_LENGTH = 36


def own_consultation(request: Request, caller: Principal, consultation_id: str
                     ) -> tuple[Consultation, list[ConsultedSetting]]:
    """The caller's councils' consultation and its settings, or 404 (also when another council holds it)."""
    with child_session(request, caller) as session:
        found = session.get(Consultation, consultation_id[:ID_LENGTH])
        settings = list(session.scalars(select(ConsultedSetting).where(
            ConsultedSetting.consultation_id == consultation_id[:ID_LENGTH]).order_by(ConsultedSetting.provider_id)))
    if found is None or not caller.may_see(found.council):
        raise HTTPException(404, "no such consultation")
    return found, settings


def consultation_json(found: Consultation, settings: list[ConsultedSetting]) -> dict:
    return {"consultation_id": found.id, "child_id": found.child_id, "council": found.council,
            "case_reference": found.case_reference, "status": found.status, "created_by": found.created_by,
            "created_at": found.created_at.isoformat(), "settings": [setting_json(row) for row in settings]}


def setting_json(row: ConsultedSetting) -> dict:
    return {"provider_id": row.provider_id, "provider_name": row.provider_name, "sent_on": row.sent_on.isoformat(),
            "deadline": row.deadline.isoformat(), "reply": row.reply, "reason": row.reason,
            "replied_on": row.replied_on.isoformat() if row.replied_on else None, "recorded_by": row.recorded_by,
            "considered_by": row.considered_by,
            "considered_at": row.considered_at.isoformat() if row.considered_at else None, "note": row.note}
