"""The one visit a request with a credential makes to the store before its route: in one worker thread, on one
connection, the request is counted against the caller's rate limit (``limits.RequestCounter``; 429 over it), and
what every API route's checks read is read with it, in one statement: the API key's row, where the credential is a
key (the columns ``auth.read_api_key`` reads), and the vacancy reports' version (the register's check,
``reports_version``).

The dependencies that need those take them from the request (``auth.request_principal``, the service's register),
so they run on the event loop instead of each taking a worker thread and a connection of its own. Nothing read here
outlives the request: a key revoked before the request arrived is refused by it, and the register answers from every
report stored before it, exactly as when each read its own. Where the visit reads nothing (a token is not a key; a
store that cannot count lets the request on and says so in the log), each reads the store itself as before.
"""

import logging

import anyio.to_thread
from fastapi import Request
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from api.platform.security.auth import KEY_COLUMNS, api_key_hash, credential_fingerprint, keep_api_key
from api.platform.security.limits import RequestCounter
from api.platform.store.models import ApiKey
from api.platform.store.vacancy_reports import REPORTS_VERSION, as_version, reports_version

log = logging.getLogger(__name__)


class RequestGate:
    """Plain ASGI: the rate limit, with the API key's row and the reports' version read on the same connection.
    Anonymous requests (health, docs, the pages' sessions) pass untouched; protected routes answer them 401."""

    def __init__(self, app: ASGIApp, counter: RequestCounter) -> None:
        self.app = app
        self.per_minute = counter.per_minute
        self.counter = counter  # made with the app, which closes its connections on shutdown

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope) if scope["type"] == "http" else None
        caller = credential_fingerprint(request) if request is not None else None
        if request is None or caller is None:
            await self.app(scope, receive, send)
            return
        try:
            retry = await anyio.to_thread.run_sync(self.visit, request, caller)
        except SQLAlchemyError as error:
            log.warning("the request limit could not be counted (%s); letting the request on", type(error).__name__)
            retry = 0
        if retry:
            answer = JSONResponse({"detail": f"over {self.per_minute} requests a minute; try again in {retry} s"},
                                  status_code=429, headers={"Retry-After": str(retry)})
            await answer(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def visit(self, request: Request, caller: str) -> int:
        """Count the request; where it is allowed, read the key's row and the reports' version into the request.
        0, or the seconds to wait where the caller is over the limit.

        The gate's connections are not pinged before each use (a round trip on every request): one cut while idle
        (a restart, a failover) fails its first statement and is dropped, and the visit is made once more on a new
        one. A cut between the count and the reads counts the request twice, which errs on the safe side."""
        try:
            return self._visit_once(request, caller)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            return self._visit_once(request, caller)

    def _visit_once(self, request: Request, caller: str) -> int:
        key_hash = api_key_hash(request)
        with self.counter.engine.connect() as connection:
            retry = self.counter.hit_on(connection, caller)
            if retry:
                return retry
            if key_hash is None:
                request.state.reports_version = reports_version(connection)
            else:
                key, request.state.reports_version = key_and_reports(connection, key_hash)
                keep_api_key(request, key_hash, key)
        return 0


_VERSION = REPORTS_VERSION.subquery()
# the reports' version, with the key's row beside it where there is one (NULLs where there is none): one round trip
_KEY_AND_REPORTS = select(_VERSION.c.reports, _VERSION.c.newest, ApiKey.id.label("key_id"), *KEY_COLUMNS).select_from(
    _VERSION.outerjoin(ApiKey, ApiKey.key_hash == bindparam("key_hash")))


def key_and_reports(connection: Connection, key_hash: str) -> tuple[Row | None, tuple[int, int]]:
    """The key's row (None where no key has that hash) and the reports' version, as ``auth.read_api_key`` and
    ``reports_version`` read them, in one statement."""
    row = connection.execute(_KEY_AND_REPORTS, {"key_hash": key_hash}).one()
    return (row if row.key_id is not None else None), as_version(row.reports, row.newest)
