"""The control every solver is given: a deadline, a way to cancel, and a watchdog that keeps the deadline.

A solver asks ``remaining()`` before each step and runs each HiGHS model inside ``running(highs)``: while it
runs, ``cancel()`` (from a signal handler or another thread) and the deadline's watchdog both stop it, and HiGHS
then returns its best solution so far. ``after_stage`` is a hook a staged solve calls between its stages (the
lexicographic MIP), so a test can cancel at an exact point instead of after a timer.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

T = TypeVar("T")
GRACE_S = 0.4  # beyond the deadline, for a solve that was told to stop to hand back its best solution


class Cancellable(Protocol):
    def cancelSolve(self) -> None: ...  # noqa: N802 - HiGHS's own name


@dataclass(eq=False)
class SolveControl:
    """A solve's deadline (``time.monotonic()`` seconds; None for none) and its cancel flag."""

    deadline: float | None = None
    after_stage: Callable[[int], None] | None = None
    _cancelled: bool = False
    _running: set = field(default_factory=set)

    @classmethod
    def within(cls, seconds: float) -> "SolveControl":
        """A control whose deadline is ``seconds`` from now."""
        return cls(deadline=time.monotonic() + seconds)

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def remaining(self) -> float:
        """Seconds left before the deadline (infinite without one; never below zero)."""
        return float("inf") if self.deadline is None else max(self.deadline - time.monotonic(), 0.0)

    def expired(self) -> bool:
        return self._cancelled or self.remaining() <= 0.0

    def cancel(self) -> bool:
        """Stop the solve: every model running now stops with its best solution, and later steps are skipped.
        Safe in a signal handler (it only sets flags). True when a model was running."""
        self._cancelled = True
        running = list(self._running)
        for solver in running:
            solver.cancelSolve()
        return bool(running)

    def call_by_deadline(self, work: Callable[[], T]) -> T | None:
        """Run ``work`` beside the caller and return its answer, or None where it has not answered by the deadline:
        then the control is cancelled, the work has ``GRACE_S`` to hand back its best solution, and is otherwise
        left to wind down on its own."""
        answers: list[T] = []
        failures: list[BaseException] = []

        def run() -> None:
            try:
                answers.append(work())
            except BaseException as error:  # noqa: BLE001 - handed back to the caller below
                failures.append(error)

        worker = threading.Thread(target=run, daemon=True, name="solve")
        worker.start()
        worker.join(None if self.deadline is None else self.remaining())
        if worker.is_alive():
            self.cancel()
            worker.join(GRACE_S)
        if failures:
            raise failures[0]
        return answers[0] if answers else None

    def stage_done(self, stage: int) -> None:
        """Tell the hook (where there is one) that a stage of a staged solve has ended."""
        if self.after_stage is not None:
            self.after_stage(stage)

    @contextmanager
    def running(self, solver: Cancellable) -> Iterator[None]:
        """Run one model under this control: cancel reaches it, and a watchdog stops it at the deadline."""
        self._running.add(solver)
        watchdog = None
        if self.deadline is not None:
            watchdog = threading.Timer(self.remaining(), solver.cancelSolve)
            watchdog.daemon = True
            watchdog.start()
        try:
            if self._cancelled:
                solver.cancelSolve()
            yield
        finally:
            if watchdog is not None:
                watchdog.cancel()
            self._running.discard(solver)
