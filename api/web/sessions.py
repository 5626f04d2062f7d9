"""Signing in to the pages: a session the server holds (``api.platform.security.sessions``) for the people of
``placewise users add``, named by a signed cookie, with their roles and councils read from the store on every request
(as for their tokens), and a CSRF token on every form.

The cookie (Starlette's ``SessionMiddleware``, signed with itsdangerous) is HttpOnly, SameSite=Lax, Secure where the
request came over TLS (``https``, also behind a proxy named in ``forwarded_allow_ips`` that says so), and lasts at
most ``session_hours``; its key is derived from the store's signing secret. It holds the session's secret (the store
keeps only its hash), the CSRF token and nothing of any child or person. Signing out, disabling the person or changing
their password ends the session in the store, so a copy of the cookie taken before is refused after; so is one idle
for ``session_idle_minutes`` or older than ``session_hours``. The API never reads the cookie: the API takes only
tokens and keys, so a cookie cannot act there.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from api.platform.security.auth import ROLES, Principal
from api.platform.security.people import active_user, signing_secret
from api.platform.security.sessions import end_session, session_user, start_session

COOKIE = "placewise_session"
CSRF_FIELD = "csrf_token"
CSRF_REFUSED = ("This form had expired or did not come from this service, so nothing was changed. Go back, reload "
                "the page and send the form again.")


class Sessions:
    """Signed session cookies, Secure on a TLS request (two middlewares on one secret, chosen by scheme)."""

    def __init__(self, app: ASGIApp, secret: str, hours: float) -> None:
        options = {"session_cookie": COOKIE, "max_age": int(hours * 3600), "same_site": "lax"}
        self.plain = SessionMiddleware(app, secret, https_only=False, **options)  # type: ignore[arg-type]
        self.tls = SessionMiddleware(app, secret, https_only=True, **options)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = self.tls if scope.get("scheme") in ("https", "wss") else self.plain
        await chosen(scope, receive, send)


def session_secret(engine) -> str:  # type: ignore[no-untyped-def]
    """The cookie's key: derived from the store's signing secret, for this use alone."""
    return hmac.new(signing_secret(engine).encode(), b"placewise web sessions", hashlib.sha256).hexdigest()


class SignInNeeded(Exception):
    """Nobody is signed in (or the person was disabled): the page answers with the sign-in page."""


def signed_in(request: Request) -> Principal | None:
    """The person signed in: their session, then the person, re-read from the store (ended, idle, disabled or
    removed: nobody)."""
    secret = request.session.get("sid")
    if not isinstance(secret, str):
        return None
    settings = request.app.state.settings
    username = session_user(request.app.state.engine, secret, timedelta(minutes=settings.session_idle_minutes))
    person = active_user(request.app.state.engine, username) if username is not None else None
    if person is None:
        request.session.clear()
        return None
    return Principal(person.username, person.role, tuple(person.councils or ()),
                     provider_ids=tuple(person.provider_ids or ()))


def begin_session(request: Request, session: Session, username: str) -> None:
    """In the sign-in's transaction: a new session in the store, named by the cookie (nothing carried over)."""
    secret = start_session(session, username, "page", timedelta(hours=request.app.state.settings.session_hours))
    request.session.clear()
    request.session["sid"] = secret
    csrf_token(request)


def end_this_session(request: Request, session: Session) -> None:
    """In the sign-out's transaction: the session ends in the store, and the cookie is emptied."""
    secret = request.session.get("sid")
    if isinstance(secret, str):
        end_session(session, secret)
    request.session.clear()


def page_role(*roles: str) -> Callable[..., Principal]:
    """A dependency admitting the signed-in people of the given roles (403 for the others)."""

    def check(request: Request) -> Principal:
        caller = signed_in(request)
        if caller is None:
            raise SignInNeeded
        request.state.caller = caller  # so that a refusal after this point is audited under the person's name
        if caller.role not in roles:
            raise HTTPException(403, "This page is for " + " and ".join(f"{role}s" for role in roles) + ".")
        return caller

    check.roles = roles  # type: ignore[attr-defined]
    return check


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use), for every form's hidden field."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the session's; 403 (nothing done) otherwise."""
    form = await request.form(max_files=2, max_fields=200)
    sent, held = form.get(CSRF_FIELD), request.session.get("csrf")
    if not isinstance(sent, str) or not isinstance(held, str) or not hmac.compare_digest(sent, held):
        raise HTTPException(403, CSRF_REFUSED)
    return form


def local_path(target: str | None) -> str:
    """A path on this service to go to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


AnyPerson = Annotated[Principal, Depends(page_role(*ROLES))]
Caseworker = Annotated[Principal, Depends(page_role("caseworker", "commissioner", "admin"))]
Commissioner = Annotated[Principal, Depends(page_role("commissioner", "admin"))]
Planner = Annotated[Principal, Depends(page_role("commissioner", "planner", "admin"))]
Form = Annotated[FormData, Depends(checked_form)]
