"""Shortlists: the explained shortlist for a child profile, or for a stored child of the caller's council."""

from fastapi import APIRouter, Request

from api.platform.json_safe import json_safe
from api.platform.security.auth import ChildRole
from api.records.shortlisting import shortlist_child
from api.service.dependencies import RegisterDep
from api.service.schemas.common import problems
from api.service.schemas.shortlists import ShortlistAnswer, ShortlistRequest

router = APIRouter(prefix="/v1", responses=problems(400, 401, 403, 404, 409, 413, 422, 429))


@router.post("/shortlists", tags=["shortlists"], response_model=ShortlistAnswer)
def shortlist(request: Request, body: ShortlistRequest, register: RegisterDep, caller: ChildRole) -> dict:
    """The explained shortlist for a child profile or a stored child (the CLI's ``--json`` shape)."""
    answer = shortlist_child(request, caller, register, body.child, body.child_id, body.k, body.purpose,
                             body.case_reference).shortlist.to_dict()
    finite = json_safe(answer)
    assert isinstance(finite, dict)
    return finite
