"""Signing in to the pages through the identity provider (``api.web.oidc``): the browser goes there with a state, a
nonce and a PKCE challenge kept in its signed session cookie, and comes back with a code, which is exchanged for an
ID token and checked. The person it names signs in as after a password (a session held in the store, audited); any
refusal is audited with the check that failed, and no session begins."""

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from api.platform.security.audit import audit
from api.platform.security.people import active_user
from api.web.oidc import OidcClient, TokenRefused
from api.web.render import page
from api.web.sessions import begin_session, local_path

router = APIRouter(include_in_schema=False)
PROVIDER_AUDIT_NAME = "identity provider"


def _client(request: Request) -> OidcClient:
    client = getattr(request.app.state, "oidc", None)
    if client is None:
        raise HTTPException(404, "No identity provider is set up here; sign in with your username and password.")
    return client


def _callback_url(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


@router.get("/sign-in/oidc")
def oidc_start(request: Request, next: str = "/") -> Response:
    client = _client(request)
    try:
        url, kept = client.authorisation(_callback_url(request))
    except TokenRefused as refused:
        return _refused(request, refused.reason)
    request.session["oidc"] = {**kept, "next": local_path(next)}
    return RedirectResponse(url, status_code=303)


@router.get("/sign-in/oidc/callback", name="oidc_callback")
def oidc_callback(request: Request, code: str = "", state: str = "") -> Response:
    client = _client(request)
    kept = request.session.pop("oidc", None)
    if not isinstance(kept, dict) or not state or not hmac.compare_digest(str(kept.get("state", "")), state[:200]):
        return _refused(request, "the answer's state is not this browser's")
    if not code:
        return _refused(request, "the identity provider sent no code")
    try:
        username = client.signed_in_username(_callback_url(request), code[:2_000], kept)
    except TokenRefused as refused:
        return _refused(request, refused.reason)
    if active_user(request.app.state.engine, username) is None:
        return _refused(request, "the person is not a user of this service", username)
    with request.app.state.sessions.begin() as session:  # the session and its audit row, together or not at all
        begin_session(request, session, username)
        audit(request, username, "sign_in", "session", None, None, "signed in by the identity provider",
              session=session)
    return RedirectResponse(local_path(str(kept.get("next", "/"))), status_code=303)


def _refused(request: Request, reason: str, username: str | None = None) -> Response:
    audit(request, username or PROVIDER_AUDIT_NAME, "sign_in", "session", None, None, f"refused: {reason}"[:200])
    return page(request, "sign_in.html", 401, title="Sign in", username="", next="/",
                errors={"identity_provider": f"You could not be signed in: {reason}. Try again, or ask your service's "
                                             "administrator."})
