"""The setting's pages: its people keep the settings' vacancies (by need and level, with their history), answer the
consultations addressed to them, accept or decline offers, and sign placement agreements.

Every read and write goes through the same shared pieces as the API's portal routes (``setting_vacancies``,
``setting_consultations``, ``offers``, ``placement_agreements``), so another setting's consultation or offer answers
404 exactly as a missing one, and each is audited as the API's would be. A person signed in to the pages with their
own password is a named person.
"""

import re
from dataclasses import replace
from typing import Annotated, get_args

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from api.platform.security.auth import Principal
from api.records import offers, placement_agreements, setting_consultations, setting_vacancies
from api.records.officers import officers_by_username
from api.web.render import page
from api.web.sessions import Form, page_role
from core.errors import NotFound, PlacewiseError
from core.vocabulary import CANNOT_MEET_WORDS, FREE_TEXT_PATTERN, NEED_WORDS, NEEDS, CannotMeetReason
from scenarios.reports.decision_documents import long_date, reply_words

router = APIRouter(include_in_schema=False)
MAX_VACANCIES = 5_000


def _named_person(caller: Annotated[Principal, Depends(page_role("setting"))]) -> Principal:
    return replace(caller, person=True)  # signed in to the pages with their own password: a named person


SettingPerson = Annotated[Principal, Depends(_named_person)]
NEED_OPTIONS = [("ALL", "The whole setting"), *((code, NEED_WORDS[code][:1].upper() + NEED_WORDS[code][1:])
                                                for code in NEEDS)]
LEVEL_OPTIONS = [("", "Every level"), *((str(level), f"Need level {level}") for level in range(1, 5))]
REPLIES = [("can_meet", "We can meet the child's needs"), ("cannot_meet", "We cannot meet the child's needs")]
REASONS = [("", "Choose why, if you cannot"),
           *((code, CANNOT_MEET_WORDS[code][:1].upper() + CANNOT_MEET_WORDS[code][1:])
             for code in get_args(CannotMeetReason))]
DECLINES = [("", "Choose why"), *((code, words[:1].upper() + words[1:]) for code, words in
                                  offers.DECLINE_WORDS.items())]


def _refusal(refused: PlacewiseError) -> str:
    """The use case's refusal as a sentence for the page (a 404 goes on to the error page)."""
    if isinstance(refused, NotFound):
        raise refused
    words = refused.message
    return words.split(": ", 1)[-1].capitalize() if ": " in words[:30] else words


@router.get("/portal")
def home(request: Request, caller: SettingPerson) -> Response:
    view = request.app.state.register.current()
    settings = [{"provider_id": provider_id, "name": view.provider_name(provider_id)}
                for provider_id in caller.provider_ids]
    consultations = setting_consultations.addressed(request, caller)
    for row in consultations:
        row["council_name"] = view.council_name(row["council"])
    return page(request, "portal/home.html", title="Your settings", settings=settings, consultations=consultations,
                offers=offers.list_offers(request, caller), long_date=long_date, reply_words=reply_words)


def _vacancies_page(request: Request, caller: Principal, provider_id: int, errors: dict, status: int = 200,
                    values: dict | None = None, done: str | None = None) -> Response:
    view = request.app.state.register.current()
    history = setting_vacancies.history(request, caller, view, provider_id)
    row = view.inputs.providers.loc[provider_id]
    return page(request, "portal/vacancies.html", status, title=f"Vacancies at {view.provider_name(provider_id)}",
                provider_id=provider_id, name=view.provider_name(provider_id), history=history, errors=errors,
                values=values or {}, done=done, needs=NEED_OPTIONS, levels=LEVEL_OPTIONS,
                designated=[NEED_WORDS[need] for need in row["designated_needs"]],
                evidence=row.get("vacancies_note") if isinstance(row.get("vacancies_note"), str) else None,
                places_free=row["vacancies"], long_date=long_date)


