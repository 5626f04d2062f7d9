"""Children's records in the store, held to the caller's councils: the routes' check is the first wall, and on
PostgreSQL row-level security on the children table is the second (each transaction names its councils)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from fastapi import Request
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from api.platform.security.audit import audit, audit_many
from api.platform.security.auth import Principal
from api.platform.store.models import ChildRecord
from core.errors import Conflict, Forbidden, NotFound, PlacewiseError
from matcher.child import Child
from scenarios.inputs import resolve_postcode

if TYPE_CHECKING:
    from api.records.register import RegisterView


@contextmanager
def child_session(request: Request, caller: Principal) -> Iterator[Session]:
    """A transaction on the children table; on PostgreSQL, row-level security sees the caller's councils only (and,
    for a setting's person, only what is addressed to its settings)."""
    with request.app.state.sessions.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            councils = "*" if caller.role == "admin" else ",".join(caller.councils)
            providers = ",".join(str(provider_id) for provider_id in caller.provider_ids)
            session.execute(text("SELECT set_config('placewise.councils', :councils, true), "
                                 "set_config('placewise.providers', :providers, true)"),
                            {"councils": councils, "providers": providers})
        yield session


def checked_children(children: list[Child], view: "RegisterView", numbered: bool = False) -> list[Child]:
    """The children with every ``home_postcode`` turned into its LSOA (the postcode is never stored) and every
    ``home_council`` checked against the register of councils; a postcode that cannot be resolved or a council
    that is not in the register is a clear error naming its row (where ``numbered``, counted from 2 after a
    header), without the value."""
    resolved = []
    for number, child in enumerate(children, start=2):
        where = f"row {number}: " if numbered else ""
        if child.home_council not in view.councils:
            raise PlacewiseError(f"{where}home_council: not a council of the register ({view.councils_note}); "
                                 "nothing was stored")
        try:
            resolved.append(resolve_postcode(child, view.inputs))
        except PlacewiseError as error:
            raise PlacewiseError(f"{where}{error}") from None
    return resolved


def store_children(session: Session, children: list[Child], advice: str, numbered: bool = False) -> None:
    """Add children to their councils' records; 409 (the transaction then rolls back) where an id is held."""
    assert all(child.home_postcode is None for child in children), "postcodes are resolved before storing"
    wanted = {(child.home_council, child.child_id) for child in children}
    held: set[tuple[str, str]] = set()
    ids = sorted({child_id for _, child_id in wanted})
    for start in range(0, len(ids), 500):
        found = session.execute(select(ChildRecord.council, ChildRecord.child_id).where(
            ChildRecord.child_id.in_(ids[start:start + 500])))
        held.update((council, child_id) for council, child_id in found)
    for number, child in enumerate(children, start=2):
        if (child.home_council, child.child_id) in held:
            where = f"row {number}: " if numbered else ""
            raise Conflict(f"{where}child_id: already held for this council; {advice}")
    session.add_all(ChildRecord(council=child.home_council, child_id=child.child_id,
                                record=child.model_dump(mode="json")) for child in children)


def requested_child(request: Request, caller: Principal, child: Child | None, child_id: str | None) -> Child:
    """The child a request is about: a profile of the caller's council (403 for another's), or the caller's
    council's stored child of that id (404 otherwise)."""
    if child is None:
        assert child_id is not None
        return stored_child(request, caller, child_id)
    if not caller.may_see(child.home_council):
        raise Forbidden("home_council: you may only ask for children of your own council")
    return child


def stored_child(request: Request, caller: Principal, child_id: str) -> Child:
    """The caller's council's child of that id (404, as for a missing one, when another council holds it)."""
    return Child.model_validate(own_child(request, caller, child_id).record)


def own_child(request: Request, caller: Principal, child_id: str) -> ChildRecord:
    """The caller's council's child of that id, or 404 (also when another council holds one)."""
    with child_session(request, caller) as session:
        found = session.scalars(select(ChildRecord).where(ChildRecord.child_id == child_id)).all()
    for record in found:
        if caller.may_see(record.council):
            return record
    raise NotFound("no such child")


def create_child(request: Request, caller: Principal, view: "RegisterView", child: Child) -> Child:
    """Store a child of the caller's council (403 for another council's; the postcode turned into its LSOA and
    dropped; 409 where the id is held), audited; the child as stored."""
    if not caller.may_see(child.home_council):
        raise Forbidden("home_council: you may only add children of your own council")
    [child] = checked_children([child], view)
    with child_session(request, caller) as session:
        store_children(session, [child], "use PUT to change it")
        audit(request, caller, "create", "child", child.child_id, child.home_council, session=session)
    return child


def update_child(request: Request, caller: Principal, view: "RegisterView", child_id: str, child: Child) -> Child:
    """Replace a stored child's record (404 for another council's, exactly as for a missing one), audited."""
    record = own_child(request, caller, child_id)
    if child.child_id != child_id or child.home_council != record.council:
        raise PlacewiseError("child_id, home_council: must match the stored child", field="child_id")
    [child] = checked_children([child], view)
    with child_session(request, caller) as session:
        stored = session.get(ChildRecord, record.id)
        assert stored is not None
        stored.record = child.model_dump(mode="json")
        audit(request, caller, "update", "child", child_id, record.council, session=session)
    return child


def with_stored_children(request: Request, caller: Principal, document: dict) -> dict:
    """A scenario document whose ``cohort: {stored: true}`` is replaced by the councils' stored children (the
    caller must act for every council named; each child read is audited); children given inline are refused (only
    the service puts them there)."""
    cohort = document.get("cohort")
    if not isinstance(cohort, dict) or not (cohort.get("stored") or cohort.get("children")):
        return document
    if cohort.get("children"):
        raise PlacewiseError("cohort.children: not accepted; store the children, then give stored: true",
                             field="cohort.children")
    councils = [str(code) for code in document.get("councils") or [] if isinstance(code, str)]
    if not councils or not all(caller.may_see(council) for council in councils):
        raise Forbidden("councils: the scenario names councils you do not act for")
    with child_session(request, caller) as session:
        rows = session.scalars(select(ChildRecord).where(ChildRecord.council.in_(councils))
                               .order_by(ChildRecord.id)).all()
        records = [(row.child_id, row.council, row.record) for row in rows if caller.may_see(row.council)]
    if not records:
        raise PlacewiseError("cohort.stored: no children are stored for these councils; import an SEN2 return "
                             "(or add children) first", field="cohort.stored")
    audit_many(request, caller, "scenario_cohort", "child", [(child_id, council) for child_id, council, _ in records],
               f"one of {len(records)} stored children in a scenario's cohort")
    rest = {key: value for key, value in cohort.items() if key != "stored"}
    return {**document, "cohort": {**rest, "children": [record for _, _, record in records]}}
