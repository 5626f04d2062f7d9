"""The decision maker's pages before a decision: a child's package list, consulting settings from it, the
consultation with each setting's reply recorded and considered, and the letters consulting each setting.

Every read and write goes through the same shared pieces as the API (``child_records``, ``consultation_records``),
so another council's child or consultation answers 404 exactly as a missing one, and each is audited as the API's
would be. A person signed in to the pages is a named person: they consider replies under their own name.
"""

import re
from dataclasses import replace
from datetime import date
from typing import Annotated, get_args

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from api.platform.json_safe import json_safe
from api.platform.parameters import ChildId
from api.platform.security.audit import CASE_REFERENCE_PATTERN, audit
from api.platform.security.auth import Principal
from api.records import consultation_records as records
from api.records.child_records import stored_child
from api.records.officers import officers_by_username
from api.web.decision_forms import date_values, form_date
from api.web.render import page
from api.web.sessions import Form, page_role
from core.errors import NotFound, PlacewiseError
from core.vocabulary import CANNOT_MEET_WORDS, FREE_TEXT_PATTERN, CannotMeetReason
from matcher.package_list import package_list
from scenarios.inputs import locate_child
from scenarios.reports.decision_documents import long_date, reply_words

router = APIRouter(include_in_schema=False)


def _named_person(caller: Annotated[Principal, Depends(page_role("decision_maker"))]) -> Principal:
    return replace(caller, person=True)  # signed in to the pages with their own password: a named person


DecisionMaker = Annotated[Principal, Depends(_named_person)]
REPLIES = [("", "Choose the reply"), ("can_meet", "It can meet the needs"),
           ("cannot_meet", "It cannot meet the needs"), ("no_reply", "No reply by the deadline")]
REASONS = [("", "Choose why, if it cannot"), *((code, CANNOT_MEET_WORDS[code][:1].upper() + CANNOT_MEET_WORDS[code][1:])
                                               for code in get_args(CannotMeetReason))]


def _listed(request: Request, caller: Principal, child_id: str) -> tuple[dict, object]:
    view = request.app.state.register.current()
    child = stored_child(request, caller, child_id)
    listed = package_list(view.shortlister, locate_child(child, view.inputs), view.packages.catalogue,
                          view.packages.capability)
    audit(request, caller, "package_list", "child", child.child_id, child.home_council, "package list page",
          "placement_search")
    return json_safe(listed), child  # type: ignore[return-value]


def _list_page(request: Request, caller: Principal, child_id: str, errors: dict, status: int = 200,
               values: dict | None = None) -> Response:
    listed, child = _listed(request, caller, child_id)
    today = date.today()
    chosen = (values or {}).get("provider_ids") or [wish["provider_id"] for wish in listed["preferences"]]
    names = {entry["provider_id"]: entry["name"] for entry in [*listed["settings"], *listed["not_listed"]]}
    view = request.app.state.register.current()
    wishes = [{**wish, "name": names.get(wish["provider_id"]) or view.provider_name(wish["provider_id"])}
              for wish in listed["preferences"]]
    return page(request, "package_list.html", status, title=f"Package list for child {child_id}",
                child_id=child_id, listed=listed, wishes=wishes, errors=errors, chosen=chosen,
                sent=(values or {}).get("sent") or {"day": today.day, "month": today.month, "year": today.year},
                case_reference=(values or {}).get("case_reference", ""),
                council=view.council_name(child.home_council))  # type: ignore[attr-defined]


@router.get("/children/{child_id}/package-list")
def package_list_page(child_id: ChildId, request: Request, caller: DecisionMaker) -> Response:
    return _list_page(request, caller, child_id, {})


@router.post("/children/{child_id}/consultations")
def consult(child_id: ChildId, request: Request, caller: DecisionMaker, form: Form) -> Response:
    chosen = [int(str(value)) for value in form.getlist("provider_ids") if str(value).isdigit()]
    sent = form_date(form, "sent_on")
    reference = str(form.get("case_reference", "")).strip().upper() or None
    errors = {}
    if not chosen:
        errors["provider_ids"] = "Choose at least one setting to consult"
    if sent is None:
        errors["sent_on"] = "Enter the day the consultation was sent, as a real date"
    if reference is not None and not re.fullmatch(CASE_REFERENCE_PATTERN, reference):
        errors["case_reference"] = "Enter a case reference of up to 20 capital letters, numbers and hyphens"
    if not errors:
        try:
            made = records.consult(request, caller, request.app.state.register.current().inputs.providers, child_id,
                                   chosen[:20], sent, reference, request.app.state.settings.consultation_days)
            return RedirectResponse(f"/consultations/{made['consultation_id']}", status_code=303)
        except PlacewiseError as refused:
            errors[refused.field or "provider_ids"] = refused.message.split(": ", 1)[-1].capitalize()
    return _list_page(request, caller, child_id, errors, 422, {"provider_ids": chosen, "case_reference": reference
                                                                or "", "sent": date_values(form, "sent_on")})


