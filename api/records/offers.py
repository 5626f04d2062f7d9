"""Offers of a place, for the API's routes and the pages alike: the council's decision maker offers the setting its
decision names a place, on proposed terms (fee, start date, hours, package); the setting's person accepts or declines
(with a reason category and words); the council then accepts the setting's acceptance, and the offer locks.

Each step is one conditional UPDATE on the offer's status (``offered`` -> ``accepted`` or ``declined`` by the setting;
``accepted`` -> ``confirmed`` by the council), so the steps serialise in the store, and a confirmed or declined offer
never changes. A council sees its councils' offers; a setting's person only those made to its settings; either way
another's answers 404 exactly as a missing one. Every read and write is audited against the child.
"""

import json
import uuid
from datetime import UTC, date, datetime
from typing import Literal

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update

from api.platform.security.audit import audit, audit_many
from api.platform.security.auth import Principal
from api.platform.store.decision_models import Offer
from api.records.child_records import child_session
from api.records.consultation_records import changed_rows
from api.records.decision_store import own_versions
from api.records.register import RegisterView
from core.errors import Conflict, Forbidden, NotFound, PlacewiseError
from scenarios.note_filter import check_note

ID_LENGTH = 36
OfferStatus = Literal["offered", "accepted", "declined", "confirmed"]
DeclineReason = Literal["no_places", "needs_not_met", "terms_not_agreed", "start_date", "other"]
DECLINE_WORDS = {"no_places": "it has no place now", "needs_not_met": "it cannot meet the child's needs",
                 "terms_not_agreed": "it does not agree the terms", "start_date": "it cannot start on that day",
                 "other": "another reason, in its words"}
OPEN = ("offered", "accepted", "confirmed")  # an offer in one of these holds the decision's place


class OfferTerms(BaseModel):
    """The placement's terms, offered by the council and signed in the agreement."""

    model_config = ConfigDict(extra="forbid")

    annual_fee_gbp: int = Field(ge=0, le=2_000_000, description="The fee a year, whole pounds")
    start_on: date
    hours_per_week: float = Field(gt=0, le=168)
    package: str | None = Field(default=None, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$",
                                description="The Specialist Provision Package's id, where the child has one")


def offer_json(row: Offer) -> dict:
    return {"offer_id": row.id, "decision_id": row.decision_id, "decision_version": row.decision_version,
            "decision_hash": row.decision_hash, "council": row.council, "child_id": row.child_id,
            "provider_id": row.provider_id, "provider_name": row.provider_name, "terms": row.terms,
            "status": row.status, "locked": row.status in ("confirmed", "declined"), "made_by": row.made_by,
            "made_at": row.made_at.isoformat(), "answered_by": row.answered_by,
            "answered_at": row.answered_at.isoformat() if row.answered_at else None,
            "decline_reason": row.decline_reason, "decline_words": row.decline_words,
            "confirmed_by": row.confirmed_by,
            "confirmed_at": row.confirmed_at.isoformat() if row.confirmed_at else None}


def make_offer(request: Request, caller: Principal, view: RegisterView, decision_id: str, terms: OfferTerms) -> dict:
    """Offer the setting the decision's latest version names a place, on the terms; one open offer a decision."""
    if not caller.person:
        raise Forbidden("an offer is made by a named person signed in, never by a key")
    versions = own_versions(request, caller, decision_id)
    latest = versions[-1]
    record = json.loads(latest.content)
    provider_id = int(record["named_setting"]["provider_id"])
    packages = {package["id"] for package in record.get("packages", [])}
    if terms.package is not None and terms.package not in packages:
        raise PlacewiseError("package: give one of the child's packages named in the decision, or none; nothing was "
                             "stored", field="package")
    if terms.start_on < date.today():
        raise PlacewiseError("start_on: give today or a later day; nothing was stored", field="start_on")
    row = Offer(id=str(uuid.uuid4()), decision_id=latest.decision_id, decision_version=latest.version,
                decision_hash=latest.record_hash, council=latest.council, child_id=latest.child_id,
                provider_id=provider_id, provider_name=view.provider_name(provider_id)[:200],
                terms=terms.model_dump(mode="json"), status="offered", made_by=caller.name[:100],
                made_at=datetime.now(UTC))
    with child_session(request, caller) as session:
        held = session.scalar(select(Offer.id).where(Offer.decision_id == latest.decision_id, Offer.status.in_(OPEN)))
        if held is not None:
            raise Conflict(f"the decision already has an offer ({held}); it must be declined first")
        session.add(row)
        audit(request, caller, "offer", "child", row.child_id, row.council,
              f"offer {row.id} to setting {provider_id} on decision {row.decision_id} v{row.decision_version}",
              "placement_search", session=session)
    return offer_json(row)


