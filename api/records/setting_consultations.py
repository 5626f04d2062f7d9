"""Consultations as a setting's person sees and answers them: only those addressed to its settings (another setting's,
or one that does not exist, answers 404 alike), with what the setting needs to judge (the child's pseudonymous id,
age, needs and packages; never a location), and its reply in the portal: can meet, or cannot meet with a reason
category and its own words. The council's officer then considers the reply as any other
(``consultation_records.consider_reply``).

The reply is one conditional UPDATE, so it holds only while the consultation is open, nobody has considered the
reply, and the deadline has not passed; whichever comes second is refused (409) and changes nothing. Every read and
write is audited against the child, in the council's name of the consultation.
"""

from datetime import UTC, date, datetime

from fastapi import Request
from sqlalchemy import select

from api.platform.security.audit import audit, audit_many
from api.platform.security.auth import Principal
from api.platform.store.models import ChildRecord, Consultation, ConsultedSetting
from api.records.child_records import child_session
from api.records.consultation_records import ID_LENGTH, setting_json, store_reply
from core.errors import Conflict, NotFound
from scenarios.note_filter import check_note

LIST_LIMIT = 500
#: What a setting reads of the child it is consulted about: enough to judge the needs, never a home.
CHILD_FIELDS = ("age", "ncy", "sex", "primary_need", "secondary_needs", "need_level", "packages",
                "requires_residential")


def addressed(request: Request, caller: Principal) -> list[dict]:
    """The consultations addressed to the caller's settings, newest first; audited (a row per child)."""
    with child_session(request, caller) as session:
        rows = session.execute(
            select(ConsultedSetting, Consultation).join(Consultation, Consultation.id ==
                                                        ConsultedSetting.consultation_id)
            .where(ConsultedSetting.provider_id.in_(caller.provider_ids))
            .order_by(ConsultedSetting.sent_on.desc(), ConsultedSetting.id.desc()).limit(LIST_LIMIT)).all()
    audit_many(request, caller, "list", "child", [(found.child_id, found.council) for _, found in rows]
               or [(None, None)], f"{len(rows)} consultations addressed to the setting")
    return [{"consultation_id": found.id, "council": found.council, "child_id": found.child_id,
             "status": found.status, **setting_json(setting)} for setting, found in rows]


def addressed_one(request: Request, caller: Principal, consultation_id: str, provider_id: int
                  ) -> tuple[Consultation, ConsultedSetting]:
    """The consultation and the caller's setting's row in it, or 404 (not addressed to a setting of the caller's)."""
    if not caller.answers_for(provider_id):
        raise NotFound("no consultation addressed to your setting")
    with child_session(request, caller) as session:
        row = session.scalar(select(ConsultedSetting).where(
            ConsultedSetting.consultation_id == consultation_id[:ID_LENGTH],
            ConsultedSetting.provider_id == provider_id))
        found = session.get(Consultation, consultation_id[:ID_LENGTH]) if row is not None else None
    if row is None or found is None:
        raise NotFound("no consultation addressed to your setting")
    return found, row


def read(request: Request, caller: Principal, consultation_id: str, provider_id: int) -> dict:
    """The consultation as the setting sees it: its own row, and the child's needs; audited."""
    found, row = addressed_one(request, caller, consultation_id, provider_id)
    with child_session(request, caller) as session:
        child = session.scalar(select(ChildRecord).where(ChildRecord.council == found.council,
                                                         ChildRecord.child_id == found.child_id))
    audit(request, caller, "read", "child", found.child_id, found.council,
          f"consultation {found.id}: by setting {provider_id}")
    record = child.record if child is not None else {}
    return {"consultation_id": found.id, "council": found.council, "child_id": found.child_id,
            "status": found.status, "child": {name: record.get(name) for name in CHILD_FIELDS},
            **setting_json(row)}


def reply(request: Request, caller: Principal, consultation_id: str, provider_id: int, answer: str,
          reason: str | None, words: str | None, names: tuple[str, ...] = ()) -> dict:
    """The setting's own reply: ``can_meet``, or ``cannot_meet`` with a reason category, with its words (refused
    where they look as if they hold a person's details); audited in the reply's transaction."""
    found, row = addressed_one(request, caller, consultation_id, provider_id)
    if found.status != "open":
        raise Conflict("the consultation is closed; it takes no more replies")
    today = date.today()
    if row.deadline < today:
        raise Conflict(f"the deadline ({row.deadline.isoformat()}) has passed; ask the council to consult "
                       "again")
    if words:
        check_note(words, "words", names=(found.child_id,), allowed=(row.provider_name, *names))
    stored = store_reply(request, caller, found, row, {"reply": answer, "reason": reason, "replied_on": today,
                                                       "setting_words": words or None, "replied_via": "setting"},
                         "the council has considered the reply; it cannot change now",
                         f"setting {provider_id} {answer} (by the setting)")
    return {"consultation_id": found.id, "council": found.council, "child_id": found.child_id,
            "status": found.status, **setting_json(stored), "replied_at": datetime.now(UTC).isoformat()}
