"""``Idempotency-Key`` on POSTs: the same key and body get the first answer again; the same key with another
body is 422; while the first is still being answered, 409. Keys are kept per caller (its credential's hash).

A replay is a request like any other: its credential is checked again (a revoked key or a disabled person gets
401) and it is audited. Stored answers expire after the ``idempotency_hours`` setting (24 by default; expired ones
are removed as new keys come), and an answer that concerns one child is removed when that child is deleted.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from fastapi import Request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.datastructures import Headers
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.platform.refusals import retry_headers
from api.platform.security.audit import audit_awaited
from api.platform.security.auth import anonymous_name, credential_fingerprint, principal
from api.platform.store.models import IdempotencyKey
from core.errors import Unauthenticated

MAX_KEY_LENGTH = 200


def forget_child(session: Session, council: str, child_id: str) -> None:
    """Remove the stored answers that concern a child (when it is deleted)."""
    session.execute(delete(IdempotencyKey).where(IdempotencyKey.council == council,
                                                 IdempotencyKey.child_id == child_id))


class Idempotency:
    """Plain ASGI in front: only a POST that carries an ``Idempotency-Key`` goes through ``KeyedRequests``."""

    def __init__(self, app: ASGIApp, hours: float) -> None:
        self.app = app
        self.keyed = KeyedRequests(app, hours)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and "idempotency-key" in Headers(scope=scope):
            await self.keyed(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class KeyedRequests(BaseHTTPMiddleware):
    """The first answer to a key kept, replayed, or refused (see the module)."""

    def __init__(self, app, hours: float) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        self.lifetime = timedelta(hours=hours)

    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        key = request.headers.get("idempotency-key")
        fingerprint = credential_fingerprint(request)
        if request.method != "POST" or key is None or fingerprint is None:  # anonymous POSTs are refused anyway
            return await call_next(request)
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            return JSONResponse({"detail": f"Idempotency-Key: give 1 to {MAX_KEY_LENGTH} characters"}, 422)
        body_hash = hashlib.sha256(await request.body()).hexdigest()
        sessions = request.app.state.sessions
        mine = (IdempotencyKey.caller == fingerprint, IdempotencyKey.key == key)
        try:
            with sessions.begin() as session:
                session.execute(delete(IdempotencyKey).where(IdempotencyKey.at < datetime.now(UTC) - self.lifetime))
                session.add(IdempotencyKey(caller=fingerprint, key=key, body_hash=body_hash))
        except IntegrityError:
            with sessions() as session:
                first = session.scalar(select(IdempotencyKey).where(*mine))
            return await self._replay(request, first, body_hash)
        response = await call_next(request)
        body = b"".join([chunk async for chunk in response.body_iterator])
        touched = getattr(request.state, "children_touched", [])
        with sessions.begin() as session:
            stored = session.scalar(select(IdempotencyKey).where(*mine))
            if stored is not None:
                if response.status_code >= 500:
                    session.delete(stored)  # a failure is not an answer: the same key may try again
                else:
                    stored.status_code, stored.response = response.status_code, body
                    stored.media_type = response.media_type
                    if len(touched) == 1:
                        stored.council, stored.child_id = touched[0]
        return Response(body, response.status_code, headers=dict(response.headers), media_type=response.media_type)

    async def _replay(self, request: Request, first: IdempotencyKey | None, body_hash: str) -> Response:
        """The first answer again, to a caller whose credential still holds; audited."""
        try:
            caller = principal(request)
        except Unauthenticated as refused:
            await audit_awaited(request, anonymous_name(request), "refused", "replay", None, None, "401")
            return JSONResponse({"detail": refused.message}, 401, headers=retry_headers(refused))
        if first is None or first.body_hash != body_hash:
            return JSONResponse({"detail": "Idempotency-Key: already used with another body; use a new key"}, 422)
        if first.status_code is None:
            return JSONResponse({"detail": "Idempotency-Key: the first request is still being answered"}, 409)
        await audit_awaited(request, caller, "replay", "child" if first.child_id else "answer", first.child_id,
                            first.council, request.url.path[:200])
        return Response(first.response or b"", first.status_code, media_type=first.media_type)
