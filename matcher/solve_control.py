"""The control every solver is given: a deadline, a way to cancel, and a watchdog that keeps the deadline.

A run makes one control from its time limit as it starts, and each step takes a ``part`` of it: the part's deadline
is what remains of the whole (or sooner), so the loading, the candidates and each stage of a solve share one limit
instead of each taking a fresh one. A solver asks ``remaining()`` before each step and runs each HiGHS model inside
``running(highs)``: while it runs, ``cancel()`` (from a signal handler or another thread) and the deadline's
watchdog both stop it, and HiGHS then returns its best solution so far. Work that has no answer to give yet calls
``check`` between steps, which raises ``TimeLimitReached`` once the deadline has passed. ``after_stage`` is a hook
a staged solve calls after each stage (each objective of the lexicographic MIP, each multiplier of the budget's
bisection), so a test can cancel, or move a ``clock`` on, at an exact point instead of after a timer.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

from core.errors import TimeLimitReached

T = TypeVar("T")
GRACE_S = 0.4  # beyond the deadline, for a solve that was told to stop to hand back its best solution
StoppedBy = Literal["time_limit", "cancel"]


class Cancellable(Protocol):
    def cancelSolve(self) -> None: ...  # noqa: N802 - HiGHS's own name


@dataclass(eq=False)
class SolveControl:
    """A solve's deadline (``clock()`` seconds, ``time.monotonic`` unless given; None for none) and its cancel
    flag."""

    deadline: float | None = None
    after_stage: Callable[[int], None] | None = None
    clock: Callable[[], float] = time.monotonic
    _cancelled: bool = False
    _running: set = field(default_factory=set)
    _parts: list["SolveControl"] = field(default_factory=list)
    _whole: "SolveControl | None" = None

    @classmethod
    def within(cls, seconds: float, clock: Callable[[], float] = time.monotonic) -> "SolveControl":
        """A control whose deadline is ``seconds`` from now (by ``clock``)."""
        return cls(deadline=clock() + seconds, clock=clock)

    def part(self, seconds: float | None = None) -> "SolveControl":
        """A control for part of this one's work: its deadline is this one's, or ``seconds`` from now where that is
        sooner; cancelling this control cancels the part too (and any model it runs), never the other way round.
        The part shares the clock and the ``after_stage`` hook."""
        deadlines = [self.deadline, None if seconds is None else self.clock() + seconds]
        known = [deadline for deadline in deadlines if deadline is not None]
        part = SolveControl(deadline=min(known) if known else None, after_stage=self.after_stage, clock=self.clock,
                            _whole=self)
        self._parts.append(part)
        return part

    @property
    def cancelled(self) -> bool:
        return self._cancelled or (self._whole is not None and self._whole.cancelled)

    def remaining(self) -> float:
        """Seconds left before the deadline (infinite without one; never below zero)."""
        return float("inf") if self.deadline is None else max(self.deadline - self.clock(), 0.0)

    def expired(self) -> bool:
        return self.cancelled or self.remaining() <= 0.0

    def stopped_by(self) -> StoppedBy | None:
        """Why work under this control stopped early: the deadline passed, or a cancel came (None: neither)."""
        return "time_limit" if self.remaining() <= 0.0 else "cancel" if self.cancelled else None

    def check(self, doing: str) -> None:
        """Raise ``TimeLimitReached`` where the deadline has passed, saying what the run was ``doing`` (for work
        that has no answer to give until it ends: loading, building candidates)."""
        if self.remaining() <= 0.0:
            raise _time_limit_reached(doing)

    def call_or_stop(self, work: Callable[[], T], doing: str) -> T:
        """``work``'s answer by the deadline (run beside the caller, as ``call_by_deadline`` runs it), or
        ``TimeLimitReached`` saying what it was ``doing`` where none came: for work that cannot stop part way."""
        self.check(doing)
        answer = self.call_by_deadline(work)
        if answer is None:
            raise _time_limit_reached(doing)
        return answer

    def cancel(self) -> bool:
        """Stop the solve: every model running now (in this control or its parts) stops with its best solution,
        and later steps are skipped. Safe in a signal handler (it only sets flags). True when a model was
        running."""
        self._cancelled = True
        running = list(self._running)
        for solver in running:
            solver.cancelSolve()
        parts_running = [part.cancel() for part in list(self._parts)]
        return bool(running) or any(parts_running)

    def call_by_deadline(self, work: Callable[[], T]) -> T | None:
        """Run ``work`` beside the caller and return its answer, or None where it has not answered by the deadline:
        then the control is cancelled, the work has ``GRACE_S`` to hand back its best solution, and is otherwise
        left to wind down on its own (it stops at its next check of the control).

        The interpreter's exit waits for work left winding down (its thread is not a daemon): a daemon thread still
        in a native call that gave up the GIL (NumPy, SciPy, HiGHS) is cut off by ``pthread_exit`` when it asks
        for the GIL back during the interpreter's finalisation, and where that unwinds through C++ that may not
        throw, the process aborts ("terminate called without an active exception", exit code 134)."""
        answers: list[T] = []
        failures: list[BaseException] = []

        def run() -> None:
            try:
                answers.append(work())
            except BaseException as error:  # noqa: BLE001 - handed back to the caller below
                failures.append(error)

        worker = threading.Thread(target=run, daemon=False, name="solve")
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
            if self.cancelled:
                solver.cancelSolve()
            yield
        finally:
            if watchdog is not None:
                watchdog.cancel()
            self._running.discard(solver)


def _time_limit_reached(doing: str) -> TimeLimitReached:
    return TimeLimitReached(f"the time limit ran out while {doing}, before any solving; give the run more time "
                            "(solver.time_limit_seconds covers the whole run, loading the data included)",
                            field="solver.time_limit_seconds")
