"""A council's SEN2 person-level return through the API: checked, pseudonymised and stored as its children, all
or none, for a commissioner of that council. The return's names, birth dates, UPNs, ULNs and postcodes are
dropped while it is read (``scenarios.sen2_cohort``): the store, the audit and the answer see pseudonymous ids,
LSOAs and today's settings only."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from api.service.child_records import checked_children, child_session, store_children
from api.service.dependencies import BodyDep, RegisterDep, SettingsDep
from api.service.schemas.common import problems
from api.service.security.audit import audit_many
from api.service.security.auth import VacancyRole
from core.errors import PlacewiseError
from core.vocabulary import COUNCIL_PATTERN
from geodata.sen2_return import read_return
from matcher.child import Child
from scenarios.cohort import children_from_frame
from scenarios.sen2_cohort import checks_register, import_return, pseudonym_key

SEN2_PATH = "/v1/cohorts/sen2"
router = APIRouter(tags=["cohorts"], responses=problems(400, 401, 403, 404, 409, 413, 422, 429))


@router.post(SEN2_PATH, status_code=201, openapi_extra={"requestBody": {"required": True, "content": {
    "application/xml": {"schema": {"type": "string", "description": "A SEN2 person-level return (2023 or 2024)"}}}}})
def import_sen2(body: BodyDep, request: Request, caller: VacancyRole, settings: SettingsDep, register: RegisterDep,
                council: Annotated[str, Query(pattern=COUNCIL_PATTERN, description="The return's council")],
                skip_invalid: bool = False) -> dict:
    """Store a council's children from its SEN2 return (a commissioner of that council): every child, or none;
    with ``skip_invalid``, the persons that break a rule are left out and listed by position and item. Parsed in a
    worker thread, off the event loop."""
    if not caller.may_see(council):
        raise HTTPException(403, "council: you may only import your own council's return")
    secret = settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None
    key = pseudonym_key(secret)
    sen2 = read_return(body, "return", int(settings.max_return_mb * 1e6))
    inputs = register.inputs
    found = import_return(sen2, council, checks_register(inputs.data_dir, inputs.providers), inputs.postcodes, key,
                          skip_invalid)
    if found.cohort.empty:
        raise PlacewiseError("return: no child with an active plan in a specialist place of the register; nothing "
                             "was stored", field="return")
    children: list[Child] = checked_children(children_from_frame(found.cohort.set_index("child_id")), register)
    with child_session(request, caller) as session:
        store_children(session, children, "the return was imported before; nothing was stored")
    audit_many(request, caller, "import", "child", [(child.child_id, child.home_council) for child in children],
               f"one of {len(children)} children imported from an SEN2 return")
    return {**found.summary(), "skipped": found.skipped.to_dict("records")}
