"""Shortlists: the explained shortlist for a child profile, or for a stored child of the caller's council."""

from fastapi import APIRouter, Request

from api.service.child_records import requested_child
from api.service.dependencies import RegisterDep
from api.service.json_safe import json_safe
from api.service.schemas.common import problems
from api.service.schemas.shortlists import ShortlistRequest
from api.service.security.audit import audit
from api.service.security.auth import ChildRole
from scenarios.inputs import locate_child

router = APIRouter(prefix="/v1", responses=problems(400, 401, 403, 404, 409, 413, 422, 429))


@router.post("/shortlists", tags=["shortlists"])
def shortlist(request: Request, body: ShortlistRequest, register: RegisterDep, caller: ChildRole) -> dict:
    """The explained shortlist for a child profile or a stored child (the CLI's ``--json`` shape)."""
    child = requested_child(request, caller, body.child, body.child_id)
    located = locate_child(child, register.inputs)
    answer = register.shortlister.shortlist(located, body.k).to_dict()
    audit(request, caller, "shortlist", "child", child.child_id, child.home_council, None, body.purpose,
          body.case_reference)
    finite = json_safe(answer)
    assert isinstance(finite, dict)
    return finite

