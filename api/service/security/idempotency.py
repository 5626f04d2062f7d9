"""``Idempotency-Key`` on POSTs: the same key and body get the first answer again; the same key with another
body is 422; while the first is still being answered, 409. Keys are kept per caller (its credential's hash)."""

import hashlib

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse, Response

from api.service.security.auth import credential_fingerprint
from api.service.store.models import IdempotencyKey

MAX_KEY_LENGTH = 200


class Idempotency(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        key = request.headers.get("idempotency-key")
        fingerprint = credential_fingerprint(request)
        if request.method != "POST" or key is None or fingerprint is None:  # anonymous POSTs are refused anyway
            return await call_next(request)
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            return JSONResponse({"detail": f"Idempotency-Key: give 1 to {MAX_KEY_LENGTH} characters"}, 422)
        body_hash = hashlib.sha256(await request.body()).hexdigest()
        sessions = request.app.state.sessions
        try:
            with sessions.begin() as session:
                session.add(IdempotencyKey(caller=fingerprint, key=key, body_hash=body_hash))
        except IntegrityError:
            with sessions() as session:
                first = session.scalar(select(IdempotencyKey).where(IdempotencyKey.caller == fingerprint,
                                                                    IdempotencyKey.key == key))
            if first is None or first.body_hash != body_hash:
                return JSONResponse({"detail": "Idempotency-Key: already used with another body; use a new key"}, 422)
            if first.status_code is None:
                return JSONResponse({"detail": "Idempotency-Key: the first request is still being answered"}, 409)
            return Response(first.response or b"", first.status_code, media_type=first.media_type)
        response = await call_next(request)
        body = b"".join([chunk async for chunk in response.body_iterator])
        with sessions.begin() as session:
            stored = session.scalar(select(IdempotencyKey).where(IdempotencyKey.caller == fingerprint,
                                                                 IdempotencyKey.key == key))
            if stored is not None:
                if response.status_code >= 500:
                    session.delete(stored)  # a failure is not an answer: the same key may try again
                else:
                    stored.status_code, stored.response = response.status_code, body
                    stored.media_type = response.media_type
        return Response(body, response.status_code, headers=dict(response.headers), media_type=response.media_type)
