"""Deciding, for the API's routes and the pages alike: the first decision on a consultation, a reconsideration on
its grounds, the family's letters as sent, and the tribunal bundle; each audited against the child.

Nothing is decided but by a named person (signed in, never a machine's key) who holds the decision_maker role and
whose name, job title and authority are recorded, on a consultation whose every reply a named officer considered.
"""

import json
from datetime import date

from fastapi import Request
from sqlalchemy.orm import Session

from api.platform.security.audit import audit
from api.platform.security.auth import Principal
from api.platform.store.decision_models import Decision
from api.records.decision_grounds import grounds_for
from api.records.decision_store import (
    append_version,
    decidable_consultation,
    own_letters,
    own_versions,
    verification,
)
from api.records.placement_agreements import agreements_of
from api.records.register import RegisterView
from core.errors import Conflict, Forbidden, NotFound
from scenarios.reports.decision_documents import html_to_pdf, tribunal_bundle
from scenarios.statutory_tests import DecisionTerms


def named_person(caller: Principal) -> None:
    if not caller.person:
        raise Forbidden("a decision is made by a named person signed in, never by a key")


def answer(request: Request, row: Decision, versions: list[Decision]) -> dict:
    record = json.loads(row.content)
    return {"decision_id": row.decision_id, "child_id": row.child_id, "council": row.council,
            "version": row.version, "record_hash": row.record_hash, "warnings": record["warnings"],
            "override": record["override"], "chain": verification(request, versions)}


def decide(request: Request, caller: Principal, register: RegisterView, consultation_id: str, terms: DecisionTerms,
           case_reference: str | None) -> dict:
    """Decide on a consultation whose every reply has been considered: version 1 of a hashed chain, with its
    letter; the consultation closes."""
    named_person(caller)
    found, consultation = decidable_consultation(request, caller, consultation_id)
    reference = case_reference or found.case_reference

    def audited(session: Session, row: Decision) -> None:  # in the decision's own transaction
        audit(request, caller, "decide", "child", row.child_id, row.council, f"decision {row.decision_id} v1",
              "placement_search", reference, session=session)

    row = append_version(request, caller, register, decision_id=None, previous=None, consultation=consultation,
                         consultation_row=found, terms=terms, case_reference=reference, reconsideration=None,
                         audited=audited)
    return answer(request, row, [row])


def reconsider(request: Request, caller: Principal, register: RegisterView, decision_id: str, reason: str,
               terms: DecisionTerms, consultation_id: str | None, mediation_id: str | None,
               tribunal_order_id: str | None) -> dict:
    """Decide again on the grounds recorded (mediation, the tribunal's order, or the council's own review): a new
    version linked to the last, on a new consultation where one is given, else on the last version's."""
    versions = own_versions(request, caller, decision_id)
    named_person(caller)
    last = versions[-1]
    previous = json.loads(last.content)
    grounds = grounds_for(request, caller, last, reason, mediation_id, tribunal_order_id)
    found, consultation = (decidable_consultation(request, caller, consultation_id) if consultation_id
                           else (None, previous["consultation"]))
    if consultation["child_id"] != last.child_id:
        raise Conflict("consultation_id: the consultation is about another child")
    order = grounds["tribunal_order"] or {}
    reconsideration = {"reason": reason, "of_version": last.version, "previous_hash": last.record_hash,
                       "previous_decided_at": previous["decided_at"], **grounds}

    def audited(session: Session, row: Decision) -> None:  # in the decision's own transaction
        audit(request, caller, "reconsider", "child", row.child_id, row.council,
              f"decision {row.decision_id} v{row.version}: {reason}", "placement_search", previous["case_reference"],
              session=session)

    row = append_version(request, caller, register, decision_id=last.decision_id, previous=last,
                         consultation=consultation, consultation_row=found, terms=terms,
                         case_reference=previous["case_reference"], reconsideration=reconsideration, audited=audited,
                         ordered_provider_id=order.get("ordered_provider_id"))
    return answer(request, row, [*versions, row])


def letter_as_sent(request: Request, caller: Principal, decision_id: str, version: int | None) -> str:
    """The family's letter of one version (the latest by default), exactly as it was sent; audited."""
    versions = own_versions(request, caller, decision_id)
    letters = {letter.version: letter for letter in own_letters(request, caller, decision_id)}
    wanted = version or versions[-1].version
    if wanted not in letters:
        raise NotFound("no letter of that version")
    audit(request, caller, "export", "child", versions[0].child_id, versions[0].council,
          f"letter of decision {decision_id[:36]} v{wanted}")
    return letters[wanted].html


def bundle(request: Request, caller: Principal, decision_id: str, pdf: bool) -> str | bytes:
    """The tribunal bundle of every version with its letter as sent (HTML, or PDF); audited."""
    versions = own_versions(request, caller, decision_id)
    letters = {letter.version: letter for letter in own_letters(request, caller, decision_id)}
    audit(request, caller, "export", "child", versions[0].child_id, versions[0].council,
          f"bundle of decision {decision_id[:36]} ({'pdf' if pdf else 'html'})", "tribunal")
    items = [{"record": json.loads(row.content), "hash": row.record_hash,
              "letter": letters[row.version].html if row.version in letters else "<body>No letter kept.</body>",
              "letter_hash": letters[row.version].letter_hash if row.version in letters else ""} for row in versions]
    agreements = agreements_of(request, caller, versions[0].decision_id)
    html = tribunal_bundle(items, verification(request, versions), date.today(), agreements)
    return html_to_pdf(html) if pdf else html
