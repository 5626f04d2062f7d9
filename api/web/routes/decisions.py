"""The decision maker's pages for deciding and after: their decisions and open consultations, the decision form with
the statutory test and reasons for every setting the parents asked for, the warnings and the override with reasons,
a decision's versions with its letters as sent and the tribunal bundle, mediation records and tribunal orders, and
reconsiderations resting on them.

Every page calls the API's own use cases (``decision_making``, ``decision_grounds``), so the law's blocking rules,
councils kept apart and the audit are one definition; a refusal comes back as a GOV.UK error summary naming the
field, never the value typed.
"""

import json
import re
from datetime import date
from typing import get_args

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from starlette.responses import Response

from api.platform.security.audit import audit, audit_many
from api.platform.store.decision_models import Decision
from api.platform.store.models import Consultation
from api.records import decision_making as making
from api.records.child_records import child_session, stored_child
from api.records.consultation_records import consultation_json, own_consultation
from api.records.decision_grounds import decision_grounds, record_mediation, record_tribunal_order
from api.records.decision_store import own_versions, verification
from api.web.decision_forms import date_values, decision_terms, form_date, refusal_errors
from api.web.render import page
from api.web.routes.consultations import DecisionMaker
from api.web.sessions import Form
from core.errors import Forbidden, NotFound, PlacewiseError
from core.vocabulary import (
    CHILD_ID_PATTERN,
    FREE_TEXT_PATTERN,
    MEDIATION_OUTCOME_WORDS,
    RECONSIDERATION_WORDS,
    STATUTORY_TEST_WORDS,
    TRIBUNAL_OUTCOME_WORDS,
    ReconsiderationReason,
)
from scenarios.reports.decision_documents import long_date, reply_words
from scenarios.statutory_tests import WarningsNeedReasons

router = APIRouter(include_in_schema=False)
TESTS = [(code, words[:1].upper() + words[1:]) for code, words in STATUTORY_TEST_WORDS.items()]


@router.get("/decisions")
def decisions_home(request: Request, caller: DecisionMaker) -> Response:
    with child_session(request, caller) as session:
        rows = session.scalars(select(Decision).where(caller.sees(Decision.council))
                               .order_by(Decision.decided_at.desc()).limit(500)).all()
        open_rows = session.scalars(select(Consultation).where(caller.sees(Consultation.council),
                                                               Consultation.status == "open")
                                    .order_by(Consultation.created_at.desc()).limit(100)).all()
    latest: dict[str, Decision] = {}
    for row in rows:
        latest.setdefault(row.decision_id, row)
    audit_many(request, caller, "list", "child", [(row.child_id, row.council) for row in latest.values()]
               + [(row.child_id, row.council) for row in open_rows] or [(None, None)], "decisions page")
    decisions = [{"id": row.decision_id, "child_id": row.child_id, "version": row.version,
                  "named": json.loads(row.content)["named_setting"]["name"], "on": long_date(row.decided_at)}
                 for row in latest.values()]
    consultations = [{"id": row.id, "child_id": row.child_id, "on": long_date(row.created_at)} for row in open_rows]
    return page(request, "decisions_home.html", title="Decisions", decisions=decisions, consultations=consultations,
                errors={})


@router.get("/decisions/find")
def find_child(request: Request, caller: DecisionMaker, child_id: str = "") -> Response:
    if not re.fullmatch(CHILD_ID_PATTERN, child_id.strip()):
        return page(request, "decisions_home.html", 422, title="Decisions", decisions=[], consultations=[],
                    errors={"child_id": "Enter the child's reference: letters, numbers, full stops, hyphens or "
                                        "underscores"})
    return RedirectResponse(f"/children/{child_id.strip()}/package-list", status_code=303)


def _decide_page(request: Request, caller, consultation: dict, errors: dict, status: int = 200,  # type: ignore[no-untyped-def]
                 values: dict | None = None, warnings: list | None = None, action: str = "",
                 reconsider: dict | None = None) -> Response:
    child = stored_child(request, caller, consultation["child_id"])
    view = request.app.state.register.current()
    settings = consultation["settings"]
    names = {row["provider_id"]: row["provider_name"] for row in settings}
    wishes = [{"provider_id": urn, "name": names.get(urn) or view.provider_name(urn),
               "reply": reply_words(*next(((row["reply"], row["reason"]) for row in settings
                                           if row["provider_id"] == urn), (None, None)))} for urn in child.preferences]
    choices = [(row["provider_id"], f"{row['provider_name']}: {reply_words(row['reply'], row['reason'])}")
               for row in settings]
    return page(request, "decide.html", status, title="Decide" if reconsider is None else "Decide again",
                consultation=consultation, wishes=wishes, choices=choices, tests=TESTS, errors=errors,
                values=values or {}, warnings=warnings or [], action=action, reconsider=reconsider,
                prompt_gbp=view.shortlister.policy.preference_cost_limit_gbp)