def own_offer(request: Request, caller: Principal, offer_id: str) -> Offer:
    """The caller's offer (its councils', or made to its settings), or 404."""
    with child_session(request, caller) as session:
        found = session.get(Offer, offer_id[:ID_LENGTH])
    if found is None or not (caller.may_see(found.council) or caller.answers_for(found.provider_id)):
        raise NotFound("no such offer")
    return found


def read_offer(request: Request, caller: Principal, offer_id: str) -> dict:
    found = own_offer(request, caller, offer_id)
    audit(request, caller, "read", "child", found.child_id, found.council, f"offer {found.id}")
    return offer_json(found)


def list_offers(request: Request, caller: Principal, decision_id: str | None = None) -> list[dict]:
    """The caller's offers (its councils', or those made to its settings), newest first; audited."""
    with child_session(request, caller) as session:
        query = select(Offer).order_by(Offer.made_at.desc(), Offer.id).limit(500)
        query = (query.where(Offer.provider_id.in_(caller.provider_ids)) if caller.role == "setting"
                 else query.where(caller.sees(Offer.council)))
        if decision_id is not None:
            query = query.where(Offer.decision_id == decision_id[:ID_LENGTH])
        rows = list(session.scalars(query))
    audit_many(request, caller, "list", "child", [(row.child_id, row.council) for row in rows] or [(None, None)],
               f"{len(rows)} offers")
    return [offer_json(row) for row in rows]


def offers_of(request: Request, caller: Principal, decision_id: str) -> list[dict]:
    """The offers made on the decision (the caller's councils' only), oldest first, without an audit row of their
    own (the decision's read is audited)."""
    with child_session(request, caller) as session:
        rows = list(session.scalars(select(Offer).where(Offer.decision_id == decision_id[:ID_LENGTH],
                                                        caller.sees(Offer.council)).order_by(Offer.made_at)))
    return [offer_json(row) for row in rows]


def answer_offer(request: Request, caller: Principal, offer_id: str, accept: bool, reason: str | None,
                 words: str | None) -> dict:
    """The setting's person accepts, or declines with a reason category and words, an offer still ``offered``."""
    found = own_offer(request, caller, offer_id)
    if not caller.answers_for(found.provider_id):
        raise NotFound("no such offer")
    if not accept and reason is None:
        raise PlacewiseError("reason: give the reason's category when declining; nothing was stored", field="reason")
    if words:
        check_note(words, "words", names=(found.child_id,), allowed=(found.provider_name,))
    status = "accepted" if accept else "declined"
    with child_session(request, caller) as session:
        changed = changed_rows(session, update(Offer).where(Offer.id == found.id, Offer.status == "offered").values(
            status=status, answered_by=caller.name[:100], answered_at=datetime.now(UTC),
            decline_reason=None if accept else reason, decline_words=words or None))
        if changed != 1:
            raise Conflict("the offer has been answered already; it cannot change now")
        audit(request, caller, status, "child", found.child_id, found.council,
              f"offer {found.id} {status} by setting {found.provider_id}", session=session)
        stored = session.get(Offer, found.id)
        assert stored is not None
        session.refresh(stored)
    return offer_json(stored)


def confirm_offer(request: Request, caller: Principal, offer_id: str) -> dict:
    """The council accepts the setting's acceptance: the offer locks (``confirmed``) and never changes again."""
    found = own_offer(request, caller, offer_id)
    if not caller.may_see(found.council):
        raise NotFound("no such offer")
    if not caller.person:
        raise Forbidden("an offer is accepted by a named person signed in, never by a key")
    with child_session(request, caller) as session:
        changed = changed_rows(session, update(Offer).where(Offer.id == found.id, Offer.status == "accepted").values(
            status="confirmed", confirmed_by=caller.name[:100], confirmed_at=datetime.now(UTC)))
        if changed != 1:
            raise Conflict("only an offer the setting has accepted can be accepted; a confirmed or declined "
                           "offer is locked")
        audit(request, caller, "confirm", "child", found.child_id, found.council, f"offer {found.id} confirmed",
              "placement_search", session=session)
        stored = session.get(Offer, found.id)
        assert stored is not None
        session.refresh(stored)
    return offer_json(stored)
