"""The service itself: liveness, readiness, and tokens for the people of the embedded default."""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.platform.security.audit import audit
from api.platform.security.sign_in import client_address
from api.service.schemas.auth import LoginRequest, TokenAnswer
from api.service.schemas.common import problems
from api.service.schemas.service import Readiness, ServiceStatus

router = APIRouter(prefix="/v1", tags=["service"])


@router.get("/health", response_model=ServiceStatus)
async def health() -> dict:
    """Answered on the event loop itself, never waiting for a thread that a heavy request may hold."""
    return {"status": "ok"}


@router.get("/ready", response_model=Readiness, responses={
    503: {"model": ServiceStatus, "description": "The store is not answering"}})
def ready(request: Request) -> JSONResponse:
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure of the store means not ready
        return JSONResponse({"status": "store unavailable"}, status_code=503)
    return JSONResponse({"status": "ready", "providers": len(request.app.state.register.base.providers)})


@router.post("/token", response_model=TokenAnswer, responses=problems(400, 401, 409, 413, 422, 429))
def token(login: LoginRequest, request: Request) -> TokenAnswer:
    """A bearer token for a person added with ``placewise users add`` (the embedded default's sign-in)."""
    logins = request.app.state.logins
    address = client_address(request)
    attempt = logins.attempt(login.username, login.password, address)
    if attempt.wait_seconds:
        wait = attempt.wait_seconds
        audit(request, login.username, "sign_in", "token", None, None, f"refused: wait {wait} s")
        raise HTTPException(429, f"too many wrong passwords; try again in {wait} s", headers={"Retry-After": str(wait)})
    if attempt.user is None:
        audit(request, login.username, "sign_in", "token", None, None, "wrong username or password")
        raise HTTPException(401, "the username or password is not right", headers={"WWW-Authenticate": "Bearer"})
    with request.app.state.sessions.begin() as session:  # the session and its audit row, together or not at all
        token_text, lifetime = logins.token(session, attempt.user, address)
        audit(request, login.username, "sign_in", "token", None, None, "signed in", session=session)
    return TokenAnswer(access_token=token_text, expires_in=lifetime)
