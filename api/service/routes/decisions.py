"""Decisions: decide on a consultation, reconsider (a new version linked to the old), read, verify the hash chain,
and the family's letter and the tribunal bundle (HTML or PDF).

The engine's list and scores are advice. Nothing is decided but by a named person (signed in with a token, never a
machine's key) who holds the decision_maker role, on a consultation whose every reply a named officer has
considered. A decision belongs to its child's council: another council's answers 404 exactly as a missing one, and
on PostgreSQL row-level security is a second wall. Every read and write is audited against the child.
"""

import json
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.service.child_records import child_session
from api.service.decision_store import append_version, decidable_consultation, own_versions, verification
from api.service.dependencies import RegisterDep
from api.service.schemas.common import Limit, Offset, links, problems
from api.service.schemas.decisions import DecisionRequest, ReconsiderationRequest
from api.service.security.audit import audit, audit_many
from api.service.security.auth import ChildRole, DecisionRole, Principal
from api.service.store.models import Decision
from scenarios.reports.decision_documents import decision_letter, html_to_pdf, tribunal_bundle

router = APIRouter(prefix="/v1/decisions", tags=["decisions"],
                   responses=problems(400, 401, 403, 404, 409, 413, 422, 429))
BundleFormat = Annotated[Literal["html", "pdf"], Query(description="pdf (A4) or html")]
DECISION_LINKS = links(201, "The decision is recorded", "decision_id", {
    "ReadDecision": "read_decision_v1_decisions__decision_id__get",
    "VerifyDecision": "verify_decision_v1_decisions__decision_id__verify_get"})
