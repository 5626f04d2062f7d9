"""Consultations in the store, held to the caller's councils, for the API's routes and the pages alike: consult
settings, record a reply, have a named officer consider it, close; read one with its settings (404 for another
council's, exactly as for a missing one); their JSON shapes.

A reply and its consideration are serialised in the store itself: each is one conditional UPDATE, so a reply
changes only while nobody has considered it, and a consideration holds only for the very reply the officer read
(kept as ``considered_reply``). Whichever comes second is refused (409) and changes nothing.
"""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import cast

from fastapi import Request
from sqlalchemy import ColumnElement, CursorResult, Update, select, update
from sqlalchemy.orm import Session

from api.platform.security.audit import audit
from api.platform.security.auth import Principal
from api.platform.store.models import Consultation, ConsultedSetting
from api.records.child_records import child_session, own_child
from api.records.officers import named_officer
from core.errors import Conflict, Forbidden, NotFound, PlacewiseError
from scenarios.council_contacts import contacts_for
from scenarios.note_filter import check_note
from scenarios.reports.decision_documents import consultation_letter

ID_LENGTH = 36
MAX_DAYS_BACK = 60
REMIND_AFTER_DAYS = 1  # a reminder is due the day after the deadline passes without a reply


def changed_rows(session: Session, statement: Update) -> int:
    """The rows a conditional UPDATE changed (0 where its condition no longer held)."""
    return int(cast(CursorResult, session.execute(statement)).rowcount)


def own_consultation(request: Request, caller: Principal, consultation_id: str
                     ) -> tuple[Consultation, list[ConsultedSetting]]:
    """The caller's councils' consultation and its settings, or 404 (also when another council holds it)."""
    with child_session(request, caller) as session:
        found = session.get(Consultation, consultation_id[:ID_LENGTH])
        settings = list(session.scalars(select(ConsultedSetting).where(
            ConsultedSetting.consultation_id == consultation_id[:ID_LENGTH]).order_by(ConsultedSetting.provider_id)))
    if found is None or not caller.may_see(found.council):
        raise NotFound("no such consultation")
    return found, settings


def consult(request: Request, caller: Principal, providers, child_id: str, provider_ids: list[int],  # type: ignore[no-untyped-def]
            sent_on: date | None, case_reference: str | None, days: int) -> dict:
    """Consult settings (URNs of the register) about the caller's council's stored child; audited."""
    record = own_child(request, caller, child_id)
    unknown = [provider_id for provider_id in provider_ids if provider_id not in providers.index]
    if unknown:
        raise PlacewiseError(f"provider_ids: {len(unknown)} not in the register; check the URNs; nothing was stored",
                             field="provider_ids")
    today = date.today()
    sent = sent_on or today
    if not today - timedelta(days=MAX_DAYS_BACK) <= sent <= today:
        raise PlacewiseError(f"sent_on: give a day from {MAX_DAYS_BACK} days ago to today; nothing was stored",
                             field="sent_on")
    found = Consultation(id=str(uuid.uuid4()), council=record.council, child_id=record.child_id,
                         case_reference=case_reference, created_by=caller.name[:100], status="open")
    rows = [ConsultedSetting(consultation_id=found.id, council=record.council, provider_id=provider_id,
                             provider_name=str(providers.at[provider_id, "name"])[:200], sent_on=sent,
                             deadline=sent + timedelta(days=days)) for provider_id in provider_ids]
    with child_session(request, caller) as session:
        session.add(found)
        session.flush()
        session.add_all(rows)
        audit(request, caller, "consult", "child", record.child_id, record.council,
              f"consultation {found.id}: {len(rows)} settings", "placement_search", case_reference, session=session)
    return consultation_json(found, rows)


def _open_setting(found: Consultation, settings: list[ConsultedSetting], provider_id: int) -> ConsultedSetting:
    if found.status != "open":
        raise Conflict("the consultation is closed; it takes no more replies (consult again)")
    for row in settings:
        if row.provider_id == provider_id:
            return row
    raise NotFound("no such setting in this consultation")


def record_reply(request: Request, caller: Principal, consultation_id: str, provider_id: int, reply: str,
                 reason: str | None, replied_on: date | None) -> dict:
    """A setting's reply (only while nobody has considered it); audited."""
    found, settings = own_consultation(request, caller, consultation_id)
    row = _open_setting(found, settings, provider_id)
    today = date.today()
    if reply == "no_reply" and row.deadline >= today:
        raise Conflict(f"no_reply: the deadline ({row.deadline.isoformat()}) has not passed")
    if row.replied_via == "setting":
        raise Conflict("the setting replied in its portal itself; its reply stands (consult again)")
    replied = None if reply == "no_reply" else (replied_on or today)
    if replied is not None and not row.sent_on <= replied <= today:
        raise PlacewiseError("replied_on: give a day from the day the consultation was sent to today",
                             field="replied_on")
    stored = store_reply(request, caller, found, row, {"reply": reply, "reason": reason, "replied_on": replied,
                                                       "setting_words": None, "replied_via": "council"},
                         "the reply has been considered; it cannot change now (consult again)",
                         f"setting {provider_id} {reply}", ConsultedSetting.replied_via.is_distinct_from("setting"))
    return setting_json(stored)


