"""Children of the caller's council: create, import, list, read, update, delete.

Every check is by council: an object of another council answers 404 exactly as a missing one. On PostgreSQL,
row-level security on the children table is a second wall (``api.records.child_records``).
"""

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import select

from api.platform.parameters import CaseQuery, ChildId, Limit, Offset, PurposeQuery
from api.platform.security.audit import audit, audit_many
from api.platform.security.auth import ChildRole
from api.platform.security.idempotency import forget_child
from api.platform.store.models import ChildRecord
from api.records.child_records import checked_children, child_session, own_child, store_children
from api.records.child_records import create_child as store_new_child
from api.records.child_records import update_child as replace_child
from api.records.documents import utf8_text
from api.service.dependencies import BodyDep, RegisterDep
from api.service.schemas.children import ChildReference, ChildrenImported, StoredChild
from api.service.schemas.common import links, problems
from matcher.child import Child
from scenarios.cohort import parse_cohort_csv

CHILD_LINKS = links(201, "The child is stored", "child_id", {
    "ReadChild": "read_child_v1_children__child_id__get", "UpdateChild": "update_child_v1_children__child_id__put",
    "DeleteChild": "delete_child_v1_children__child_id__delete"})
router = APIRouter(prefix="/v1", responses=problems(400, 401, 403, 404, 409, 413, 422, 429))


@router.post("/children", status_code=201, response_model=ChildReference, tags=["children"], responses=CHILD_LINKS)
def create_child(child: Child, request: Request, register: RegisterDep, caller: ChildRole) -> dict:
    """A child of the caller's council (``home_postcode`` is turned into its LSOA and never kept)."""
    child = store_new_child(request, caller, register, child)
    return {"child_id": child.child_id, "home_council": child.home_council}


@router.post("/children/import", status_code=201, response_model=ChildrenImported, tags=["children"],
             openapi_extra={"requestBody": {"required": True, "content": {
                 "text/csv": {"schema": {"type": "string", "maxLength": 200_000}}}}})
def import_children(body: BodyDep, request: Request, register: RegisterDep, caller: ChildRole) -> dict:
    """Children as CSV (UTF-8, a header row, one child a row): all are stored, or none. Parsed in a worker
    thread, off the event loop."""
    text_body = utf8_text(body, "CSV")
    children = [Child.model_validate(record) for record in parse_cohort_csv(text_body, "children CSV")]
    outside = [number for number, child in enumerate(children, start=2) if not caller.may_see(child.home_council)]
    if outside:
        raise HTTPException(403, f"row {outside[0]}: home_council: you may only add children of your own "
                                 f"council ({len(outside)} rows); nothing was stored")
    children = checked_children(children, register, numbered=True)
    with child_session(request, caller) as session:  # the children and their audit rows, together or not at all
        store_children(session, children, "nothing was stored", numbered=True)
        audit_many(request, caller, "import", "child", [(child.child_id, child.home_council) for child in children],
                   f"one of {len(children)} children imported together", session=session)
    return {"imported": len(children)}


@router.get("/children", tags=["children"], response_model=list[ChildReference])
def list_children(request: Request, caller: ChildRole,
                  limit: Limit = 100, offset: Offset = 0) -> list[dict]:
    with child_session(request, caller) as session:
        query = select(ChildRecord).where(caller.sees(ChildRecord.council)).order_by(ChildRecord.id)
        rows = session.scalars(query.offset(offset).limit(limit)).all()
    audit_many(request, caller, "list", "child", [(row.child_id, row.council) for row in rows] or [(None, None)],
               f"{len(rows)} records, offset {offset}")
    return [{"child_id": row.child_id, "home_council": row.council} for row in rows]


@router.get("/children/{child_id}", tags=["children"], response_model=StoredChild,
            response_model_exclude_unset=True)
def read_child(child_id: ChildId, request: Request, caller: ChildRole, purpose: PurposeQuery = None,
               case_reference: CaseQuery = None) -> dict:
    record = own_child(request, caller, child_id)
    audit(request, caller, "read", "child", child_id, record.council, None, purpose, case_reference)
    return record.record


@router.put("/children/{child_id}", tags=["children"], response_model=ChildReference)
def update_child(child_id: ChildId, child: Child, request: Request, register: RegisterDep, caller: ChildRole) -> dict:
    child = replace_child(request, caller, register, child_id, child)
    return {"child_id": child_id, "home_council": child.home_council}


@router.delete("/children/{child_id}", status_code=204, tags=["children"])
def delete_child(child_id: ChildId, request: Request, caller: ChildRole) -> None:
    """Delete the child, with every stored idempotent answer about it."""
    record = own_child(request, caller, child_id)
    with child_session(request, caller) as session:
        stored = session.get(ChildRecord, record.id)
        if stored is not None:
            session.delete(stored)
        forget_child(session, record.council, child_id)
        audit(request, caller, "delete", "child", child_id, record.council, session=session)
