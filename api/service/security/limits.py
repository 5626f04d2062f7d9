"""Limits on what a caller may send: bodies over ``MAX_BODY_BYTES`` (413), and requests per caller per minute,
keyed on the caller's credential (never the IP address), 429 over the limit.

The rate is a sliding window in each process; behind several processes the limit applies per process.
"""

import time
from collections import defaultdict, deque

from fastapi import Request
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse

from api.service.security.auth import credential_fingerprint

WINDOW_S = 60.0
MAX_BODY_BYTES = 1_000_000


class BodyLimit(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return JSONResponse({"detail": f"the body is over {MAX_BODY_BYTES:,} bytes"}, status_code=413)
        return await call_next(request)


class RateLimit(BaseHTTPMiddleware):
    def __init__(self, app, per_minute: int) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        self.per_minute = per_minute
        self.seen: dict[str, deque[float]] = defaultdict(deque)

    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        caller = credential_fingerprint(request)
        if caller is None:  # anonymous calls (health, docs) are not counted; protected routes answer 401
            return await call_next(request)
        now = time.monotonic()
        times = self.seen[caller]
        while times and now - times[0] > WINDOW_S:
            times.popleft()
        if len(times) >= self.per_minute:
            retry = int(WINDOW_S - (now - times[0])) + 1
            return JSONResponse({"detail": f"over {self.per_minute} requests a minute; try again in {retry} s"},
                                status_code=429, headers={"Retry-After": str(retry)})
        times.append(now)
        return await call_next(request)
