"""The grounds of a reconsideration, recorded before it: a mediation record (when it was held, the mediator, the
certificate's date, the outcome) or the SEND Tribunal's order (its date, outcome, the setting it ordered named), each
tied to a decision of the caller's councils and dated on or after its latest version; and, for a reconsideration,
the grounds it rests on as the record keeps them."""

import uuid
from datetime import date

from fastapi import Request
from sqlalchemy import select

from api.platform.security.audit import audit
from api.platform.security.auth import Principal
from api.platform.store.decision_models import Decision, MediationRecord, TribunalOrder
from api.records.child_records import child_session
from api.records.decision_store import own_versions
from core.errors import NotFound, PlacewiseError


def _not_before_decision(day: date, last: Decision, field: str, what: str) -> None:
    decided = last.decided_at.date()
    if day < decided:
        raise PlacewiseError(f"{field}: {what} is dated before the decision it follows (version {last.version}); "
                             "give its own date, on or after the decision's; nothing was stored", field=field)
    if day > date.today():
        raise PlacewiseError(f"{field}: {what} cannot be dated in the future; nothing was stored", field=field)


def record_mediation(request: Request, caller: Principal, decision_id: str, held_on: date, mediator: str,
                     certificate_on: date, outcome: str) -> dict:
    """Record mediation after the decision's latest version; audited."""
    versions = own_versions(request, caller, decision_id)
    last = versions[-1]
    _not_before_decision(held_on, last, "held_on", "the mediation")
    _not_before_decision(certificate_on, last, "certificate_on", "the mediation certificate")
    found = MediationRecord(id=str(uuid.uuid4()), decision_id=last.decision_id, council=last.council,
                            child_id=last.child_id, held_on=held_on, mediator=mediator, certificate_on=certificate_on,
                            outcome=outcome, recorded_by=caller.name[:100])
    with child_session(request, caller) as session:
        session.add(found)
        audit(request, caller, "mediation", "child", last.child_id, last.council,
              f"decision {last.decision_id}: mediation record {found.id}", session=session)
    return mediation_json(found)


def record_tribunal_order(request: Request, caller: Principal, providers, decision_id: str,  # type: ignore[no-untyped-def]
                          ordered_on: date, outcome: str, ordered_provider_id: int | None,
                          appeal_reference: str) -> dict:
    """Record the SEND Tribunal's order on an appeal against the decision; audited."""
    versions = own_versions(request, caller, decision_id)
    last = versions[-1]
    _not_before_decision(ordered_on, last, "ordered_on", "the order")
    if (outcome == "setting_ordered") != (ordered_provider_id is not None):
        raise PlacewiseError("ordered_provider_id: give the setting the tribunal ordered named, with the outcome "
                             "setting_ordered, and only then", field="ordered_provider_id")
    if ordered_provider_id is not None and ordered_provider_id not in providers.index:
        raise PlacewiseError("ordered_provider_id: not a setting of the register; check the URN",
                             field="ordered_provider_id")
    name = str(providers.at[ordered_provider_id, "name"])[:200] if ordered_provider_id is not None else None
    found = TribunalOrder(id=str(uuid.uuid4()), decision_id=last.decision_id, council=last.council,
                          child_id=last.child_id, ordered_on=ordered_on, outcome=outcome,
                          ordered_provider_id=ordered_provider_id, ordered_provider_name=name,
                          appeal_reference=appeal_reference, recorded_by=caller.name[:100])
    with child_session(request, caller) as session:
        session.add(found)
        audit(request, caller, "tribunal_order", "child", last.child_id, last.council,
              f"decision {last.decision_id}: tribunal order {found.id}", session=session)
    return tribunal_order_json(found)


def decision_grounds(request: Request, caller: Principal, decision_id: str) -> tuple[list[dict], list[dict]]:
    """The decision's mediation records and tribunal orders, oldest first."""
    with child_session(request, caller) as session:
        mediations = session.scalars(select(MediationRecord).where(MediationRecord.decision_id == decision_id,
                                                                   caller.sees(MediationRecord.council))
                                     .order_by(MediationRecord.recorded_at)).all()
        orders = session.scalars(select(TribunalOrder).where(TribunalOrder.decision_id == decision_id,
                                                             caller.sees(TribunalOrder.council))
                                 .order_by(TribunalOrder.recorded_at)).all()
    return [mediation_json(row) for row in mediations], [tribunal_order_json(row) for row in orders]


def grounds_for(request: Request, caller: Principal, last: Decision, reason: str, mediation_id: str | None,
                tribunal_order_id: str | None) -> dict:
    """The reconsideration's grounds as the record keeps them: the mediation record for ``mediation``, the order
    for ``tribunal_order``, neither for the council's own review; each recorded after the version it reconsiders."""
    wanted = {"mediation": ("mediation_id", mediation_id), "tribunal_order": ("tribunal_order_id", tribunal_order_id)}
    for kind, (field, given) in wanted.items():
        if (reason == kind) != (given is not None):
            raise PlacewiseError(f"{field}: a reconsideration {'after ' + kind.replace('_', ' ')} rests on its "
                                 "record: record it first and give its id (and give it for that reason only)",
                                 field=field)
    mediations, orders = decision_grounds(request, caller, last.decision_id)
    grounds: dict = {"mediation": None, "tribunal_order": None}
    for kind, rows, given in (("mediation", mediations, mediation_id), ("tribunal_order", orders, tribunal_order_id)):
        if given is None:
            continue
        found = next((row for row in rows if row["id"] == given), None)
        if found is None:
            raise NotFound(f"{wanted[kind][0]}: no such record for this decision")
        dated = found["held_on"] if kind == "mediation" else found["ordered_on"]
        if date.fromisoformat(dated) < last.decided_at.date():
            raise PlacewiseError(f"{wanted[kind][0]}: the record is dated before the version it would reconsider",
                                 field=wanted[kind][0])
        grounds[kind] = found
    return grounds


def mediation_json(row: MediationRecord) -> dict:
    return {"id": row.id, "decision_id": row.decision_id, "held_on": row.held_on.isoformat(), "mediator": row.mediator,
            "certificate_on": row.certificate_on.isoformat(), "outcome": row.outcome, "recorded_by": row.recorded_by}


def tribunal_order_json(row: TribunalOrder) -> dict:
    return {"id": row.id, "decision_id": row.decision_id, "ordered_on": row.ordered_on.isoformat(),
            "outcome": row.outcome, "ordered_provider_id": row.ordered_provider_id,
            "ordered_provider_name": row.ordered_provider_name, "appeal_reference": row.appeal_reference,
            "recorded_by": row.recorded_by}