@router.get("/portal/settings/{provider_id}/vacancies")
def vacancies(provider_id: int, request: Request, caller: SettingPerson, done: str | None = None) -> Response:
    return _vacancies_page(request, caller, provider_id, {}, done="The vacancies are saved." if done else None)


@router.post("/portal/settings/{provider_id}/vacancies")
def report_vacancies(provider_id: int, request: Request, caller: SettingPerson, form: Form) -> Response:
    need, level = str(form.get("need", "")), str(form.get("need_level", ""))
    count, reason = str(form.get("vacancies", "")).strip(), str(form.get("reason", "")).strip()
    values = {"need": need, "need_level": level, "vacancies": count, "reason": reason}
    errors = {}
    if need not in ("ALL", *NEEDS):
        errors["need"] = "Choose the need, or the whole setting"
    if level not in ("", "1", "2", "3", "4"):
        errors["need_level"] = "Choose a need level, or every level"
    if not re.fullmatch(r"-?\d{1,5}", count):
        errors["vacancies"] = f"Enter the places free as a whole number from 0 to {MAX_VACANCIES:,}"
    elif not 0 <= int(count) <= MAX_VACANCIES:
        errors["vacancies"] = f"Places free cannot be negative or over {MAX_VACANCIES:,}; enter 0 or more"
    if len(reason) > 500 or not re.fullmatch(FREE_TEXT_PATTERN, reason):
        errors["reason"] = "Enter a reason of up to 500 characters"
    if not errors:
        try:
            setting_vacancies.report(request, caller, request.app.state.register.current(), provider_id, [
                setting_vacancies.SettingVacancy(need, int(count), int(level) if level else None, reason or None)])
            return RedirectResponse(f"/portal/settings/{provider_id}/vacancies?done=1", status_code=303)
        except PlacewiseError as refused:
            field = refused.field or "vacancies"
            errors[field] = _refusal(refused)
    return _vacancies_page(request, caller, provider_id, errors, 422, values)


def _consultation_page(request: Request, caller: Principal, consultation_id: str, provider_id: int, errors: dict,
                       status: int = 200, values: dict | None = None, done: str | None = None) -> Response:
    found = setting_consultations.read(request, caller, consultation_id, provider_id)
    view = request.app.state.register.current()
    officers = officers_by_username(request.app.state.engine, {found["considered_by"]} - {None})
    return page(request, "portal/consultation.html", status, title=f"Consultation about child {found['child_id']}",
                found=found, council=view.council_name(found["council"]), errors=errors, values=values or {},
                done=done, replies=REPLIES, reasons=REASONS, long_date=long_date, reply_words=reply_words,
                officer=officers.get(found["considered_by"] or "", {}).get("full_name"),
                need_words=NEED_WORDS)


@router.get("/portal/consultations/{consultation_id}/settings/{provider_id}")
def consultation(consultation_id: str, provider_id: int, request: Request, caller: SettingPerson,
                 done: str | None = None) -> Response:
    return _consultation_page(request, caller, consultation_id, provider_id, {},
                              done="Your reply is sent to the council." if done else None)


@router.post("/portal/consultations/{consultation_id}/settings/{provider_id}/reply")
def reply(consultation_id: str, provider_id: int, request: Request, caller: SettingPerson, form: Form) -> Response:
    answer, reason = str(form.get("reply", "")), str(form.get("reason", "")) or None
    words = str(form.get("words", "")).strip()
    values = {"reply": answer, "reason": reason or "", "words": words}
    errors = {}
    if answer not in ("can_meet", "cannot_meet"):
        errors["reply"] = "Choose whether you can meet the child's needs"
    elif (answer == "cannot_meet") != (reason in get_args(CannotMeetReason)):
        errors["reason"] = "Choose why you cannot meet the needs, and only when you cannot"
    if len(words) > 1_000 or not re.fullmatch(FREE_TEXT_PATTERN, words):
        errors["words"] = "Enter your words in up to 1,000 characters"
    if not errors:
        view = request.app.state.register.current()
        try:
            setting_consultations.reply(request, caller, consultation_id, provider_id, answer, reason, words or None,
                                        tuple(view.council_names.values()))
            return RedirectResponse(f"/portal/consultations/{consultation_id}/settings/{provider_id}?done=1",
                                    status_code=303)
        except PlacewiseError as refused:
            errors["words" if isinstance(refused, PlacewiseError) else "reply"] = _refusal(refused)
    return _consultation_page(request, caller, consultation_id, provider_id, errors, 422, values)


