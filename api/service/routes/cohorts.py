"""A council's SEN2 person-level return through the API: checked, pseudonymised and stored as its children, all
or none, for a commissioner of that council (``api.records.sen2_imports``). The return's names, birth dates, UPNs,
ULNs and postcodes are dropped while it is read: the store, the audit and the answer see pseudonymous ids, LSOAs
and today's settings only."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.platform.security.auth import VacancyRole
from api.records.sen2_imports import SEN2_PATHS, import_sen2_return
from api.service.dependencies import BodyDep, RegisterDep, SettingsDep
from api.service.schemas.children import Sen2Imported
from api.service.schemas.common import problems
from core.vocabulary import COUNCIL_PATTERN

router = APIRouter(tags=["cohorts"], responses=problems(400, 401, 403, 404, 409, 413, 422, 429))


@router.post(SEN2_PATHS[0], status_code=201, response_model=Sen2Imported, openapi_extra={"requestBody": {
    "required": True, "content": {
        "application/xml": {"schema": {"type": "string",
                                       "description": "A SEN2 person-level return (2023 or 2024)"}}}}})
def import_sen2(body: BodyDep, request: Request, caller: VacancyRole, settings: SettingsDep, register: RegisterDep,
                council: Annotated[str, Query(pattern=COUNCIL_PATTERN, description="The return's council")],
                skip_invalid: bool = False) -> dict:
    """Store a council's children from its SEN2 return (a commissioner of that council): every child, or none;
    with ``skip_invalid``, the persons that break a rule are left out and listed by position and item. Parsed in a
    worker thread, off the event loop."""
    return import_sen2_return(request, caller, settings, register, body, council, skip_invalid)