@router.get("/consultations/{consultation_id}/decide")
def decide_form(consultation_id: str, request: Request, caller: DecisionMaker) -> Response:
    found, settings = own_consultation(request, caller, consultation_id)
    return _decide_page(request, caller, consultation_json(found, settings), {},
                        action=f"/consultations/{found.id}/decide")


def _values(form) -> dict:  # type: ignore[no-untyped-def]
    """What the decision form shows again: the choices and the officer's own words (their reasons are theirs)."""
    return {key: str(value) for key, value in form.multi_items() if key != "csrf_token"}


@router.post("/consultations/{consultation_id}/decide")
def decide(consultation_id: str, request: Request, caller: DecisionMaker, form: Form) -> Response:
    found, settings = own_consultation(request, caller, consultation_id)
    consultation = consultation_json(found, settings)
    preferences = list(stored_child(request, caller, found.child_id).preferences)
    terms, errors = decision_terms(form, preferences)
    warnings: list = []
    if terms is not None:
        try:
            made = making.decide(request, caller, request.app.state.register.current(), found.id, terms, None)
            return RedirectResponse(f"/decisions/{made['decision_id']}?done=decided", status_code=303)
        except WarningsNeedReasons as warned:
            warnings, errors = warned.warnings, {"override_reasons": "This decision raises warnings: enter why you "
                                                                     "go on despite them, or change the decision"}
        except (Forbidden, NotFound):
            raise
        except PlacewiseError as refused:
            errors = refusal_errors(refused, preferences)
    return _decide_page(request, caller, consultation, errors, 422, _values(form), warnings,
                        action=f"/consultations/{found.id}/decide")


def _decision_page(request: Request, caller, decision_id: str, errors: dict, status: int = 200,  # type: ignore[no-untyped-def]
                   done: str | None = None, values: dict | None = None) -> Response:
    versions = own_versions(request, caller, decision_id)
    mediations, orders = decision_grounds(request, caller, versions[0].decision_id)
    audit(request, caller, "read", "child", versions[0].child_id, versions[0].council, "decision page")
    records = [json.loads(row.content) for row in versions]
    items = [{"version": row.version, "on": long_date(row.decided_at), "record": record,
              "officer": record["officers"][record["decided_by"]],
              "why": RECONSIDERATION_WORDS.get((record.get("reconsideration") or {}).get("reason", ""), "")}
             for row, record in zip(versions, records, strict=True)]
    today = date.today()
    return page(request, "decision.html", status, title=f"Decision for child {versions[0].child_id}",
                decision_id=versions[0].decision_id, items=items, latest=records[-1],
                check=verification(request, versions), mediations=mediations, orders=orders, errors=errors,
                done=done, values=values or {}, today={"day": today.day, "month": today.month, "year": today.year},
                mediation_outcomes=list(MEDIATION_OUTCOME_WORDS.items()),
                tribunal_outcomes=list(TRIBUNAL_OUTCOME_WORDS.items()), long_date=long_date)


@router.get("/decisions/{decision_id}")
def decision(decision_id: str, request: Request, caller: DecisionMaker, done: str | None = None) -> Response:
    words = {"decided": "The decision is recorded and its letter made.", "mediation": "The mediation is recorded.",
             "order": "The tribunal's order is recorded.", "reconsidered": "The decision is made again."}
    return _decision_page(request, caller, decision_id, {}, done=words.get(done or ""))


@router.get("/decisions/{decision_id}/letters/{version}")
def letter(decision_id: str, version: int, request: Request, caller: DecisionMaker) -> HTMLResponse:
    return HTMLResponse(making.letter_as_sent(request, caller, decision_id, version))


