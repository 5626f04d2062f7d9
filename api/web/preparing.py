"""Work the planner's pages need done once (the forecast, its charts, the dashboard's tables), done on one background
thread so that no page waits for it: a page asks for a result, gets it when it is ready, and otherwise says it is
being prepared and looks again by itself.

Each piece of work is named by a key (what it is, and the data folder and choices it depends on) and done once a
process; what it returns is kept in memory, and what it keeps in the cache folder outlives the process. Work that
failed is forgotten, so the next visit tries again, and its error is logged (never a child's record: these are
aggregates).
"""

import logging
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from fastapi import FastAPI, Request

log = logging.getLogger(__name__)


class Preparer:
    """One background thread and the work it has been given, by key."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="placewise-prepare")
        self._work: dict[Hashable, Future] = {}
        self._lock = threading.RLock()  # a callback on work already done runs at once, inside start()

    def start(self, key: Hashable, build: Callable[[], Any]) -> Future:
        """Queue ``build`` under ``key`` unless it is queued, running or done already."""
        with self._lock:
            work = self._work.get(key)
            if work is None:
                work = self._work[key] = self._executor.submit(build)
                work.add_done_callback(lambda done: self._forget_failure(key, done))
            return work

    def ready(self, key: Hashable, build: Callable[[], Any]) -> Any | None:
        """What ``build`` returned under ``key``, or None while it is being prepared (queued here if it was not); its
        error if it failed (the next visit tries again)."""
        work = self.start(key, build)
        return work.result() if work.done() else None

    def _forget_failure(self, key: Hashable, work: Future) -> None:
        if work.exception() is not None:
            log.error("preparing %s failed: %s", key[0] if isinstance(key, tuple) else key, work.exception())
            with self._lock:
                self._work.pop(key, None)


def add_preparer(app: FastAPI) -> Preparer:
    app.state.preparer = Preparer()
    return app.state.preparer


def preparer(request: Request) -> Preparer:
    return request.app.state.preparer
