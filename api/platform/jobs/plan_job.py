"""A capacity plan (and, for a sweep, its variants) as a job, inside the job's own process: plan the scenario's
sites (``scenarios.planning_run``), then sweep the variants one after another, reporting progress; the result is
the plan's and the sweep's summaries (``scenarios.reports.plan_summary``). A cancel, or the job's own time limit
(``solver.time_limit_seconds``, kept by the control's deadline), stops the search where it is, and the best plan
found by then is the job's result, saying so."""

from collections.abc import Callable
from pathlib import Path

from matcher.solve_control import SolveControl

KINDS = ("plan", "sweep")


def run_plan_job(spec: dict, data_dir: str | None, say: Callable[[str], None], control: SolveControl) -> dict:
    """The plan of ``spec["scenario"]`` (and its sweep, for a ``sweep`` job), each stopping with the best found
    where ``control`` is cancelled or its deadline passes."""
    from scenarios.finance import CAPITAL_COST_PER_PLACE_GBP
    from scenarios.planning_run import run_plan
    from scenarios.reports.plan_summary import summarise_plan, summarise_sweep
    from scenarios.schema import parse_scenario
    from scenarios.sweep import run_sweep

    document = dict(spec["scenario"])
    if data_dir is not None and document.get("data") != "demo":
        document["data"] = data_dir
    scenario = parse_scenario(document, Path("plan.json"))
    say("forecasting the demand and weighing every candidate site")
    capital = float(spec.get("capital_cost_per_place_gbp") or CAPITAL_COST_PER_PLACE_GBP)
    plan = summarise_plan(run_plan(scenario, control), capital)
    result: dict = {"plan": plan}
    if spec["job"] == "sweep":
        def progress(done: int, total: int) -> None:
            say(f"sweep: variant {done:,} of {total:,}")

        result["sweep"] = summarise_sweep(run_sweep(scenario, sequential=True, progress=progress, control=control),
                                          plan)
    return result