@router.get("/decisions/{decision_id}/bundle.pdf")
def bundle(decision_id: str, request: Request, caller: DecisionMaker) -> Response:
    made = making.bundle(request, caller, decision_id, pdf=True)
    return Response(made, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="bundle-{decision_id[:8]}.pdf"'})


@router.post("/decisions/{decision_id}/mediation")
def mediation(decision_id: str, request: Request, caller: DecisionMaker, form: Form) -> Response:
    held, certificate = form_date(form, "held_on"), form_date(form, "certificate_on")
    mediator, outcome = str(form.get("mediator", "")).strip(), str(form.get("outcome", ""))
    errors = {}
    if held is None:
        errors["held_on"] = "Enter the day the mediation was held, as a real date"
    if not 2 <= len(mediator) <= 200 or not re.fullmatch(FREE_TEXT_PATTERN, mediator):
        errors["mediator"] = "Enter the mediator or mediation service"
    if certificate is None:
        errors["certificate_on"] = "Enter the date on the mediation certificate, as a real date"
    if outcome not in MEDIATION_OUTCOME_WORDS:
        errors["outcome"] = "Choose what came of the mediation"
    if not errors:
        try:
            record_mediation(request, caller, decision_id, held, mediator, certificate, outcome)  # type: ignore[arg-type]
            return RedirectResponse(f"/decisions/{decision_id}?done=mediation", status_code=303)
        except PlacewiseError as refused:
            errors[refused.field or "held_on"] = "The date must be on or after the decision, and not in the future"
    values = {"held_on": date_values(form, "held_on"), "certificate_on": date_values(form, "certificate_on")}
    return _decision_page(request, caller, decision_id, errors, 422, values=values)


@router.post("/decisions/{decision_id}/tribunal-orders")
def tribunal_order(decision_id: str, request: Request, caller: DecisionMaker, form: Form) -> Response:
    ordered, outcome = form_date(form, "ordered_on"), str(form.get("order_outcome", ""))
    provider = str(form.get("ordered_provider_id", "")).strip()
    reference = str(form.get("appeal_reference", "")).strip().upper()
    errors = {}
    if ordered is None:
        errors["ordered_on"] = "Enter the date of the order, as a real date"
    if outcome not in TRIBUNAL_OUTCOME_WORDS:
        errors["order_outcome"] = "Choose what the tribunal ordered"
    if provider and not provider.isdigit():
        errors["ordered_provider_id"] = "Enter the URN of the setting the tribunal ordered named, as a number"
    if not re.fullmatch(r"[A-Z0-9/-]{1,30}", reference):
        errors["appeal_reference"] = "Enter the tribunal's appeal reference: capital letters, numbers, / and -"
    if not errors:
        try:
            record_tribunal_order(request, caller, request.app.state.register.current().inputs.providers,
                                  decision_id, ordered, outcome, int(provider) if provider else None,  # type: ignore[arg-type]
                                  reference)
            return RedirectResponse(f"/decisions/{decision_id}?done=order", status_code=303)
        except PlacewiseError as refused:
            errors[refused.field or "ordered_on"] = refused.message.split(": ", 1)[-1].capitalize()
    return _decision_page(request, caller, decision_id, errors, 422, values={"ordered_on": date_values(form,
                                                                                                       "ordered_on")})


def _reconsider_context(request: Request, caller, decision_id: str) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    versions = own_versions(request, caller, decision_id)
    record = json.loads(versions[-1].content)
    mediations, orders = decision_grounds(request, caller, versions[0].decision_id)
    grounds = {"reasons": [(code, RECONSIDERATION_WORDS[code][:1].upper() + RECONSIDERATION_WORDS[code][1:])
                           for code in get_args(ReconsiderationReason)],
               "mediations": [(row["id"], f"Mediation of {long_date(row['held_on'])}") for row in mediations],
               "orders": [(row["id"], f"Order of {long_date(row['ordered_on'])} ({row['appeal_reference']})")
                          for row in orders], "decision_id": versions[0].decision_id}
    return record["consultation"], grounds


@router.get("/decisions/{decision_id}/reconsider")
def reconsider_form(decision_id: str, request: Request, caller: DecisionMaker) -> Response:
    consultation, grounds = _reconsider_context(request, caller, decision_id)
    return _decide_page(request, caller, consultation, {}, action=f"/decisions/{decision_id}/reconsider",
                        reconsider=grounds)


@router.post("/decisions/{decision_id}/reconsider")
def reconsider(decision_id: str, request: Request, caller: DecisionMaker, form: Form) -> Response:
    consultation, grounds = _reconsider_context(request, caller, decision_id)
    preferences = list(stored_child(request, caller, consultation["child_id"]).preferences)
    terms, errors = decision_terms(form, preferences)
    reason = str(form.get("reason", ""))
    if reason not in RECONSIDERATION_WORDS:
        errors["reason"] = "Choose why the decision is made again"
    warnings: list = []
    if terms is not None and not errors:
        try:
            making.reconsider(request, caller, request.app.state.register.current(), decision_id, reason, terms,
                              None, str(form.get("mediation_id", "")) or None,
                              str(form.get("tribunal_order_id", "")) or None)
            return RedirectResponse(f"/decisions/{decision_id}?done=reconsidered", status_code=303)
        except WarningsNeedReasons as warned:
            warnings, errors = warned.warnings, {"override_reasons": "This decision raises warnings: enter why you "
                                                                     "go on despite them, or change the decision"}
        except (Forbidden, NotFound):
            raise
        except PlacewiseError as refused:
            errors = refusal_errors(refused, preferences)
    return _decide_page(request, caller, consultation, errors, 422, _values(form), warnings,
                        action=f"/decisions/{decision_id}/reconsider", reconsider=grounds)
