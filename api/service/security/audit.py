"""The audit trail: who did what to which object, for which council, when and why; never a child's needs or
location. Events are only ever added (no route updates or deletes them)."""

from fastapi import Request

from api.service.security.auth import Principal
from api.service.store.models import AuditEvent


def audit(request: Request, caller: Principal, action: str, object_type: str, object_id: str | None,
          council: str | None, reason: str | None = None) -> None:
    with request.app.state.sessions.begin() as session:
        session.add(AuditEvent(actor=caller.name, council=council, action=action, object_type=object_type,
                               object_id=object_id, reason=reason))
