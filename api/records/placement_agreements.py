"""Placement agreements: the setting's named person signs the agreement of a confirmed offer (fee, start date, hours,
package), which is then locked: stored as its canonical JSON with its SHA-256, like a decision's version, in a table
whose triggers refuse any change (migration 0014), one an offer (signing twice is refused), with its hash anchored in
the append-only audit in the same transaction. The decision's record and its tribunal bundle list the agreements
that rest on it (``agreements_of``), each checked again against its hash and anchor when read.

The signatory is named as the council's officers are: an admin records the person's real name, job title and
authority (``placewise officers set``), kept apart from the pseudonymous sign-in.
"""

import json
import re
from datetime import UTC, datetime

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from api.platform.security.audit import audit
from api.platform.security.auth import Principal
from api.platform.store.decision_models import Offer, PlacementAgreement
from api.platform.store.models import AuditEvent
from api.records.child_records import child_session
from api.records.offers import own_offer
from api.records.officers import named_officer
from core.errors import Conflict, NotFound
from scenarios.decision_record import canonical_json, record_hash

SCHEMA = "placewise.placement_agreement/1"
ANCHOR = re.compile(r"^sha256 ([0-9a-f]{64})$")


def agreement_content(offer: Offer, signatory: dict, username: str, signed_at: datetime) -> dict:
    """The agreement's document: the confirmed offer's terms, the decision it rests on, and who signed, when."""
    return {"schema": SCHEMA, "offer_id": offer.id, "decision_id": offer.decision_id,
            "decision_version": offer.decision_version, "decision_hash": offer.decision_hash,
            "council": offer.council, "child_id": offer.child_id, "provider_id": offer.provider_id,
            "provider_name": offer.provider_name, "terms": offer.terms, "offered_by": offer.made_by,
            "accepted_by_setting": offer.answered_by, "confirmed_by": offer.confirmed_by,
            "confirmed_at": offer.confirmed_at.isoformat() if offer.confirmed_at else None,
            "signed_by": {"username": username, **signatory}, "signed_at": signed_at.isoformat()}


def sign(request: Request, caller: Principal, offer_id: str) -> dict:
    """The setting's named person signs the confirmed offer's agreement; refused where it is not confirmed, or is
    signed already (the store's unique offer holds that even against a race)."""
    found = own_offer(request, caller, offer_id)
    if not caller.answers_for(found.provider_id):
        raise NotFound("no such offer")
    if found.status != "confirmed":
        raise Conflict("the agreement is signed once the council has accepted the offer")
    signatory = named_officer(request.app.state.engine, caller.name)
    signed_at = datetime.now(UTC)
    content = canonical_json(agreement_content(found, signatory, caller.name, signed_at))
    row = PlacementAgreement(offer_id=found.id, decision_id=found.decision_id, council=found.council,
                             child_id=found.child_id, provider_id=found.provider_id, content=content,
                             agreement_hash=record_hash(content), signed_by=caller.name[:100], signed_at=signed_at)
    try:
        with child_session(request, caller) as session:
            if session.scalar(select(PlacementAgreement.id).where(PlacementAgreement.offer_id == found.id)):
                raise Conflict("the agreement is signed already; a signed agreement never changes")
            session.add(row)
            session.flush()
            audit(request, caller, "anchor", "agreement", found.id, found.council, f"sha256 {row.agreement_hash}",
                  session=session)
            audit(request, caller, "sign", "child", found.child_id, found.council,
                  f"agreement of offer {found.id}", "placement_search", session=session)
    except IntegrityError:
        raise Conflict("the agreement is signed already; a signed agreement never changes") from None
    return agreement_json(row, verify(request, [row])[row.offer_id])


def verify(request: Request, rows: list[PlacementAgreement]) -> dict[str, list[str]]:
    """Problems of each agreement (by offer): its content against its hash and stored columns, and the hash anchored
    in the audit when it was signed."""
    with request.app.state.engine.connect() as connection:
        anchored: dict[str, set[str]] = {}
        for object_id, detail in connection.execute(select(AuditEvent.object_id, AuditEvent.detail).where(
                AuditEvent.action == "anchor", AuditEvent.object_type == "agreement",
                AuditEvent.object_id.in_([row.offer_id for row in rows]))):
            match = ANCHOR.match(detail or "")
            if match and object_id:
                anchored.setdefault(object_id, set()).add(match.group(1))
    problems: dict[str, list[str]] = {}
    for row in rows:
        found = []
        if record_hash(row.content) != row.agreement_hash:
            found.append("its content does not match its hash")
        document = json.loads(row.content)
        if (document.get("offer_id"), document.get("council"), document.get("provider_id")) != (
                row.offer_id, row.council, row.provider_id):
            found.append("a stored column is not the one its content holds")
        if row.agreement_hash not in anchored.get(row.offer_id, set()):
            found.append("its hash is not the one anchored in the audit when it was signed")
        problems[row.offer_id] = found
    return problems


def agreements_of(request: Request, caller: Principal, decision_id: str) -> list[dict]:
    """The agreements signed on the decision (the caller's councils' only), each with its check."""
    with child_session(request, caller) as session:
        rows = list(session.scalars(select(PlacementAgreement).where(
            PlacementAgreement.decision_id == decision_id[:36], caller.sees(PlacementAgreement.council))
            .order_by(PlacementAgreement.id)))
    checks = verify(request, rows)
    return [agreement_json(row, checks[row.offer_id]) for row in rows]


def agreement_of_offer(request: Request, caller: Principal, offer_id: str) -> dict:
    """The agreement of the caller's offer, with its check; 404 where none is signed; audited."""
    found = own_offer(request, caller, offer_id)
    with child_session(request, caller) as session:
        row = session.scalar(select(PlacementAgreement).where(PlacementAgreement.offer_id == found.id))
    if row is None:
        raise NotFound("no agreement is signed on this offer yet")
    audit(request, caller, "read", "child", found.child_id, found.council, f"agreement of offer {found.id}")
    return agreement_json(row, verify(request, [row])[row.offer_id])


def agreement_json(row: PlacementAgreement, problems: list[str]) -> dict:
    return {"offer_id": row.offer_id, "decision_id": row.decision_id, "agreement_hash": row.agreement_hash,
            "signed_by": row.signed_by, "signed_at": row.signed_at.isoformat(), "valid": not problems,
            "problems": problems, "agreement": json.loads(row.content)}
