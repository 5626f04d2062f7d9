"""Decisions in the store: read a decision's versions (held to the caller's councils), check and append the next
version of its chain with its letter, anchor its hash in the audit, and close the consultation it rests on, all in
one transaction; verify a chain against its columns and its anchors. Versions and letters are never changed: the
tables' triggers refuse it (migrations 0010, 0011), and each version's hash is also written to the append-only audit
when it is stored, so a version removed or rewritten where the triggers were dropped is still found."""

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import Request
from sqlalchemy import select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.platform.json_safe import json_safe
from api.platform.security.auth import Principal
from api.platform.store.decision_models import Decision, DecisionLetter
from api.platform.store.engine import sessions
from api.platform.store.models import AuditEvent, Consultation
from api.records.child_records import child_session, own_child
from api.records.consultation_records import changed_rows, consultation_json, own_consultation
from api.records.officers import named_officer, officers_by_username
from api.records.register import RegisterView
from core.errors import Conflict, NotFound
from matcher.child import Child
from matcher.package_list import missing_packages, package_list
from scenarios.council_contacts import contacts_for
from scenarios.decision_record import COLUMNS, canonical_json, decision_content, record_hash, verify_chain
from scenarios.inputs import locate_child
from scenarios.note_filter import check_note
from scenarios.reports.decision_documents import decision_letter
from scenarios.statutory_tests import DecisionTerms, weigh_decision

ID_LENGTH = 36
ANCHOR = re.compile(r"^v(\d+) sha256 ([0-9a-f]{64})$")


def own_versions(request: Request, caller: Principal, decision_id: str) -> list[Decision]:
    """The decision's versions in order, or 404 (also when another council holds it)."""
    with child_session(request, caller) as session:
        versions = list(session.scalars(select(Decision).where(Decision.decision_id == decision_id[:ID_LENGTH])
                                        .order_by(Decision.version)))
    if not versions or not caller.may_see(versions[0].council):
        raise NotFound("no such decision")
    return versions


def own_letters(request: Request, caller: Principal, decision_id: str) -> list[DecisionLetter]:
    """The decision's letters as sent, in version order (the caller's councils only)."""
    with child_session(request, caller) as session:
        return list(session.scalars(select(DecisionLetter).where(DecisionLetter.decision_id == decision_id[:36],
                                                                 caller.sees(DecisionLetter.council))
                                    .order_by(DecisionLetter.version)))


def anchors(connection: Connection | Session, decision_ids: list[str] | None = None) -> dict[str, list]:
    """The (version, hash) pairs written to the audit as each version was stored, by decision (all, or those)."""
    query = select(AuditEvent.object_id, AuditEvent.detail).where(AuditEvent.action == "anchor",
                                                                  AuditEvent.object_type == "decision")
    if decision_ids is not None:
        query = query.where(AuditEvent.object_id.in_(decision_ids))
    found: dict[str, list] = {}
    for object_id, detail in connection.execute(query):
        match = ANCHOR.match(detail or "")
        if match and object_id:
            found.setdefault(object_id, []).append((int(match.group(1)), match.group(2)))
    return found


def chain_rows(versions: list[Decision]) -> list[dict]:
    return [{**{column: getattr(row, column) for column in COLUMNS}, "content": row.content,
             "record_hash": row.record_hash} for row in versions]


def verification(request: Request, versions: list[Decision]) -> dict:
    """The chain's check: hashes, links, every stored column against the content (the council included), and the
    hashes anchored in the audit."""
    with request.app.state.engine.connect() as connection:
        anchored = anchors(connection, [versions[0].decision_id]).get(versions[0].decision_id, [])
    problems = verify_chain(chain_rows(versions), anchored)
    return {"valid": not problems, "versions": len(versions), "anchored": len(anchored), "problems": problems,
            "latest_hash": versions[-1].record_hash}


def decidable_consultation(request: Request, caller: Principal, consultation_id: str) -> tuple[Consultation, dict]:
    """An open consultation every setting of which has replied (or not, by the deadline) and been considered."""
    found, settings = own_consultation(request, caller, consultation_id)
    if found.status != "open":
        raise Conflict("the consultation is closed; decide on an open one (or reconsider the decision)")
    waiting = [row.provider_id for row in settings if row.reply is None or row.considered_by is None]
    if waiting:
        raise Conflict(f"settings {', '.join(map(str, waiting))}: every reply must be recorded and "
                       "considered by a named officer before a decision")
    return found, consultation_json(found, settings)


def _check_words(terms: DecisionTerms, child_id: str, age: object, allowed: tuple[str, ...]) -> None:
    known = {"names": (child_id,), "allowed": allowed, "child_age": age if isinstance(age, int) else None}
    check_note(terms.reasons, "reasons", **known)
    for test in terms.preferences:
        check_note(test.reasons, "preferences.reasons", **known)
    if terms.override_reasons:
        check_note(terms.override_reasons, "override_reasons", **known)