HTML: dict[int | str, dict] = {200: {"content": {"text/html": {"schema": {"type": "string"}}}}}
PDF: dict[int | str, dict] = {200: {"content": {"text/html": {"schema": {"type": "string"}},
                         "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


def _named_person(caller: Principal) -> None:
    if not caller.person:
        raise HTTPException(403, "a decision is made by a named person signed in with a token, never by a key")


def _version_json(row: Decision) -> dict:
    return {"version": row.version, "record_hash": row.record_hash, "previous_hash": row.previous_hash,
            "decided_by": row.decided_by, "decided_at": row.decided_at.isoformat(),
            "record": json.loads(row.content)}


def _answer(row: Decision, versions: list[Decision]) -> dict:
    return {"decision_id": row.decision_id, "child_id": row.child_id, "council": row.council,
            "version": row.version, "record_hash": row.record_hash, "chain": verification(versions)}


@router.post("", status_code=201, responses=DECISION_LINKS)
def decide(body: DecisionRequest, request: Request, register: RegisterDep, caller: DecisionRole) -> dict:
    """Decide on a consultation whose every reply has been considered: the setting named, and everything the
    decision rests on, as version 1 of a hashed chain; the consultation closes."""
    _named_person(caller)
    found, consultation = decidable_consultation(request, caller, body.consultation_id)

    def audited(session: Session, row: Decision) -> None:
        audit(request, caller, "decide", "child", row.child_id, row.council, f"decision {row.decision_id} v1",
              "placement_search", body.case_reference or found.case_reference, session=session)

    row = append_version(request, caller, register, decision_id=None, previous=None, consultation=consultation,
                         consultation_row=found, named_provider_id=body.named_provider_id,
                         case_reference=body.case_reference or found.case_reference, reconsideration=None,
                         audited=audited)
    return _answer(row, [row])


@router.post("/{decision_id}/reconsiderations", status_code=201)
def reconsider(decision_id: str, body: ReconsiderationRequest, request: Request, register: RegisterDep,
               caller: DecisionRole) -> dict:
    """Decide again (after mediation, the tribunal's remittal or the council's review): a new version linked to the
    last, on a new consultation where one is given, else on the last version's."""
    versions = own_versions(request, caller, decision_id)
    _named_person(caller)
    last = versions[-1]
    previous = json.loads(last.content)
    found, consultation = (decidable_consultation(request, caller, body.consultation_id) if body.consultation_id
                           else (None, previous["consultation"]))
    if consultation["child_id"] != last.child_id:
        raise HTTPException(409, "consultation_id: the consultation is about another child")
    reconsideration = {"reason": body.reason, "of_version": last.version, "previous_hash": last.record_hash,
                       "previous_decided_at": previous["decided_at"]}

    def audited(session: Session, row: Decision) -> None:
        audit(request, caller, "reconsider", "child", row.child_id, row.council,
              f"decision {row.decision_id} v{row.version}: {body.reason}", "placement_search",
              previous["case_reference"], session=session)

    row = append_version(request, caller, register, decision_id=last.decision_id, previous=last,
                         consultation=consultation, consultation_row=found, named_provider_id=body.named_provider_id,
                         case_reference=previous["case_reference"], reconsideration=reconsideration, audited=audited)
    return _answer(row, [*versions, row])


@router.get("")
def list_decisions(request: Request, caller: ChildRole, limit: Limit = 100, offset: Offset = 0) -> list[dict]:
    """The caller's councils' decisions (their latest versions), newest first."""
    with child_session(request, caller) as session:
        query = select(Decision).where(caller.sees(Decision.council)).order_by(Decision.decided_at.desc(),
                                                                              Decision.id)
        rows = session.scalars(query).all()
    latest: dict[str, Decision] = {}
    for row in rows:
        latest.setdefault(row.decision_id, row)
    page = list(latest.values())[offset:offset + limit]
    audit_many(request, caller, "list", "child", [(row.child_id, row.council) for row in page] or [(None, None)],
               f"{len(page)} decisions, offset {offset}")
    return [{"decision_id": row.decision_id, "child_id": row.child_id, "council": row.council,
             "version": row.version, "decided_by": row.decided_by, "decided_at": row.decided_at.isoformat()}
            for row in page]


@router.get("/{decision_id}")
def read_decision(decision_id: str, request: Request, caller: ChildRole) -> dict:
    """Every version of the decision, with the chain's verification."""
    versions = own_versions(request, caller, decision_id)
    audit(request, caller, "read", "child", versions[0].child_id, versions[0].council, f"decision {decision_id[:36]}")
    return {**_answer(versions[-1], versions), "versions": [_version_json(row) for row in versions]}


@router.get("/{decision_id}/verify")
def verify_decision(decision_id: str, request: Request, caller: ChildRole) -> dict:
    """Whether every version's SHA-256 matches its canonical JSON and names the version before."""
    versions = own_versions(request, caller, decision_id)
    audit(request, caller, "verify", "child", versions[0].child_id, versions[0].council,
          f"decision {decision_id[:36]}")
    return {"decision_id": versions[0].decision_id, **verification(versions)}


@router.get("/{decision_id}/letter", responses=HTML)
def decision_letter_page(decision_id: str, request: Request, caller: ChildRole) -> HTMLResponse:
    """The family's letter for the latest version, in plain English (HTML)."""
    versions = own_versions(request, caller, decision_id)
    last = versions[-1]
    audit(request, caller, "export", "child", last.child_id, last.council, f"letter of decision {decision_id[:36]}")
    return HTMLResponse(decision_letter(json.loads(last.content), last.record_hash))


@router.get("/{decision_id}/bundle", responses=PDF)
def tribunal_bundle_document(decision_id: str, request: Request, caller: ChildRole,
                             format: BundleFormat = "pdf") -> Response:  # noqa: A002
    """The tribunal bundle built from every version of the record: PDF (A4), or HTML."""
    versions = own_versions(request, caller, decision_id)
    audit(request, caller, "export", "child", versions[0].child_id, versions[0].council,
          f"bundle of decision {decision_id[:36]} ({format})", "tribunal")
    html = tribunal_bundle([(json.loads(row.content), row.record_hash) for row in versions], verification(versions))
    if format == "html":
        return HTMLResponse(html)
    return Response(html_to_pdf(html), media_type="application/pdf")
