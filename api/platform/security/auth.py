"""Who may do what: bearer tokens from a council's identity provider (JWT), API keys for machine clients
(``Authorization: Bearer pw_...`` or ``X-API-Key``), and the roles of each route.

Tokens are checked with PyJWT against the settings ``jwt_algorithm`` (pinned; RS256 by default), the key in
``jwt_key`` (a PEM public key, or a shared secret for HS256) or a JWKS file in ``jwks_file`` (the key by the
token's ``kid``), ``jwt_issuer`` and ``jwt_audience``; expiry, issuer and audience are required. The claims
``role`` and ``councils`` (a list of ONS codes) say what the person may do; ``sub`` names them in the audit log.

Tokens whose issuer is ``placewise`` are the embedded default's own (``people``): checked with the store's
signing secret (HS256, pinned), and the session they name (``sessions``) and the person's role and councils are read
from the store on each request.

Roles: caseworker (its own council's children), commissioner (the councils of its body; scenarios), planner
(scenarios and aggregates, no child records), decision_maker (an officer with the council's delegated authority to
decide placements: its councils' children, package lists, consultations and decisions), setting (a person of one or
several settings, by URN, and of no council: the consultations and offers addressed to its settings, their vacancies
and placement agreements; ``Principal.provider_ids``), admin. A decision, and the
consideration of a setting's reply, need a named person: a token (the embedded default's or the identity
provider's), never a machine's API key (``Principal.person``). A route names the roles it admits; an object of another
council is answered exactly as a missing one (404), so nobody learns what another council holds.
"""

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPBearer
from sqlalchemy import ColumnElement, bindparam, select, true
from sqlalchemy.engine import Connection, Row
from starlette.concurrency import run_in_threadpool

from api.platform.security import people as users
from api.platform.security.keys import KEY_PREFIX, hash_key
from api.platform.security.sessions import session_user
from api.platform.store.models import ApiKey
from core.errors import Forbidden, Unauthenticated

ROLES = ("caseworker", "commissioner", "planner", "decision_maker", "setting", "admin")
CHILD_ROLES = ("caseworker", "commissioner", "decision_maker", "admin")
_INVALID = "the token is not valid"
MAX_CREDENTIAL_LENGTH = 8_000
#: How the OpenAPI declares the credentials (the checks themselves are ``principal``'s): a bearer token (a person's
#: token from ``POST /v1/token``, an identity provider's JWT, or an API key) or an API key in ``X-API-Key``.
BEARER = HTTPBearer(auto_error=False, scheme_name="bearer",
                    description="Authorization: Bearer <token from POST /v1/token, an identity provider's JWT, "
                                "or an API key pw_...>")
API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="apiKey",
                       description="An API key from placewise keys create")


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    councils: tuple[str, ...]
    person: bool = False  # a named person signed in with a token, not a machine client's key
    provider_ids: tuple[int, ...] = ()  # a setting's person: the settings (URNs) it answers for

    def answers_for(self, provider_id: int) -> bool:
        """Whether the caller is a person of that setting."""
        return self.role == "setting" and provider_id in self.provider_ids

    def may_see(self, council: str) -> bool:
        return self.role == "admin" or council in self.councils

    def sees(self, council_column: Any) -> ColumnElement[bool]:
        """``may_see`` as a query's condition on a table's council column."""
        return true() if self.role == "admin" else council_column.in_(self.councils)