def append_version(request: Request, caller: Principal, register: RegisterView, *, decision_id: str | None,
                   previous: Decision | None, consultation: dict, consultation_row: Consultation | None,
                   terms: DecisionTerms, case_reference: str | None, reconsideration: dict | None,
                   audited: Callable[[Session, Decision], None], ordered_provider_id: int | None = None) -> Decision:
    """Check the decision against the law's tests, build the next version from the stored child and the register as
    they are now, and store it with its letter, its audit anchor and its audit rows (``audited``), closing the
    consultation it rests on: one transaction."""
    engine = request.app.state.engine
    record = own_child(request, caller, consultation["child_id"])
    child = locate_child(Child.model_validate(record.record), register.inputs)
    listed = package_list(register.shortlister, child, register.packages.catalogue, register.packages.capability)
    wished = {wish["provider_id"] for wish in listed["preferences"]}
    missing = missing_packages(register.packages.capability, wished | {terms.named_provider_id}, child.packages)
    prompt_gbp = register.shortlister.policy.preference_cost_limit_gbp
    weighed = weigh_decision(terms, listed, consultation, missing, prompt_gbp, ordered_provider_id)
    officer = named_officer(engine, caller.name)
    contacts = contacts_for(request.app.state.contacts, record.council).model_dump(mode="json")
    names = (*(setting["provider_name"] for setting in consultation["settings"]), contacts["name"],
             officer["full_name"], *(entry["name"] for entry in listed["settings"]))
    _check_words(terms, record.child_id, record.record.get("age"), names)
    officers = officers_by_username(engine, {caller.name} | {setting["considered_by"] for setting in
                                                             consultation["settings"] if setting["considered_by"]})
    decided_at = datetime.now(UTC).replace(microsecond=0)
    version = 1 if previous is None else previous.version + 1
    decision_id = decision_id or str(uuid.uuid4())
    content = json_safe(decision_content(
        decision_id=decision_id, version=version, previous_hash=previous.record_hash if previous else None,
        reconsideration=reconsideration, council=record.council, child_id=record.child_id,
        case_reference=case_reference, package_list=listed, consultation=consultation, weighed=weighed,
        named_provider_id=terms.named_provider_id, policy=register.shortlister.policy.model_dump(mode="json"),
        data_version=register.data_version, decided_by=caller.name, role=caller.role, decided_at=decided_at,
        officers=officers, contacts=contacts))
    assert isinstance(content, dict)
    text = canonical_json(content)
    digest = record_hash(text)
    letter = decision_letter(content)
    row = Decision(decision_id=decision_id, version=version, council=record.council, child_id=record.child_id,
                   content=text, record_hash=digest, previous_hash=previous.record_hash if previous else None,
                   decided_by=caller.name[:100], decided_at=decided_at)
    _store(request, caller, row, letter, consultation_row, audited)
    return row


def _store(request: Request, caller: Principal, row: Decision, letter: str, consultation_row: Consultation | None,
           audited: Callable[[Session, Decision], None]) -> None:
    """The version, its letter as sent, its anchor and its rows in the audit, and the consultation closed: one
    transaction."""
    try:
        with child_session(request, caller) as session:
            session.add(row)
            session.add(DecisionLetter(decision_id=row.decision_id, version=row.version, council=row.council,
                                       child_id=row.child_id, html=letter, letter_hash=record_hash(letter),
                                       sent_at=row.decided_at))
            session.add(AuditEvent(actor=caller.name[:100], council=row.council, action="anchor",
                                   object_type="decision", object_id=row.decision_id,
                                   detail=f"v{row.version} sha256 {row.record_hash}"))
            if consultation_row is not None and changed_rows(session, update(Consultation).where(
                    Consultation.id == consultation_row.id, Consultation.status == "open").values(
                    status="closed", closed_by=caller.name[:100])) != 1:
                raise Conflict("the consultation was decided on or closed meanwhile; read it again")
            audited(session, row)
    except IntegrityError:
        raise Conflict("another version of this decision was stored at the same time; read it and "
                       "reconsider again") from None


def verify_all(engine: Engine) -> dict[str, list[str]]:
    """Every decision's problems (hashes, links, columns, anchors), by decision id, including decisions anchored in
    the audit whose versions are gone from the table; an empty list where a decision verifies."""
    with sessions(engine).begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT set_config('placewise.councils', '*', true)"))
        rows = session.scalars(select(Decision).order_by(Decision.decision_id, Decision.version)).all()
        anchored = anchors(session)
    chains: dict[str, list[Decision]] = {}
    for row in rows:
        chains.setdefault(row.decision_id, []).append(row)
    found = {decision_id: verify_chain(chain_rows(versions), anchored.get(decision_id, []))
             for decision_id, versions in chains.items()}
    for decision_id, pairs in anchored.items():
        if decision_id not in chains:
            found[decision_id] = [f"all {len(pairs)} anchored versions are missing from the decisions table"]
    return found