def _offer_page(request: Request, caller: Principal, offer_id: str, errors: dict, status: int = 200,
                values: dict | None = None, done: str | None = None) -> Response:
    found = offers.read_offer(request, caller, offer_id)
    agreement = None
    if found["status"] == "confirmed":
        try:
            agreement = placement_agreements.agreement_of_offer(request, caller, offer_id)
        except NotFound:
            agreement = None  # not signed yet
    signatory = officers_by_username(request.app.state.engine, {caller.name}).get(caller.name)
    view = request.app.state.register.current()
    return page(request, "portal/offer.html", status, title=f"Offer of a place for child {found['child_id']}",
                offer=found, agreement=agreement, signatory=signatory, council=view.council_name(found["council"]),
                errors=errors, values=values or {}, done=done, declines=DECLINES, long_date=long_date,
                decline_words=offers.DECLINE_WORDS)


@router.get("/portal/offers/{offer_id}")
def offer(offer_id: str, request: Request, caller: SettingPerson, done: str | None = None) -> Response:
    words = {"accepted": "You accepted the offer. The council will now accept it, and then you can sign the "
                         "agreement.", "declined": "You declined the offer.", "signed": "The agreement is signed."}
    return _offer_page(request, caller, offer_id, {}, done=words.get(done or ""))


@router.post("/portal/offers/{offer_id}/accept")
def accept(offer_id: str, request: Request, caller: SettingPerson, form: Form) -> Response:
    try:
        offers.answer_offer(request, caller, offer_id, True, None, None)
    except PlacewiseError as refused:
        return _offer_page(request, caller, offer_id, {"answer": _refusal(refused)}, 422)
    return RedirectResponse(f"/portal/offers/{offer_id}?done=accepted", status_code=303)


@router.post("/portal/offers/{offer_id}/decline")
def decline(offer_id: str, request: Request, caller: SettingPerson, form: Form) -> Response:
    reason, words = str(form.get("decline_reason", "")), str(form.get("decline_words", "")).strip()
    values = {"decline_reason": reason, "decline_words": words}
    if reason not in offers.DECLINE_WORDS:
        return _offer_page(request, caller, offer_id, {"decline_reason": "Choose why you decline the offer"}, 422,
                           values)
    if len(words) > 1_000 or not re.fullmatch(FREE_TEXT_PATTERN, words):
        return _offer_page(request, caller, offer_id, {"decline_words": "Enter your words in up to 1,000 "
                                                                         "characters"}, 422, values)
    try:
        offers.answer_offer(request, caller, offer_id, False, reason, words or None)
    except PlacewiseError as refused:
        return _offer_page(request, caller, offer_id, {"decline_reason": _refusal(refused)}, 422, values)
    return RedirectResponse(f"/portal/offers/{offer_id}?done=declined", status_code=303)


@router.post("/portal/offers/{offer_id}/agreement")
def sign(offer_id: str, request: Request, caller: SettingPerson, form: Form) -> Response:
    if form.get("confirm") != "yes":
        return _offer_page(request, caller, offer_id, {"confirm": "Confirm that you sign the agreement as named"},
                           422)
    try:
        placement_agreements.sign(request, caller, offer_id)
    except PlacewiseError as refused:
        return _offer_page(request, caller, offer_id, {"confirm": _refusal(refused)}, 422)
    return RedirectResponse(f"/portal/offers/{offer_id}?done=signed", status_code=303)
