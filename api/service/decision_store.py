"""Decisions in the store: read a decision's versions (held to the caller's councils), append the next version of
its chain, and close the consultation it rests on, all in one transaction. Versions are never changed: the table's
triggers refuse it (migration 0010), so a reconsideration is always a new version."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import HTTPException, Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.service.child_records import child_session, own_child
from api.service.consultation_records import consultation_json, own_consultation
from api.service.json_safe import json_safe
from api.service.register import RegisterView
from api.service.security.auth import Principal
from api.service.store.models import Consultation, Decision
from matcher.child import Child
from matcher.package_list import package_list
from scenarios.decision_record import canonical_json, decision_content, record_hash, verify_chain
from scenarios.inputs import locate_child

ID_LENGTH = 36


def own_versions(request: Request, caller: Principal, decision_id: str) -> list[Decision]:
    """The decision's versions in order, or 404 (also when another council holds it)."""
    with child_session(request, caller) as session:
        versions = list(session.scalars(select(Decision).where(Decision.decision_id == decision_id[:ID_LENGTH])
                                        .order_by(Decision.version)))
    if not versions or not caller.may_see(versions[0].council):
        raise HTTPException(404, "no such decision")
    return versions


def verification(versions: list[Decision]) -> dict:
    problems = verify_chain([(row.version, row.content, row.record_hash, row.previous_hash) for row in versions])
    return {"valid": not problems, "versions": len(versions), "problems": problems,
            "latest_hash": versions[-1].record_hash}


def decidable_consultation(request: Request, caller: Principal, consultation_id: str) -> tuple[Consultation, dict]:
    """An open consultation every setting of which has replied (or not, by the deadline) and been considered."""
    found, settings = own_consultation(request, caller, consultation_id)
    if found.status != "open":
        raise HTTPException(409, "the consultation is closed; decide on an open one (or reconsider the decision)")
    waiting = [row.provider_id for row in settings if row.reply is None or row.considered_by is None]
    if waiting:
        raise HTTPException(409, f"settings {', '.join(map(str, waiting))}: every reply must be recorded and "
                                 "considered by a named officer before a decision")
    return found, consultation_json(found, settings)


def append_version(request: Request, caller: Principal, register: RegisterView, *, decision_id: str | None,
                   previous: Decision | None, consultation: dict, consultation_row: Consultation | None,
                   named_provider_id: int, case_reference: str | None, reconsideration: dict | None,
                   audited: Callable[[Session, Decision], None]) -> Decision:
    """Build the next version from the stored child and the register as they are now, store it, and close the
    consultation it rests on (where it is a new one), with its audit rows (``audited``) in the same transaction."""
    record = own_child(request, caller, consultation["child_id"])
    child = locate_child(Child.model_validate(record.record), register.inputs)
    listed = package_list(register.shortlister, child, register.packages.catalogue, register.packages.capability)
    decided_at = datetime.now(UTC).replace(microsecond=0)
    version = 1 if previous is None else previous.version + 1
    decision_id = decision_id or str(uuid.uuid4())
    content = json_safe(decision_content(
        decision_id=decision_id, version=version, previous_hash=previous.record_hash if previous else None,
        reconsideration=reconsideration, council=record.council, child_id=record.child_id,
        case_reference=case_reference, package_list=listed, consultation=consultation,
        named_provider_id=named_provider_id, policy=register.shortlister.policy.model_dump(mode="json"),
        data_version=register.data_version, decided_by=caller.name, role=caller.role, decided_at=decided_at))
    text = canonical_json(content)
    row = Decision(decision_id=decision_id, version=version, council=record.council, child_id=record.child_id,
                   content=text, record_hash=record_hash(text), previous_hash=previous.record_hash if previous
                   else None, decided_by=caller.name[:100], decided_at=decided_at)
    try:
        with child_session(request, caller) as session:
            session.add(row)
            if consultation_row is not None:
                stored = session.get(Consultation, consultation_row.id)
                assert stored is not None
                stored.status, stored.closed_by = "closed", caller.name[:100]
            audited(session, row)
    except IntegrityError:
        raise HTTPException(409, "another version of this decision was stored at the same time; read it and "
                                 "reconsider again") from None
    return row
