"""The audit trail: who did what to which object, for which council, when and for what purpose; never a child's
needs or location, and never free text (a purpose is a code of ``Purpose``, a case reference has a fixed shape,
and ``detail`` is written by the service). Rows are only ever added: the store's triggers refuse any change.

Recorded: every read, list, create, change, delete, import (a row per child), shortlist and export of children's
data; scenario submissions, reads, lists, compares, exports and cancels (a row per council named); sign-ins, good
and bad; replays of an ``Idempotency-Key``; and refused attempts (401, 403, and 404 on an object, which is how
another council's object answers).

All or nothing: a write gives its transaction (``session``), so its audit rows commit with it or neither does; a read
answers only once its rows have committed, written by the process's ``AuditWriter`` (``app.state.audit_writer``) in
one transaction with those of the other requests that arrived together. Where the rows cannot be written (a full
disk, a store that does not answer), ``AuditUnavailable`` refuses the request (503) and nothing was read or stored.
Code on the event loop awaits its rows (``audit_awaited``), so the loop serves other requests meanwhile.
"""

import asyncio
import csv
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Literal

from fastapi import Request
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from api.platform.security.auth import Principal
from api.platform.store.engine import sessions
from api.platform.store.models import AuditEvent, now
from scenarios.spreadsheet import safe_cell

Purpose = Literal["assessment", "annual_review", "placement_search", "tribunal", "audit"]
CASE_REFERENCE_PATTERN = r"^[A-Z0-9-]{1,20}$"
EXPORT_COLUMNS = ("at", "actor", "council", "action", "object_type", "object_id", "purpose", "case_reference",
                  "detail")


class AuditUnavailable(Exception):
    """The audit rows could not be written, so the request is refused and nothing it did is kept (503)."""

    message = "the audit could not be written, so nothing was read or stored; try again in a minute"


def audit(request: Request, caller: Principal | str, action: str, object_type: str, object_id: str | None,
          council: str | None, detail: str | None = None, purpose: str | None = None,
          case_reference: str | None = None, session: Session | None = None) -> None:
    """One event (``caller`` a principal, or a name where nobody is signed in); in the write's own transaction
    where ``session`` is given."""
    audit_many(request, caller, action, object_type, [(object_id, council)], detail, purpose, case_reference,
               session)


def audit_many(request: Request, caller: Principal | str, action: str, object_type: str,
               objects: Iterable[tuple[str | None, str | None]], detail: str | None = None,
               purpose: str | None = None, case_reference: str | None = None,
               session: Session | None = None) -> None:
    """One event per (object id, council): added to the write's transaction (``session``), or committed by the
    process's audit writer before a read answers; ``AuditUnavailable`` where they cannot be. Children touched are
    noted on the request, so that an idempotent answer can be tied to its child."""
    rows = _rows(request, caller, action, object_type, objects, detail, purpose, case_reference)
    if not rows:
        return
    if session is not None:
        session.flush()  # the write's own rows first, so that a failure here is the audit's
    try:
        if session is not None:
            session.execute(insert(AuditEvent), rows)
        else:
            request.app.state.audit_writer.append(rows).result()
    except DBAPIError as error:
        raise AuditUnavailable from error


async def audit_awaited(request: Request, caller: Principal | str, action: str, object_type: str,
                        object_id: str | None, council: str | None, detail: str | None = None) -> None:
    """``audit`` for code on the event loop: the loop serves other requests while the row is committed."""
    rows = _rows(request, caller, action, object_type, [(object_id, council)], detail, None, None)
    try:
        await asyncio.wrap_future(request.app.state.audit_writer.append(rows))
    except DBAPIError as error:
        raise AuditUnavailable from error


def _rows(request: Request, caller: Principal | str, action: str, object_type: str,
          objects: Iterable[tuple[str | None, str | None]], detail: str | None, purpose: str | None,
          case_reference: str | None) -> list[dict]:
    actor = (caller if isinstance(caller, str) else caller.name)[:100]
    rows = [{"at": now(), "actor": actor, "council": council, "action": action, "object_type": object_type,
             "object_id": object_id, "detail": detail, "purpose": purpose, "case_reference": case_reference}
            for object_id, council in objects]
    if object_type == "child":
        request.state.children_touched = [(row["council"], row["object_id"]) for row in rows]
    return rows


def export_audit(engine: Engine, start: datetime, end: datetime, council: str | None, out: Path) -> int:
    """Write the events from ``start`` up to ``end`` (of one council, where given) as CSV; the rows written."""
    query = select(AuditEvent).where(AuditEvent.at >= start, AuditEvent.at < end).order_by(AuditEvent.id)
    if council is not None:
        query = query.where(AuditEvent.council == council)
    count = 0
    with sessions(engine)() as session, out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for event in session.scalars(query).yield_per(1_000):
            writer.writerow([event.at.isoformat(), *(safe_cell(getattr(event, name)) for name in EXPORT_COLUMNS[1:])])
            count += 1
    return count
