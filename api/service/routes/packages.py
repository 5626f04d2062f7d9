"""Specialist Provision Packages: the deployment's catalogue and price bands, and a child's package list (every
setting within reach that can deliver the child's packages, each with its reason, the ranked shortlist beside it)."""

from fastapi import APIRouter, Request

from api.platform.json_safe import json_safe
from api.platform.security.audit import audit
from api.platform.security.auth import AnyRole, ChildRole
from api.records.child_records import requested_child
from api.service.dependencies import RegisterDep
from api.service.schemas.common import problems
from api.service.schemas.packages import PackageListAnswer, PackageListRequest
from matcher.package_list import package_list
from matcher.packages import Catalogue
from scenarios.inputs import locate_child

router = APIRouter(prefix="/v1/packages", tags=["packages"], responses=problems(400, 401, 403, 404, 409, 413, 422,
                                                                                   429))


@router.get("", response_model=Catalogue)
def list_packages(register: RegisterDep, caller: AnyRole) -> dict:
    """The packages and national price bands this deployment uses (marked where they are illustrative)."""
    catalogue = register.packages.catalogue
    return catalogue.model_dump(mode="json")


@router.post("/lists", response_model=PackageListAnswer)
def make_package_list(request: Request, body: PackageListRequest, register: RegisterDep, caller: ChildRole) -> dict:
    """The package list for a child profile or a stored child (whose record names its packages), with the ranked
    shortlist beside it as advice and the parents' preferences weighed."""
    child = requested_child(request, caller, body.child, body.child_id)
    located = locate_child(child, register.inputs)
    answer = package_list(register.shortlister, located, register.packages.catalogue, register.packages.capability,
                          body.k)
    audit(request, caller, "package_list", "child", child.child_id, child.home_council, None, body.purpose,
          body.case_reference)
    finite = json_safe(answer)
    assert isinstance(finite, dict)
    return finite
