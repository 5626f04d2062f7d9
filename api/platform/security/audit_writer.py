"""The audit's writer, one a server process: the rows of the requests that arrive together are written in one
transaction, so one commit (one wait for the disk) serves them all, and each request still answers only once its
own rows have committed.

A request hands its rows to ``append``, which returns a ``Future``: done once the transaction holding them has
committed, or failed with the store's error where it could not be written (then every request of that
transaction fails, and nothing of theirs was written). While one transaction commits, the rows that arrive queue
for the next. The thread starts with the first rows and ends after ``IDLE_S`` without any, so an app that is never
shut down (as in tests) leaves no thread behind for long; ``close`` (on the app's shutdown) writes what is queued
and waits for the thread to end.
"""

import threading
from concurrent.futures import Future
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from api.platform.store.models import AuditEvent

IDLE_S = 2.0  # a thread without rows for this long ends; the next rows start another
THREAD_NAME = "placewise-audit-writer"
Rows = list[dict[str, Any]]


class AuditWriter:
    """Audit rows appended by one thread, each transaction holding every row queued when it began."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._changed = threading.Condition()
        self._queued: list[tuple[Rows, Future[None]]] = []
        self._thread: threading.Thread | None = None
        self._closing = False

    def append(self, rows: Rows) -> "Future[None]":
        """Queue the rows for the next transaction; the future is done once they are committed, or holds the
        store's error where they could not be."""
        future: Future[None] = Future()
        with self._changed:
            self._queued.append((rows, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
                self._thread.start()
            self._changed.notify_all()  # the writer, and anyone waiting on the queue
        return future

    def wait_until_queued(self, count: int, timeout: float | None = None) -> bool:
        """Wait until ``count`` requests' rows wait for the next transaction (False where ``timeout`` passed
        first)."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._queued) >= count, timeout)

    def close(self) -> None:
        """Write every row queued and wait for the thread to end; rows appended later start another."""
        with self._changed:
            self._closing, thread = True, self._thread
            self._changed.notify()
        if thread is not None:
            thread.join()
        with self._changed:
            self._closing = False

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._queued or self._closing, timeout=IDLE_S)
                if not self._queued:  # idle, or closing with nothing left to write
                    self._thread = None
                    return
                batch, self._queued = self._queued, []
            self._write(batch)

    def _write(self, batch: list[tuple[Rows, "Future[None]"]]) -> None:
        """One transaction for the batch's rows, in the order they were appended; each future told how it went.
        The rows of a request that stopped waiting (its future cancelled, as when its client went away) are written
        all the same."""
        waiting = [future for _, future in batch if future.set_running_or_notify_cancel()]
        try:
            with self.engine.begin() as connection:  # plain rows: no ORM session for an append
                connection.execute(insert(AuditEvent), [row for rows, _ in batch for row in rows])
        except Exception as error:  # noqa: BLE001 - whatever it is, each waiting request gets it
            for future in waiting:
                future.set_exception(error)
            return
        for future in waiting:
            future.set_result(None)