def _key_from(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("x-api-key")


def credential_fingerprint(request: Request) -> str | None:
    """A hash of the caller's credential header as sent, to key per-caller state (idempotency, rate limits)."""
    raw = request.headers.get("authorization") or request.headers.get("x-api-key")
    return hashlib.sha256(raw.encode()).hexdigest() if raw else None


def anonymous_name(request: Request) -> str:
    """How the audit names a caller whose credential did not hold: a short hash of what was sent, never the text."""
    fingerprint = credential_fingerprint(request)
    return f"unknown credential {fingerprint[:12]}" if fingerprint else "no credential"


def principal(request: Request) -> Principal:
    """The caller, from its token or key; 401 for a missing, unknown, expired or revoked one (never which). An API
    key's row is read from the store, unless this request's gate has read it already (``read_api_key``)."""
    key = _key_from(request)
    if not key or len(key) > MAX_CREDENTIAL_LENGTH:
        raise Unauthenticated("give a token or an API key: Authorization: Bearer <token or key>")
    if _is_token(key):
        return _from_token(request, key)
    key_hash = hash_key(key)
    keys_read = _keys_read(request)
    if key_hash in keys_read:
        found = keys_read[key_hash]
    else:
        with request.app.state.engine.connect() as connection:
            found = read_api_key(connection, key_hash)
    if found is None or found.revoked:
        raise Unauthenticated("the API key is not valid")
    return Principal(found.name, found.role, tuple(found.councils or ()))


async def request_principal(request: Request) -> Principal:
    """``principal`` as a route's dependency: on the event loop where it reads nothing from the store (the gate has
    read the API key's row), in a worker thread otherwise."""
    key_hash = api_key_hash(request)
    if key_hash is not None and key_hash in _keys_read(request):
        return principal(request)
    return await run_in_threadpool(principal, request)


def api_key_hash(request: Request) -> str | None:
    """The hash of the request's credential where it is an API key (None for a token, or no credential)."""
    key = _key_from(request)
    return hash_key(key) if key and len(key) <= MAX_CREDENTIAL_LENGTH and not _is_token(key) else None


def read_api_key(connection: Connection, key_hash: str) -> Row | None:
    """The row of the key with that hash (its name, role, councils and whether it is revoked), or None; a plain row,
    as the gate reads it for ``principal`` on its own connection (``gate.RequestGate``)."""
    return connection.execute(_KEY_BY_HASH, {"key_hash": key_hash}).one_or_none()


def keep_api_key(request: Request, key_hash: str, row: Row | None) -> None:
    """Keep a key's row read for this request, so that ``principal`` does not read it again."""
    _keys_read(request)[key_hash] = row


def _keys_read(request: Request) -> dict[str, Row | None]:
    return request.scope.setdefault("state", {}).setdefault("api_keys_read", {})


def _is_token(credential: str) -> bool:
    return credential.count(".") == 2 and not credential.startswith(KEY_PREFIX)


def _from_token(request: Request, token: str) -> Principal:
    try:
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError:
        raise Unauthenticated(_INVALID) from None
    if issuer == users.ISSUER:
        return _from_own_token(request, token)
    settings = request.app.state.settings
    try:
        if settings.jwks_file is not None:
            keys = jwt.PyJWKSet.from_json(Path(settings.jwks_file).read_text(encoding="utf-8"))
            kid = jwt.get_unverified_header(token).get("kid")
            key: jwt.PyJWK | str = next(item for item in keys.keys if item.key_id == kid)
        elif settings.jwt_key is not None:
            key = settings.jwt_key
        else:
            raise Unauthenticated(_INVALID)
        claims = jwt.decode(token, key, algorithms=[settings.jwt_algorithm], audience=settings.jwt_audience,
                            issuer=settings.jwt_issuer, options={"require": ["exp", "iss", "aud", "sub"]})
    except (jwt.PyJWTError, KeyError, StopIteration, OSError, ValueError):
        raise Unauthenticated(_INVALID) from None
    return principal_from_claims(claims)


def principal_from_claims(claims: dict) -> Principal:
    """The person an identity provider's checked claims name: ``role``, ``councils`` (ONS codes) and, for a setting's
    person, ``providers`` (URNs); 401 where they do not make sense."""
    role, councils, providers = claims.get("role"), claims.get("councils", []), claims.get("providers", [])
    if (role not in ROLES or not isinstance(councils, list) or not all(isinstance(c, str) for c in councils)
            or not isinstance(providers, list) or not all(type(p) is int for p in providers)
            or (role == "setting") != bool(providers) or (role == "setting" and councils)):
        raise Unauthenticated(_INVALID)
    return Principal(str(claims["sub"])[:100], role, tuple(councils), person=True, provider_ids=tuple(providers))


def _from_own_token(request: Request, token: str) -> Principal:
    engine = request.app.state.engine
    try:
        claims = jwt.decode(token, users.signing_secret(engine), algorithms=[users.ALGORITHM],
                            audience=users.AUDIENCE, issuer=users.ISSUER, options={"require": ["exp", "sub", "jti"]})
    except jwt.PyJWTError:
        raise Unauthenticated(_INVALID) from None
    if session_user(engine, str(claims["jti"])) != claims["sub"]:  # its session ended (password, disabled)
        raise Unauthenticated(_INVALID)
    person = users.active_user(engine, str(claims["sub"]))
    if person is None:
        raise Unauthenticated(_INVALID)
    return Principal(person.username, person.role, tuple(person.councils or ()), person=True,
                     provider_ids=tuple(person.provider_ids or ()))


KEY_COLUMNS = (ApiKey.name, ApiKey.role, ApiKey.councils, ApiKey.revoked)  # what ``principal`` reads of a key's row
_KEY_BY_HASH = select(*KEY_COLUMNS).where(ApiKey.key_hash == bindparam("key_hash"))


def require(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting only the given roles (403 for the others)."""

    async def check(request: Request, caller: Annotated[Principal, Depends(request_principal)],
              _bearer: Annotated[object, Security(BEARER)] = None,
              _key: Annotated[object, Security(API_KEY)] = None) -> Principal:
        request.state.caller = caller  # so that a refusal after this point is audited under the caller's name
        if caller.role not in roles:
            raise Forbidden(f"this needs one of the roles {', '.join(roles)}")
        return caller

    check.roles = roles  # type: ignore[attr-defined]
    return check


AnyRole = Annotated[Principal, Depends(require(*ROLES))]
ChildRole = Annotated[Principal, Depends(require(*CHILD_ROLES))]
VacancyRole = Annotated[Principal, Depends(require("commissioner", "admin"))]
ScenarioRole = Annotated[Principal, Depends(require("commissioner", "planner", "admin"))]
DecisionRole = Annotated[Principal, Depends(require("decision_maker"))]
SettingRole = Annotated[Principal, Depends(require("setting"))]
