"""Children's records in the store, held to the caller's councils: the routes' check is the first wall, and on
PostgreSQL row-level security on the children table is the second (each transaction names its councils)."""

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import HTTPException, Request
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from api.service.security.auth import Principal
from api.service.store.models import ChildRecord
from core.errors import PlacewiseError
from matcher.child import Child
from scenarios.inputs import Inputs, resolve_postcode


@contextmanager
def child_session(request: Request, caller: Principal) -> Iterator[Session]:
    """A transaction on the children table; on PostgreSQL, row-level security sees the caller's councils only."""
    with request.app.state.sessions.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            councils = "*" if caller.role == "admin" else ",".join(caller.councils)
            session.execute(text("SELECT set_config('placewise.councils', :councils, true)"), {"councils": councils})
        yield session


def without_postcodes(children: list[Child], inputs: Inputs, numbered: bool = False) -> list[Child]:
    """The children with every ``home_postcode`` turned into its LSOA (the postcode is never stored); a postcode
    that cannot be resolved is a clear error naming its row (where ``numbered``, counted from 2 after a header)."""
    resolved = []
    for number, child in enumerate(children, start=2):
        try:
            resolved.append(resolve_postcode(child, inputs))
        except PlacewiseError as error:
            raise PlacewiseError(f"row {number}: {error}" if numbered else str(error)) from None
    return resolved


def store_child(session: Session, child: Child, advice: str, where: str = "") -> None:
    """Add a child to its council's records; 409 (the transaction then rolls back) where the id is held."""
    assert child.home_postcode is None, "postcodes are resolved to an LSOA before a child is stored"
    clash = session.scalar(select(ChildRecord.id).where(ChildRecord.council == child.home_council,
                                                        ChildRecord.child_id == child.child_id))
    if clash is not None:
        raise HTTPException(409, f"{where}child_id: already held for this council; {advice}")
    session.add(ChildRecord(council=child.home_council, child_id=child.child_id, record=child.model_dump(mode="json")))


def own_child(request: Request, caller: Principal, child_id: str) -> ChildRecord:
    """The caller's council's child of that id, or 404 (also when another council holds one)."""
    with child_session(request, caller) as session:
        found = session.scalars(select(ChildRecord).where(ChildRecord.child_id == child_id)).all()
    for record in found:
        if caller.may_see(record.council):
            return record
    raise HTTPException(404, "no such child")
