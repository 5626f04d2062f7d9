"""The settings' portal: a setting's person keeps its vacancies (by need and level, with their history), reads and
answers the consultations addressed to its settings, accepts or declines offers, and signs placement agreements.

A setting's person sees only what is addressed to its settings: another setting's consultation, offer or vacancies
answer 404 exactly as missing ones, and on PostgreSQL row-level security is a second wall. Every read and write is
audited. The use cases are ``setting_vacancies``, ``setting_consultations``, ``offers`` and ``placement_agreements``,
shared with the setting's pages.
"""

from fastapi import APIRouter, Request

from api.platform.security.auth import SettingRole
from api.records import offers, placement_agreements, setting_consultations, setting_vacancies
from api.service.dependencies import RegisterDep
from api.service.schemas.common import problems
from api.service.schemas.offers import AgreementAnswer, OfferAnswer
from api.service.schemas.portal import (
    AddressedConsultation,
    OfferDecline,
    SettingConsultation,
    SettingReply,
    SettingReplyAnswer,
    SettingVacancies,
    VacancyReportAnswer,
)

router = APIRouter(prefix="/v1/portal", tags=["settings' portal"],
                   responses=problems(400, 401, 403, 404, 409, 413, 422, 429))


@router.get("/settings/{provider_id}/vacancies", response_model=list[VacancyReportAnswer])
def vacancy_history(provider_id: int, request: Request, register: RegisterDep, caller: SettingRole) -> list[dict]:
    """Every vacancy report of the setting, newest first: who reported what, and when."""
    return setting_vacancies.history(request, caller, register, provider_id)


@router.put("/settings/{provider_id}/vacancies", response_model=list[VacancyReportAnswer])
def report_vacancies(provider_id: int, body: SettingVacancies, request: Request, register: RegisterDep,
                     caller: SettingRole) -> list[dict]:
    """The setting's places free now, by need (or the whole setting) and level; all or none; the history after."""
    setting_vacancies.report(request, caller, register, provider_id, [
        setting_vacancies.SettingVacancy(row.need, row.vacancies, row.need_level, row.reason) for row in body.figures])
    return setting_vacancies.history(request, caller, request.app.state.register.current(), provider_id)


@router.get("/consultations", response_model=list[AddressedConsultation])
def addressed_consultations(request: Request, caller: SettingRole) -> list[dict]:
    """The consultations addressed to the caller's settings, newest first."""
    return setting_consultations.addressed(request, caller)


@router.get("/consultations/{consultation_id}/settings/{provider_id}", response_model=SettingConsultation)
def read_consultation(consultation_id: str, provider_id: int, request: Request, caller: SettingRole) -> dict:
    """The consultation as the setting sees it: its deadline and reply, and the child's age, needs and packages."""
    return setting_consultations.read(request, caller, consultation_id, provider_id)


@router.put("/consultations/{consultation_id}/settings/{provider_id}/reply", response_model=SettingReplyAnswer)
def reply(consultation_id: str, provider_id: int, body: SettingReply, request: Request, register: RegisterDep,
          caller: SettingRole) -> dict:
    """The setting's reply: can meet, or cannot (with the reason's category), in its words; until it is considered."""
    return setting_consultations.reply(request, caller, consultation_id, provider_id, body.reply, body.reason,
                                       body.words, tuple(register.council_names.values()))


@router.get("/offers", response_model=list[OfferAnswer])
def list_offers(request: Request, caller: SettingRole) -> list[dict]:
    """The offers made to the caller's settings, newest first."""
    return offers.list_offers(request, caller)


@router.get("/offers/{offer_id}", response_model=OfferAnswer)
def read_offer(offer_id: str, request: Request, caller: SettingRole) -> dict:
    return offers.read_offer(request, caller, offer_id)


@router.post("/offers/{offer_id}/accept", response_model=OfferAnswer)
def accept_offer(offer_id: str, request: Request, caller: SettingRole) -> dict:
    """Accept the offer on its terms; the council then accepts, and the offer locks."""
    return offers.answer_offer(request, caller, offer_id, True, None, None)


@router.post("/offers/{offer_id}/decline", response_model=OfferAnswer)
def decline_offer(offer_id: str, body: OfferDecline, request: Request, caller: SettingRole) -> dict:
    """Decline the offer, with the reason's category and words."""
    return offers.answer_offer(request, caller, offer_id, False, body.reason, body.words)


@router.post("/offers/{offer_id}/agreement", status_code=201, response_model=AgreementAnswer)
def sign_agreement(offer_id: str, request: Request, caller: SettingRole) -> dict:
    """Sign the placement agreement of a confirmed offer, as the named person signed in; once only."""
    return placement_agreements.sign(request, caller, offer_id)


@router.get("/offers/{offer_id}/agreement", response_model=AgreementAnswer)
def read_agreement(offer_id: str, request: Request, caller: SettingRole) -> dict:
    return placement_agreements.agreement_of_offer(request, caller, offer_id)
