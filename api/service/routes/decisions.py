"""Decisions: decide on a consultation (the law's tests for every setting the parents asked for, reasons, warnings
and their override), record mediation or the tribunal's order, reconsider on them (a new version linked to the old),
read, verify the hash chain, and the family's letters as sent and the tribunal bundle (HTML or PDF).

The engine's list and scores are advice. A decision belongs to its child's council: another council's answers 404
exactly as a missing one, and on PostgreSQL row-level security is a second wall. Every read and write is audited
against the child. The use cases are ``api.records.decision_making`` and ``decision_grounds``, shared with the pages.
"""

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from api.platform.parameters import Limit, Offset
from api.platform.security.audit import audit, audit_many
from api.platform.security.auth import ChildRole, DecisionRole
from api.platform.store.decision_models import Decision
from api.records import decision_making as making
from api.records.child_records import child_session
from api.records.decision_grounds import decision_grounds, record_mediation, record_tribunal_order
from api.records.decision_store import own_versions, verification
from api.records.offers import offers_of as list_offers_of
from api.records.placement_agreements import agreements_of
from api.service.dependencies import RegisterDep
from api.service.schemas.common import links, problems
from api.service.schemas.decisions import (
    DecisionAnswer,
    DecisionRecordAnswer,
    DecisionRequest,
    DecisionSummary,
    DecisionVerification,
    MediationAnswer,
    MediationRequest,
    ReconsiderationRequest,
    TribunalOrderAnswer,
    TribunalOrderRequest,
)

router = APIRouter(prefix="/v1/decisions", tags=["decisions"],
                   responses=problems(400, 401, 403, 404, 409, 413, 422, 429))
BundleFormat = Annotated[Literal["html", "pdf"], Query(description="pdf (A4) or html")]
LetterVersion = Annotated[int | None, Query(ge=1, le=1_000, description="The version (the latest by default)")]
DECISION_LINKS = links(201, "The decision is recorded", "decision_id", {
    "ReadDecision": "read_decision_v1_decisions__decision_id__get",
    "VerifyDecision": "verify_decision_v1_decisions__decision_id__verify_get"})
HTML: dict[int | str, dict] = {200: {"content": {"text/html": {"schema": {"type": "string"}}}}}
PDF: dict[int | str, dict] = {200: {"content": {"text/html": {"schema": {"type": "string"}},
                         "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


def _version_json(row: Decision) -> dict:
    return {"version": row.version, "record_hash": row.record_hash, "previous_hash": row.previous_hash,
            "decided_by": row.decided_by, "decided_at": row.decided_at.isoformat(),
            "record": json.loads(row.content)}


@router.post("", status_code=201, response_model=DecisionAnswer, responses=DECISION_LINKS)
def decide(body: DecisionRequest, request: Request, register: RegisterDep, caller: DecisionRole) -> dict:
    """Decide on a consultation whose every reply has been considered: the setting named, the reasons, the test for
    every setting the parents asked for, and everything the decision rests on, as version 1 of a hashed chain with
    its letter; the consultation closes. Blocking rules and unanswered warnings are 422s naming the field."""
    return making.decide(request, caller, register, body.consultation_id, body, body.case_reference)


@router.post("/{decision_id}/mediation", status_code=201, response_model=MediationAnswer)
def add_mediation(decision_id: str, body: MediationRequest, request: Request, caller: DecisionRole) -> dict:
    """Record mediation after the decision (dated on or after it), for a reconsideration to rest on."""
    return record_mediation(request, caller, decision_id, body.held_on, body.mediator, body.certificate_on,
                            body.outcome)


@router.post("/{decision_id}/tribunal-orders", status_code=201, response_model=TribunalOrderAnswer)
def add_tribunal_order(decision_id: str, body: TribunalOrderRequest, request: Request, register: RegisterDep,
                       caller: DecisionRole) -> dict:
    """Record the SEND Tribunal's order on an appeal against the decision, for a reconsideration to rest on."""
    return record_tribunal_order(request, caller, register.inputs.providers, decision_id, body.ordered_on,
                                 body.outcome, body.ordered_provider_id, body.appeal_reference)


@router.post("/{decision_id}/reconsiderations", status_code=201, response_model=DecisionAnswer)
def reconsider(decision_id: str, body: ReconsiderationRequest, request: Request, register: RegisterDep,
               caller: DecisionRole) -> dict:
    """Decide again on the grounds recorded (mediation, the tribunal's order, the council's own review): a new
    version linked to the last, with its letter."""
    return making.reconsider(request, caller, register, decision_id, body.reason, body, body.consultation_id,
                             body.mediation_id, body.tribunal_order_id)


@router.get("", response_model=list[DecisionSummary])
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


@router.get("/{decision_id}", response_model=DecisionRecordAnswer)
def read_decision(decision_id: str, request: Request, caller: ChildRole) -> dict:
    """Every version of the decision, its mediation records and tribunal orders, with the chain's verification, and
    the offers made on it and the placement agreements signed (each with its check)."""
    versions = own_versions(request, caller, decision_id)
    mediations, orders = decision_grounds(request, caller, versions[0].decision_id)
    audit(request, caller, "read", "child", versions[0].child_id, versions[0].council, f"decision {decision_id[:36]}")
    return {**making.answer(request, versions[-1], versions), "versions": [_version_json(row) for row in versions],
            "mediation_records": mediations, "tribunal_orders": orders,
            "offers": list_offers_of(request, caller, versions[0].decision_id),
            "placement_agreements": agreements_of(request, caller, versions[0].decision_id)}


@router.get("/{decision_id}/verify", response_model=DecisionVerification)
def verify_decision(decision_id: str, request: Request, caller: ChildRole) -> dict:
    """Whether every version's SHA-256 matches its canonical JSON, names the version before, holds what its stored
    columns say (the council included), and is the one anchored in the audit when it was stored."""
    versions = own_versions(request, caller, decision_id)
    audit(request, caller, "verify", "child", versions[0].child_id, versions[0].council,
          f"decision {decision_id[:36]}")
    return {"decision_id": versions[0].decision_id, **verification(request, versions)}


@router.get("/{decision_id}/letter", response_class=Response, responses=HTML)
def decision_letter_page(decision_id: str, request: Request, caller: ChildRole,
                         version: LetterVersion = None) -> HTMLResponse:
    """The family's letter of one version (the latest by default), exactly as it was sent (HTML)."""
    return HTMLResponse(making.letter_as_sent(request, caller, decision_id, version))


@router.get("/{decision_id}/bundle", response_class=Response, responses=PDF)
def tribunal_bundle_document(decision_id: str, request: Request, caller: ChildRole,
                             format: BundleFormat = "pdf") -> Response:  # noqa: A002
    """The tribunal bundle, indexed and paginated: the letters as sent, the consultation, the reasons, the
    grounds of each reconsideration, and the package list once: PDF (A4), or HTML."""
    made = making.bundle(request, caller, decision_id, format == "pdf")
    if isinstance(made, bytes):
        return Response(made, media_type="application/pdf")
    return HTMLResponse(made)