def consultation_page(request: Request, caller: Principal, consultation_id: str, errors: dict, status: int = 200,
                      done: str | None = None) -> Response:
    found, settings = records.own_consultation(request, caller, consultation_id)
    audit(request, caller, "read", "child", found.child_id, found.council, f"consultation {found.id} (page)")
    rows = [records.setting_json(row) for row in settings]
    officers = officers_by_username(request.app.state.engine, {row["considered_by"] for row in rows
                                                               if row["considered_by"]})
    for row in rows:
        row["officer"] = officers.get(row["considered_by"] or "", {}).get("full_name", row["considered_by"])
    ready = found.status == "open" and all(row["considered_by"] for row in rows)
    return page(request, "consultation.html", status, title=f"Consultation for child {found.child_id}",
                consultation=records.consultation_json(found, settings), rows=rows, errors=errors, done=done,
                ready=ready, replies=REPLIES, reasons=REASONS, reply_words=reply_words, long_date=long_date)


@router.get("/consultations/{consultation_id}")
def consultation(consultation_id: str, request: Request, caller: DecisionMaker, done: str | None = None) -> Response:
    words = {"reply": "The reply is recorded.", "considered": "The reply is considered."}
    return consultation_page(request, caller, consultation_id, {}, done=words.get(done or ""))


@router.post("/consultations/{consultation_id}/settings/{provider_id}/reply")
def record_reply(consultation_id: str, provider_id: int, request: Request, caller: DecisionMaker,
                 form: Form) -> Response:
    reply, reason = str(form.get(f"reply-{provider_id}", "")), str(form.get(f"reason-{provider_id}", "")) or None
    field = f"reply-{provider_id}"
    if reply not in ("can_meet", "cannot_meet", "no_reply"):
        return consultation_page(request, caller, consultation_id, {field: "Choose the setting's reply"}, 422)
    if (reply == "cannot_meet") != (reason in get_args(CannotMeetReason)):
        return consultation_page(request, caller, consultation_id,
                                 {f"reason-{provider_id}": "Choose why the setting cannot meet the needs, and only "
                                                           "when it cannot"}, 422)
    try:
        records.record_reply(request, caller, consultation_id, provider_id, reply, reason, None)
    except NotFound:
        raise
    except PlacewiseError as refused:
        words = refused.message
        return consultation_page(request, caller, consultation_id, {field: words.split(": ", 1)[-1].capitalize()},
                                 422)
    return RedirectResponse(f"/consultations/{consultation_id}?done=reply", status_code=303)


@router.post("/consultations/{consultation_id}/settings/{provider_id}/consider")
def consider(consultation_id: str, provider_id: int, request: Request, caller: DecisionMaker, form: Form) -> Response:
    field = f"note-{provider_id}"
    note = str(form.get(field, "")).strip()
    if not 10 <= len(note) <= 1_000 or not re.fullmatch(FREE_TEXT_PATTERN, note):
        return consultation_page(request, caller, consultation_id,
                                 {field: "Enter a note about the setting's reply, from 10 to 1,000 characters"}, 422)
    try:
        records.consider_reply(request, caller, consultation_id, provider_id, note)
    except NotFound:
        raise
    except PlacewiseError as refused:
        words = refused.message
        return consultation_page(request, caller, consultation_id, {field: words.split(": ", 1)[-1].capitalize()},
                                 422)
    return RedirectResponse(f"/consultations/{consultation_id}?done=considered", status_code=303)


@router.get("/consultations/{consultation_id}/letters/{provider_id}")
def consultation_letter(consultation_id: str, provider_id: int, request: Request, caller: DecisionMaker
                        ) -> HTMLResponse:
    return HTMLResponse(records.consultation_letter_html(request, caller, consultation_id, provider_id))
