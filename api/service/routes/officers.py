"""Officers by name: an admin records the real name, job title and delegated authority of a person who considers
replies or decides (kept apart from their pseudonymous sign-in); anyone signed in reads their own."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from api.platform.security.audit import audit
from api.platform.security.auth import AnyRole, Principal, require
from api.records.officers import OfficerDetails, named_officer, set_officer
from api.service.schemas.common import problems
from api.service.schemas.officers import OfficerAnswer

router = APIRouter(prefix="/v1/officers", tags=["officers"], responses=problems(400, 401, 403, 404, 413, 422, 429))
Admin = Annotated[Principal, Depends(require("admin"))]
Username = Annotated[str, Path(min_length=1, max_length=100, description="The officer's sign-in name")]


@router.get("/me", response_model=OfficerAnswer)
def my_details(request: Request, caller: AnyRole) -> dict:
    """The caller's own name, job title and delegated authority (422 naming ``officer`` where none is recorded)."""
    return {"username": caller.name, **named_officer(request.app.state.engine, caller.name)}


@router.put("/{username}", response_model=OfficerAnswer)
def record_officer(username: Username, body: OfficerDetails, request: Request, caller: Admin) -> dict:
    """Record (or change) an officer's name, job title and delegated authority; audited."""
    return set_officer(request.app.state.engine, username, body, caller.name, lambda session: audit(
        request, caller, "officer", "officer", username[:100], None, "name, job title and authority recorded",
        session=session))
