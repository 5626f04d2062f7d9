"""The decision maker's pages after a decision: offer the named setting a place on proposed terms, accept the
setting's acceptance (the offer then locks), and read the placement agreement the setting signs, with its check.

Every read and write goes through ``api.records.offers`` and ``placement_agreements``, as the API's routes do, so
another council's decision or offer answers 404 exactly as a missing one, and each is audited.
"""

import json
import re

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from api.platform.security.auth import Principal
from api.records import offers, placement_agreements
from api.records.decision_store import own_versions
from api.web.decision_forms import date_values, form_date
from api.web.render import page
from api.web.routes.consultations import DecisionMaker
from api.web.sessions import Form
from core.errors import Conflict, Forbidden, NotFound, PlacewiseError
from scenarios.reports.decision_documents import long_date

router = APIRouter(include_in_schema=False)
STATUS_WORDS = {"offered": "Waiting for the setting's answer", "accepted": "The setting accepted: accept it to lock it",
                "declined": "The setting declined", "confirmed": "Accepted by both: locked"}


def _offers_page(request: Request, caller: Principal, decision_id: str, errors: dict, status: int = 200,
                 values: dict | None = None, done: str | None = None) -> Response:
    versions = own_versions(request, caller, decision_id)
    record = json.loads(versions[-1].content)
    made = offers.list_offers(request, caller, versions[0].decision_id)
    agreements = {item["offer_id"]: item for item in
                  placement_agreements.agreements_of(request, caller, versions[0].decision_id)}
    packages = [("", "None"), *((package["id"], package["name"]) for package in record.get("packages", []))]
    return page(request, "decision_offers.html", status, title=f"Offer of a place for child {record['child_id']}",
                decision_id=versions[0].decision_id, record=record, offers=made, agreements=agreements,
                open_offer=any(row["status"] in offers.OPEN for row in made), errors=errors, values=values or {},
                done=done, packages=packages, status_words=STATUS_WORDS, long_date=long_date)


@router.get("/decisions/{decision_id}/offers")
def offers_page(decision_id: str, request: Request, caller: DecisionMaker, done: str | None = None) -> Response:
    words = {"offered": "The offer is sent to the setting.", "confirmed": "You accepted the offer: it is locked."}
    return _offers_page(request, caller, decision_id, {}, done=words.get(done or ""))


@router.post("/decisions/{decision_id}/offers")
def make_offer(decision_id: str, request: Request, caller: DecisionMaker, form: Form) -> Response:
    fee, hours = str(form.get("annual_fee_gbp", "")).strip(), str(form.get("hours_per_week", "")).strip()
    package, start = str(form.get("package", "")) or None, form_date(form, "start_on")
    values = {"annual_fee_gbp": fee, "hours_per_week": hours, "package": package or "",
              "start_on": date_values(form, "start_on")}
    errors = {}
    if not re.fullmatch(r"\d{1,7}", fee.replace(",", "").lstrip("£")):
        errors["annual_fee_gbp"] = "Enter the fee a year in whole pounds, for example 24500"
    if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", hours):
        errors["hours_per_week"] = "Enter the hours a week, for example 32.5"
    if start is None:
        errors["start_on"] = "Enter the start date as a real date"
    if not errors and start is not None:
        try:
            terms = offers.OfferTerms(annual_fee_gbp=int(fee.replace(",", "").lstrip("£")), start_on=start,
                                      hours_per_week=float(hours), package=package)
            offers.make_offer(request, caller, request.app.state.register.current(), decision_id, terms)
            return RedirectResponse(f"/decisions/{decision_id}/offers?done=offered", status_code=303)
        except ValidationError as bad:
            field = str(bad.errors()[0]["loc"][0]) if bad.errors()[0]["loc"] else "annual_fee_gbp"
            errors[field] = "Enter a value in range" if field != "start_on" else "Enter a real start date"
        except NotFound:
            raise
        except (Conflict, Forbidden) as refused:
            errors["annual_fee_gbp"] = refused.message
        except PlacewiseError as refused:
            errors[refused.field or "annual_fee_gbp"] = refused.message.split(": ", 1)[-1].capitalize()
    return _offers_page(request, caller, decision_id, errors, 422, values)


@router.post("/offers/{offer_id}/confirm")
def confirm(offer_id: str, request: Request, caller: DecisionMaker, form: Form) -> Response:
    found = offers.own_offer(request, caller, offer_id)
    try:
        offers.confirm_offer(request, caller, offer_id)
    except (Conflict, Forbidden) as refused:
        return _offers_page(request, caller, found.decision_id, {"confirm": refused.message}, 409)
    return RedirectResponse(f"/decisions/{found.decision_id}/offers?done=confirmed", status_code=303)
