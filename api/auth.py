"""Who may do what: API keys (``Authorization: Bearer pw_...`` or ``X-API-Key``) and the roles of each route.

Roles: caseworker (its own council's children), commissioner (the councils of its body; scenarios), planner
(scenarios and aggregates, no child records), admin. A route names the roles it admits; an object of another
council is answered exactly as a missing one (404), so nobody learns what another council holds.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy import select

from api.store import ApiKey, hash_key

ROLES = ("caseworker", "commissioner", "planner", "admin")
CHILD_ROLES = ("caseworker", "commissioner", "admin")


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    councils: tuple[str, ...]

    def may_see(self, council: str) -> bool:
        return self.role == "admin" or council in self.councils


def _key_from(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("x-api-key")


def principal(request: Request) -> Principal:
    """The caller, from its key; 401 for a missing, unknown or revoked key (never which of these)."""
    key = _key_from(request)
    if not key or len(key) > 200:
        raise HTTPException(401, "give an API key: Authorization: Bearer <key>",
                            headers={"WWW-Authenticate": "Bearer"})
    with request.app.state.sessions() as session:
        found = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
    if found is None or found.revoked:
        raise HTTPException(401, "the API key is not valid", headers={"WWW-Authenticate": "Bearer"})
    return Principal(found.name, found.role, tuple(found.councils or ()))


def require(*roles: str) -> Callable[..., Principal]:
    """A dependency admitting only the given roles (403 for the others)."""

    def check(caller: Annotated[Principal, Depends(principal)]) -> Principal:
        if caller.role not in roles:
            raise HTTPException(403, f"this needs one of the roles {', '.join(roles)}")
        return caller

    check.roles = roles  # type: ignore[attr-defined]
    return check
