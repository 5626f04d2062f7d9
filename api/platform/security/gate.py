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
import time

import anyio.to_thread
from fastapi import Request
from sqlalchemy import ScalarSelect, bindparam, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.dml import Insert
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from api.platform.security.auth import KEY_COLUMNS, api_key_hash, credential_fingerprint, keep_api_key
from api.platform.security.limits import RequestCounter, wait_s
from api.platform.store.models import ApiKey
from api.platform.store.vacancy_reports import REPORTS_VERSION, as_version

log = logging.getLogger(__name__)


class RequestGate:
    """Plain ASGI: the rate limit, with the API key's row and the reports' version read on the same connection.
    Anonymous requests (health, docs, the pages' sessions) pass untouched; protected routes answer them 401."""

    def __init__(self, app: ASGIApp, counter: RequestCounter) -> None:
        self.app = app
        self.per_minute = counter.per_minute
        self.counter = counter  # made with the app, which closes its connections on shutdown
        self.counted_reads = _counted_key_and_reports(counter.count)

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
        one. A cut after the statement was run counts the request twice, which errs on the safe side."""
        try:
            return self._visit_once(request, caller)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            return self._visit_once(request, caller)

    def _visit_once(self, request: Request, caller: str) -> int:
        key_hash = api_key_hash(request)
        moment = time.time()
        with self.counter.engine.connect() as connection:
            parameters = self.counter.parameters(connection, caller, moment)
            row = connection.execute(self.counted_reads, {**parameters, "key_hash": key_hash}).one_or_none()
        if row is None:  # over the limit: not counted, and what was read goes unused
            return wait_s(None, moment)
        request.state.reports_version = as_version(row.reports, row.newest)
        if key_hash is not None:
            keep_api_key(request, key_hash, row if row.key_id is not None else None)
        return 0


def _counted_key_and_reports(count: Insert) -> Insert:
    """The rate count's statement returning, beside the new count, the key's row (NULLs where no key has the hash)
    and the reports' version, each read by a subquery: the whole visit in one statement and one round trip. It
    returns no row where the request is over the limit (and was not counted)."""

    def of_the_key(column: InstrumentedAttribute) -> ScalarSelect:
        return select(column).where(ApiKey.key_hash == bindparam("key_hash")).scalar_subquery()

    def of_the_reports(name: str) -> ScalarSelect:
        return REPORTS_VERSION.with_only_columns(REPORTS_VERSION.selected_columns[name]).scalar_subquery()

    return count.returning(of_the_reports("reports").label("reports"), of_the_reports("newest").label("newest"),
                           of_the_key(ApiKey.id).label("key_id"),
                           *(of_the_key(column).label(column.key) for column in KEY_COLUMNS))
