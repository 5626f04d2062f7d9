"""Offers, the council's side: the decision maker offers the setting a decision names a place on proposed terms, and
accepts the setting's acceptance, which locks the offer; the council's people read its offers and their agreements.

An offer belongs to its child's council: another council's answers 404 exactly as a missing one. Every read and write
is audited against the child. The use cases are ``api.records.offers`` and ``placement_agreements``.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.platform.security.auth import ChildRole, DecisionRole
from api.records import offers, placement_agreements
from api.service.dependencies import RegisterDep
from api.service.schemas.common import problems
from api.service.schemas.offers import AgreementAnswer, OfferAnswer
from api.service.schemas.portal import OfferRequest

router = APIRouter(prefix="/v1/offers", tags=["offers"], responses=problems(400, 401, 403, 404, 409, 413, 422, 429))
DecisionQuery = Annotated[str | None, Query(max_length=36, pattern=r"^[0-9a-f-]+$",
                                            description="Only the offers on this decision")]


@router.post("", status_code=201, response_model=OfferAnswer)
def make_offer(body: OfferRequest, request: Request, register: RegisterDep, caller: DecisionRole) -> dict:
    """Offer the setting the decision's latest version names a place, on the terms; one open offer a decision."""
    return offers.make_offer(request, caller, register, body.decision_id, body.terms)


@router.get("", response_model=list[OfferAnswer])
def list_offers(request: Request, caller: ChildRole, decision_id: DecisionQuery = None) -> list[dict]:
    """The caller's councils' offers, newest first."""
    return offers.list_offers(request, caller, decision_id)


@router.get("/{offer_id}", response_model=OfferAnswer)
def read_offer(offer_id: str, request: Request, caller: ChildRole) -> dict:
    return offers.read_offer(request, caller, offer_id)


@router.post("/{offer_id}/confirm", response_model=OfferAnswer)
def confirm_offer(offer_id: str, request: Request, caller: DecisionRole) -> dict:
    """Accept the setting's acceptance: the offer locks, and the setting may sign the agreement."""
    return offers.confirm_offer(request, caller, offer_id)


@router.get("/{offer_id}/agreement", response_model=AgreementAnswer)
def read_agreement(offer_id: str, request: Request, caller: ChildRole) -> dict:
    """The signed placement agreement, with its check against its hash and the audit's anchor."""
    return placement_agreements.agreement_of_offer(request, caller, offer_id)
