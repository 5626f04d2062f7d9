"""One child's shortlist for a caller: the stored child of the caller's council or a profile of it, located,
shortlisted on the live register and audited. The API's ``POST /v1/shortlists`` and the caseworker's pages both
come here, so the council checks and the audit are the same through either door."""

import threading
from dataclasses import dataclass

from fastapi import Request

from api.platform.security.audit import audit
from api.platform.security.auth import Principal
from api.records.child_records import requested_child
from api.records.register import RegisterView
from matcher.child import Child
from matcher.shortlist import Shortlist
from scenarios.inputs import locate_child

# One shortlist at a time in a process: the work is CPU-bound under the GIL, so shortlists running side by side in
# the server's thread pool only take turns and each takes longer; one at a time, each ends sooner and the others
# wait in the queue instead.
ONE_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class ChildShortlist:
    child: Child  # located (easting and northing; a postcode already turned into its LSOA and dropped)
    shortlist: Shortlist


def shortlist_child(request: Request, caller: Principal, view: RegisterView, child: Child | None,
                    child_id: str | None, k: int, purpose: str, case_reference: str | None = None,
                    detail: str | None = None) -> ChildShortlist:
    """The shortlist of a stored child (``child_id``) or a profile (``child``, of the caller's council: 403
    otherwise), audited as a shortlist with its purpose."""
    child = requested_child(request, caller, child, child_id)
    located = locate_child(child, view.inputs)
    with ONE_AT_A_TIME:
        result = view.shortlister.shortlist(located, k)
    audit(request, caller, "shortlist", "child", child.child_id, child.home_council, detail, purpose, case_reference)
    return ChildShortlist(located, result)
