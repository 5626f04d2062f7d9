"""Limits on what a caller may send: bodies over ``MAX_BODY_BYTES`` or JSON nested deeper than ``MAX_DEPTH``, and
requests per caller per minute, keyed on the caller's credential (never the IP address), 429 over the limit.

The body limit counts the bytes actually received, chunked or not: the whole body is read (up to the limit) before
the app sees any of it, so an over-long body is refused with 413 and nothing of it is stored. The rate is a
sliding window in each process, over at most ``MAX_TRACKED`` credentials (the least recently seen are forgotten
first), so junk credentials cannot grow it; behind several processes the limit applies per process.
"""

import re
import time
from collections import deque

import numpy as np
from cachetools import LRUCache
from fastapi import Request
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.service.security.auth import credential_fingerprint

WINDOW_S = 60.0
MAX_BODY_BYTES = 1_000_000
MAX_DEPTH = 32  # nesting of JSON or YAML; a scenario file needs about six
MAX_TRACKED = 10_000  # credentials the rate limit remembers at once
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
_OPEN, _CLOSE = np.frombuffer(b"[{", np.uint8), np.frombuffer(b"]}", np.uint8)


def json_depth(body: bytes) -> int:
    """How deeply a JSON text nests arrays and objects (brackets inside strings do not count); vectorised, so a
    megabyte takes milliseconds on the event loop."""
    codes = np.frombuffer(_STRINGS.sub(b"", body), np.uint8)
    steps = np.isin(codes, _OPEN).astype(np.int32) - np.isin(codes, _CLOSE).astype(np.int32)
    return int(np.cumsum(steps).max()) if len(steps) else 0


class BodyLimit:
    """Pure ASGI: receive the whole body, counting its bytes, then hand it to the app; 413 past the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, larger: dict[str, int] | None = None) -> None:
        self.app, self.max_bytes = app, max_bytes
        self.larger = larger or {}  # paths that take larger bodies (an SEN2 return), each with its own limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope.get("path", ""), self.max_bytes)
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await self._too_large(scope, receive, send, limit)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:  # chunked, or a Content-Length that understated the body
                await self._too_large(scope, receive, send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if "json" in headers.get("content-type", "") and json_depth(body) > MAX_DEPTH:
            await JSONResponse({"detail": [{"field": "", "message": f"the JSON nests deeper than {MAX_DEPTH} levels; "
                                            "send a flatter document"}]}, 422)(scope, receive, send)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        answer = JSONResponse({"detail": f"the body is over {limit:,} bytes"}, status_code=413,
                              headers={"Connection": "close"})
        await answer(scope, receive, send)


class RateLimit:
    """The per-credential rate limit, as plain ASGI (a request under the limit goes straight on)."""

    def __init__(self, app: ASGIApp, per_minute: int, max_tracked: int = MAX_TRACKED) -> None:
        self.app = app
        self.per_minute = per_minute
        self.seen: LRUCache[str, deque[float]] = LRUCache(maxsize=max_tracked)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        caller = credential_fingerprint(Request(scope)) if scope["type"] == "http" else None
        if caller is None:  # anonymous calls (health, docs) are not counted; protected routes answer 401
            await self.app(scope, receive, send)
            return
        now = time.monotonic()
        times = self.seen.get(caller)
        if times is None:
            times = self.seen[caller] = deque()
        while times and now - times[0] > WINDOW_S:
            times.popleft()
        if len(times) >= self.per_minute:
            retry = int(WINDOW_S - (now - times[0])) + 1
            answer = JSONResponse({"detail": f"over {self.per_minute} requests a minute; try again in {retry} s"},
                                  status_code=429, headers={"Retry-After": str(retry)})
            await answer(scope, receive, send)
            return
        times.append(now)
        await self.app(scope, receive, send)