def store_reply(request: Request, caller: Principal, found: Consultation, row: ConsultedSetting, values: dict,
                refused: str, said: str, *also: ColumnElement[bool]) -> ConsultedSetting:
    """Write a reply to a setting's row while nobody has considered it (and ``also`` holds), with its audit in the
    same transaction, whoever gives it (the council's officer or the setting itself); ``Conflict`` with the
    ``refused`` words where it was considered (or changed) meanwhile."""
    with child_session(request, caller) as session:
        changed = changed_rows(session, update(ConsultedSetting).where(
            ConsultedSetting.id == row.id, ConsultedSetting.considered_by.is_(None), *also).values(
            recorded_by=caller.name[:100], **values))
        if changed != 1:
            raise Conflict(refused)
        stored = session.get(ConsultedSetting, row.id)
        assert stored is not None
        session.refresh(stored)
        audit(request, caller, "reply", "child", found.child_id, found.council, f"consultation {found.id}: {said}",
              session=session)
    return stored


def consider_reply(request: Request, caller: Principal, consultation_id: str, provider_id: int, note: str) -> dict:
    """The named officer (the caller) has considered the setting's reply as it now stands, with a note about the
    reply (refused where it looks as if it holds a person's details); audited."""
    found, settings = own_consultation(request, caller, consultation_id)
    row = _open_setting(found, settings, provider_id)
    if not caller.person:
        raise Forbidden("a reply is considered by a named officer signed in with a token, not a key")
    officer = named_officer(request.app.state.engine, caller.name)
    if row.reply is None:
        raise Conflict("record the setting's reply (or no_reply after the deadline) first")
    if row.considered_by is not None:
        raise Conflict("the reply has already been considered")
    view = request.app.state.register.current()
    check_note(note, "note", names=(found.child_id,), allowed=(*(item.provider_name for item in settings),
                                                               view.council_name(found.council),
                                                               officer["full_name"]),
               child_age=_child_age(request, caller, found.child_id))
    seen = reply_code(row.reply, row.reason)
    with child_session(request, caller) as session:
        changed = changed_rows(session, update(ConsultedSetting).where(
            ConsultedSetting.id == row.id, ConsultedSetting.considered_by.is_(None),
            ConsultedSetting.reply == row.reply, ConsultedSetting.reason.is_not_distinct_from(row.reason)).values(
            considered_by=caller.name[:100], considered_at=datetime.now(UTC), note=note,
            considered_reply=seen))
        if changed != 1:
            raise Conflict("the reply changed, or was considered, while you read it; read it again")
        stored = session.get(ConsultedSetting, row.id)
        assert stored is not None
        session.refresh(stored)
        audit(request, caller, "consider", "child", found.child_id, found.council,
              f"consultation {found.id}: setting {provider_id} considered", session=session)
    return setting_json(stored)


def _child_age(request: Request, caller: Principal, child_id: str) -> int | None:
    age = own_child(request, caller, child_id).record.get("age")
    return int(age) if isinstance(age, int) else None


def close(request: Request, caller: Principal, consultation_id: str) -> dict:
    """Close the consultation without a decision: it takes no more replies; audited."""
    found, settings = own_consultation(request, caller, consultation_id)
    if found.status != "open":
        raise Conflict("the consultation is already closed")
    with child_session(request, caller) as session:
        stored = session.get(Consultation, found.id)
        assert stored is not None
        stored.status, stored.closed_by = "closed", caller.name[:100]
        found = stored
        audit(request, caller, "close", "child", found.child_id, found.council, f"consultation {found.id}",
              session=session)
    return consultation_json(found, settings)


def consultation_letter_html(request: Request, caller: Principal, consultation_id: str, provider_id: int) -> str:
    """The letter consulting one setting of the consultation, made from the record as stored; audited."""
    found, settings = own_consultation(request, caller, consultation_id)
    row = next((item for item in settings if item.provider_id == provider_id), None)
    if row is None:
        raise NotFound("no such setting in this consultation")
    contacts = contacts_for(request.app.state.contacts, found.council).model_dump(mode="json")
    catalogue = request.app.state.register.current().packages.catalogue
    packages = [catalogue.package(package).name for package in own_child(request, caller, found.child_id)
                .record.get("packages", []) if package in {item.id for item in catalogue.packages}]
    audit(request, caller, "export", "child", found.child_id, found.council,
          f"consultation letter {found.id}: setting {provider_id}")
    return consultation_letter(consultation_json(found, settings), setting_json(row), packages, contacts)


def reply_code(reply: str | None, reason: str | None) -> str | None:
    """A reply and its reason as one code, as a consideration keeps it (``cannot_meet:no_places``)."""
    return None if reply is None else f"{reply}:{reason}" if reason else reply


def reminder_on(row: ConsultedSetting) -> str | None:
    """The day a reminder is due: the day after the deadline, while no reply is recorded."""
    return None if row.reply is not None else (row.deadline + timedelta(days=REMIND_AFTER_DAYS)).isoformat()


def consultation_json(found: Consultation, settings: list[ConsultedSetting]) -> dict:
    return {"consultation_id": found.id, "child_id": found.child_id, "council": found.council,
            "case_reference": found.case_reference, "status": found.status, "created_by": found.created_by,
            "created_at": found.created_at.isoformat(), "settings": [setting_json(row) for row in settings]}


def setting_json(row: ConsultedSetting) -> dict:
    return {"provider_id": row.provider_id, "provider_name": row.provider_name, "sent_on": row.sent_on.isoformat(),
            "deadline": row.deadline.isoformat(), "reminder_on": reminder_on(row), "reply": row.reply,
            "reason": row.reason, "replied_on": row.replied_on.isoformat() if row.replied_on else None,
            "recorded_by": row.recorded_by, "considered_by": row.considered_by,
            "considered_at": row.considered_at.isoformat() if row.considered_at else None, "note": row.note,
            "considered_reply": row.considered_reply, "setting_words": row.setting_words,
            "replied_via": row.replied_via}
