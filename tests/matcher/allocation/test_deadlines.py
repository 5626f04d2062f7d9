"""One deadline for the whole solve: each stage takes what remains of it, and a solve stopped by it (or by a cancel)
keeps its best solution and says why it stopped.

Time never depends on the machine here: a fake clock is moved on at exact points (after a given stage), so the
deadline passes where the test says.
"""

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from core.errors import TimeLimitReached
from matcher.allocation.allocate import SolveSettings, allocate
from matcher.policy import Policy
from matcher.solve_control import SolveControl
from tests.helpers.staged_solves import Clock, budget_policy, hard_budget_instance


def test_a_part_keeps_the_sooner_deadline_and_hears_the_whole_s_cancel():
    clock = Clock()
    whole = SolveControl.within(60, clock)
    assert whole.part(100).deadline == whole.deadline  # what remains of the whole, not a fresh limit
    assert whole.part(10).deadline == clock.now + 10
    assert SolveControl().part(5).deadline == pytest.approx(SolveControl.within(5).deadline, abs=1.0)
    clock.now += 45
    part = whole.part(60)
    assert part.remaining() == 15
    part.cancel()
    assert part.cancelled and not whole.cancelled  # a part's own stop is its own
    other = whole.part()
    whole.cancel()
    assert other.cancelled and other.stopped_by() == "cancel"
    clock.now += 15
    assert other.stopped_by() == "time_limit"


def test_check_raises_once_the_deadline_has_passed_saying_what_the_run_was_doing():
    clock = Clock()
    control = SolveControl.within(1, clock)
    control.check("loading the data")
    clock.now += 1
    with pytest.raises(TimeLimitReached, match="while loading the data, before any solving") as raised:
        control.check("loading the data")
    assert raised.value.field == "solver.time_limit_seconds"
    with pytest.raises(TimeLimitReached, match="drawing the cohort"):  # the work is never started
        control.call_or_stop(lambda: pytest.fail("started after the deadline"), "drawing the cohort")


def test_the_lexicographic_mip_stops_after_its_second_stage_when_the_deadline_passes_there():
    table, capacities = hard_budget_instance(n_children=200)
    policy = Policy(objective="lexicographic", priority=("travel", "suitability"))
    clock = Clock()
    control = SolveControl.within(60, clock)
    stages: list[int] = []

    def after(stage: int) -> None:
        stages.append(stage)
        if stage == 1:  # the second objective (priority points) is proven: the deadline passes now
            clock.now = control.deadline or 0.0

    control.after_stage = after
    stopped = allocate(table, capacities, policy, SolveSettings(method="mip", time_limit_seconds=600), control)
    left_alone = allocate(table, capacities, policy, SolveSettings(method="mip", time_limit_seconds=600))
    assert stages == [0, 1]  # the criteria and the weighted score were never solved
    assert stopped.status == "feasible" and stopped.parameters["stopped_by"] == "time_limit"
    assert left_alone.status == "optimal" and "stopped_by" not in left_alone.parameters
    assert stopped.objective()["placed"] == left_alone.objective()["placed"]  # the first objective is optimal
    assert control.deadline is not None and not control.cancelled  # the caller's control is left as it was


def test_the_budget_s_bisection_stops_at_the_iteration_it_is_cancelled_at_with_a_flow_within_budget():
    table, capacities = hard_budget_instance()
    policy = budget_policy(table)
    control = SolveControl()
    iterations: list[int] = []
    control.after_stage = lambda iteration: (iterations.append(iteration), iteration == 2 and control.cancel())
    stopped = allocate(table, capacities, policy, SolveSettings(method="lagrangian"), control)
    left_alone = allocate(table, capacities, policy, SolveSettings(method="lagrangian"))
    assert iterations == [0, 1, 2]
    assert stopped.status == "feasible" and stopped.parameters["stopped_by"] == "cancel"
    assert stopped.parameters["flow_solves"] < left_alone.parameters["flow_solves"]
    terms = stopped.objective()
    assert terms["placement_cost_gbp"] + terms["transport_cost_gbp"] <= policy.budget_gbp + 1e-6
    assert terms["placed"] == left_alone.objective()["placed"]  # the count placed is settled before the bisection
    assert control.deadline is None  # a control without a deadline keeps none; the solve kept the settings' limit


def test_a_solve_given_a_control_whose_deadline_has_passed_says_it_ran_out_of_time():
    table, capacities = hard_budget_instance()
    for method in ("mip", "lagrangian"):
        allocation = allocate(table, capacities, budget_policy(table), SolveSettings(method=method),
                              SolveControl(deadline=0.0))
        assert allocation.status in ("feasible", "no_solution_within_limit"), method
        assert allocation.parameters["stopped_by"] == "time_limit", method


def test_work_abandoned_at_the_deadline_is_waited_for_by_the_interpreter_s_exit():
    """Work still running when its deadline passes is left to wind down, and the interpreter's exit waits for it:
    a daemon thread cut off at exit inside a native call that gave up the GIL can abort the process (code 134)."""
    release = threading.Event()
    answer = SolveControl(deadline=0.0).call_by_deadline(release.wait)
    [abandoned] = [thread for thread in threading.enumerate() if thread.name == "solve"]
    try:
        assert answer is None and abandoned.is_alive()
        assert not abandoned.daemon
    finally:
        release.set()
        abandoned.join()


def test_a_process_whose_solve_was_abandoned_exits_cleanly_once_the_work_has_wound_down():
    script = textwrap.dedent("""
        import threading
        from matcher.solve_control import SolveControl

        release = threading.Event()

        def work():
            release.wait()
            total = sum(range(2_000_000))  # Python to the end: it needs the GIL while the interpreter exits
            print("wound down", total, flush=True)

        assert SolveControl(deadline=0.0).call_by_deadline(work) is None
        release.set()
    """)
    ended = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False,
                           cwd=Path(__file__).resolve().parents[3])
    assert ended.returncode == 0, ended.stderr
    assert ended.stdout.split() == ["wound", "down", str(sum(range(2_000_000)))]
