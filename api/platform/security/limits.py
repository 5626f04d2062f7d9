"""Limits on what a caller may send: bodies over ``MAX_BODY_BYTES`` or JSON nested deeper than ``MAX_DEPTH``, and
requests per caller per minute, keyed on the caller's credential (never the IP address), 429 over the limit.

The body limit counts the bytes actually received, chunked or not: the whole body is read (up to the limit) before
the app sees any of it, so an over-long body is refused with 413 and nothing of it is stored. The rate is a
sliding window counted in the store (``RequestCounter``, by ``gate.RequestGate``), so it holds across every server
process; the store keeps a row per credential seen in the last two minutes only.
"""

import re
import time

import numpy as np
from sqlalchemy import Float, Integer, String, Table, bindparam, create_engine, delete, event, func, literal, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.dml import Insert
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.platform.store.engine import CONNECT_TIMEOUT_S
from api.platform.store.models import RequestCount

WINDOW_S = 60.0
MAX_BODY_BYTES = 1_000_000
MAX_DEPTH = 32  # nesting of JSON or YAML; a scenario file needs about six
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
_OPEN, _CLOSE = np.frombuffer(b"[{", np.uint8), np.frombuffer(b"]}", np.uint8)


def json_depth(body: bytes) -> int:
    """How deeply a JSON text nests arrays and objects (brackets inside strings do not count); vectorised, so a
    megabyte takes milliseconds on the event loop."""
    codes = np.frombuffer(_STRINGS.sub(b"", body), np.uint8)
    steps = np.isin(codes, _OPEN).astype(np.int32) - np.isin(codes, _CLOSE).astype(np.int32)
    return int(np.cumsum(steps).max()) if len(steps) else 0


def nests_deeper(body: bytes, levels: int = MAX_DEPTH) -> bool:
    """Whether a JSON text nests deeper than ``levels``; a text with no more opening brackets than that cannot (a
    count in C, where ``json_depth`` would take tens of microseconds on every small request)."""
    return body.count(b"[") + body.count(b"{") > levels and json_depth(body) > levels


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
        if "json" in headers.get("content-type", "") and nests_deeper(body):
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


class RequestCounter:
    """Requests per caller a minute, counted in the store so that every server process shares one count.

    A sliding window, estimated from two fixed minutes (as the ``limits`` library's moving-window approximation):
    this minute's count plus the last minute's, weighted by how much of it still lies within the last 60 s. A
    request is counted only where it is allowed, in one statement (``_COUNT``: a conditional upsert that reads the
    last minute's row itself), so two processes never let one through past the limit and each request costs one
    round trip. Rows older than the last minute are removed as each process enters a new minute.
    """

    def __init__(self, engine: Engine, per_minute: int) -> None:
        self.engine, self.per_minute = _counting_engine(engine), per_minute
        self.swept_minute = -1
        self.count = _count_statement(engine.dialect.name)

    def hit(self, caller: str, moment: float | None = None) -> int:
        """Count a request of the caller if it is within the limit: 0, or the seconds to wait where it is not."""
        with self.engine.connect() as connection:
            return self.hit_on(connection, caller, moment)

    def hit_on(self, connection: Connection, caller: str, moment: float | None = None) -> int:
        """``hit`` on a connection of ``self.engine`` the caller holds."""
        moment = time.time() if moment is None else moment
        minute, into = int(moment // WINDOW_S), (moment % WINDOW_S) / WINDOW_S
        if minute != self.swept_minute:
            connection.execute(_SWEEP, {"minute": minute})
            self.swept_minute = minute
        counted = connection.execute(self.count, {"caller": caller, "minute": minute, "weight": 1.0 - into,
                                                  "per_minute": self.per_minute}).scalar()
        return 0 if counted is not None else int(WINDOW_S - moment % WINDOW_S) + 1


def _count_statement(dialect: str) -> Insert:
    """Count one request of ``:caller`` in ``:minute`` where it is allowed, returning the new count (no row where it
    is not). Allowed where ``count + ceil(previous * weight) < per_minute``: this minute's count so far plus the last
    minute's share (``weight``, the part of it still within the last 60 s; rounded up, so a burst across the turn of
    the minute is never let past the limit). As ``count`` and ``per_minute`` are whole, that is
    ``previous * weight <= per_minute - 1 - count``, which SQL can test without rounding."""
    table = RequestCount.__table__
    assert isinstance(table, Table)
    last = table.alias("last_minute")
    previous = func.coalesce(select(last.c.count).where(
        last.c.caller == bindparam("caller"), last.c.minute == bindparam("minute") - 1).scalar_subquery(), 0)
    weighted = bindparam("weight", type_=Float) * previous
    per_minute = bindparam("per_minute", type_=Integer)
    first = select(bindparam("caller", type_=String), bindparam("minute", type_=Integer), literal(1)).where(
        weighted <= per_minute - 1)
    insert = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)
    return insert.from_select(["caller", "minute", "count"], first).on_conflict_do_update(
        index_elements=["caller", "minute"], set_={"count": table.c.count + 1},
        where=weighted <= per_minute - 1 - table.c.count).returning(table.c.count)


_SWEEP = delete(RequestCount).where(RequestCount.minute < bindparam("minute") - 1)


def _counting_engine(engine: Engine) -> Engine:
    """The engine counts are written with: each statement commits on its own (autocommit: one round trip a count,
    its connections not pinged before use: ``gate.RequestGate.visit`` tries again on a new one where one was cut) and
    without waiting for the disk (``synchronous_commit`` off on PostgreSQL; ``synchronous=NORMAL`` in WAL mode on
    SQLite). A count is atomic and seen by every process at once; only the last moment's counts could be lost to a
    power cut, which costs nothing."""
    if engine.dialect.name == "postgresql":
        return create_engine(engine.url, future=True, isolation_level="AUTOCOMMIT",
                             connect_args={"connect_timeout": CONNECT_TIMEOUT_S,
                                           "options": "-c synchronous_commit=off"})
    counting = create_engine(engine.url, future=True, isolation_level="AUTOCOMMIT")
    event.listen(counting, "connect", _fast_sqlite)
    return counting


def _fast_sqlite(connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
