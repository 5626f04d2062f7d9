"""A run's time limit covers the whole run: loading, the candidates and each stage of the solve share one deadline,
each taking what remains. Run out before any solving, the run says how far it got (``TimeLimitReached``); run out
while solving, it ends with the best solution found and says so. The demo's lexicographic MIP, on a fake clock moved
on at exact points, so no test depends on the machine's speed."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from core.errors import TimeLimitReached
from matcher.solve_control import SolveControl
from scenarios.run import run_scenario
from scenarios.schema import parse_scenario
from tests.helpers.staged_solves import Clock

LIMIT_S = 60.0
DOCUMENT = {"name": "Deadline", "data": "demo", "councils": ["E06900001", "E06900002", "E06900003"],
            "cohort": {"synthetic": True}, "solver": {"method": "mip", "time_limit_seconds": LIMIT_S},
            "policy": {"objective": "lexicographic", "priority": ["travel", "suitability"]}}


def demo():  # type: ignore[no-untyped-def]
    return parse_scenario(DOCUMENT, Path("deadline.json"))


def test_the_solve_takes_what_remains_of_the_run_s_limit_not_a_fresh_one():
    clock = Clock()
    control = SolveControl.within(LIMIT_S, clock)
    stages: list[int] = []

    def candidates_built(_stage: str, done: int, total: int) -> None:
        if done == total:  # building the candidates took 50 of the run's 60 s
            clock.now += 50

    def after(stage: int) -> None:  # the first stage took the 10 s left (a fresh limit would leave the solve 50)
        stages.append(stage)
        clock.now += 10

    control.after_stage = after
    run = run_scenario(demo(), progress=candidates_built, control=control)
    assert stages == [0]
    assert run.allocation.status == "feasible" and run.kpis["solver"]["stopped_by"] == "time_limit"
    assert run.kpis["checker_problems"] == 0 and run.kpis["placed"] > 0  # the best found, checked and reported


def test_a_run_whose_limit_runs_out_building_the_candidates_says_how_far_it_got():
    clock = Clock()

    def slow_blocks(_stage: str, done: int, total: int) -> None:
        clock.now += LIMIT_S  # the first block of candidates takes the whole limit

    with pytest.raises(TimeLimitReached, match=r"building the candidates \(\d+ of 240 children\), before any"):
        run_scenario(demo(), progress=slow_blocks, control=SolveControl(clock=clock))


def test_a_run_whose_deadline_has_passed_before_it_starts_loads_nothing():
    with pytest.raises(TimeLimitReached, match="while loading the data"):
        run_scenario(demo(), control=SolveControl(deadline=0.0))


def test_the_command_line_says_the_limit_ran_out_in_one_line(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text("name: Tiny\ndata: demo\ncouncils: [E06900001]\ncohort:\n  synthetic: true\n"
                    "solver:\n  time_limit_seconds: 0.000001\n")
    answer = CliRunner().invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert answer.exit_code != 0 and "Traceback" not in answer.output
    assert "time limit ran out while" in answer.output and "solver.time_limit_seconds" in answer.output
