"""What runs inside a scenario job's own process: the scenario under a memory cap, answering on a queue.

The process starts from a fork server that has imported the engine once (a clean process, without the worker's
threads or connections), so each job starts in milliseconds instead of importing everything again. It dies with
the fork server, which dies with its worker, however the worker ends (``lifeline``). The job's time limit
(``solver.time_limit_seconds``) covers the whole job from its process's start: one control, whose deadline every
step shares (``scenarios.run``); run out before any solving, the job answers ``no_solution`` with where it got to.
SIGINT cancels the control: a HiGHS model in progress stops with its best solution; anything else stops at once.
"""

import functools
import multiprocessing
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from core.errors import PlacewiseError, TimeLimitReached

#: Each child's row a job keeps: where it is placed, the journey, what it costs a year, the need and kind.
ALLOCATION_COLUMNS = ("child_id", "home_council", "primary_need", "provider_id", "kind", "travel_minutes",
                      "distance_km", "placement_cost_gbp", "transport_cost_gbp")

UNPLACED_KEPT, ALLOCATION_ROWS_KEPT = 5_000, 50_000  # the most rows of each a job's answer keeps
PLAN_SECONDS = 300.0  # a plan's or a sweep's time limit where its document gives none


@dataclass(frozen=True)
class JobLimits:
    """What the worker's settings allow one job: memory, children, and where caches go."""

    memory_cap_bytes: int
    max_children: int
    cache_dir: str | None = None
    vacancy_max_age_days: int = 30


def job_seconds(spec: dict) -> float:
    """The whole job's time limit: its ``solver.time_limit_seconds``, else a scenario's default (a plan's or a
    sweep's is ``PLAN_SECONDS``)."""
    from scenarios.schema import SolverSpec

    default = PLAN_SECONDS if spec.get("job") in ("plan", "sweep") else SolverSpec.model_fields[
        "time_limit_seconds"].default
    return float((spec.get("solver") or {}).get("time_limit_seconds", default))


@functools.cache
def job_context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["api.platform.jobs.lifeline", "scenarios.run", "scenarios.schema",
                                    "matcher.allocation.mip"])
    return context


def _address_space_bytes() -> int:
    """This process's address space now (VmSize), the quantity RLIMIT_AS caps."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def run_job(spec: dict, data_dir: str | None, answers: multiprocessing.Queue, limits: JobLimits,
            vacancy_reports: list[tuple] | None = None) -> None:
    """In the child process: run the scenario (with the store's vacancy reports, as the worker read them when it
    took the job) and send back its progress, then its KPIs, allocation and unplaced children (``ok``), or the
    error (``error``), or ``cancelled``, or ``no_solution`` (with why) where its time limit ran out before any
    solving."""
    import resource

    from api.platform.jobs.lifeline import FORK_SERVER, die_with_parent
    from matcher.solve_control import SolveControl

    control = SolveControl.within(job_seconds(spec))  # the whole job's, from now: each step takes what remains
    die_with_parent(FORK_SERVER)  # with the fork server, which dies with the worker
    answers.put(("progress", "loading the register and building the cohort"))  # starts the queue's thread first
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_cap_bytes, limits.memory_cap_bytes))
    try:
        if _address_space_bytes() >= limits.memory_cap_bytes:  # the engine alone already needs more than the cap
            raise MemoryError
        from matcher.precision import round_record, round_records
        from scenarios.run import run_scenario
        from scenarios.schema import parse_scenario

        planning = spec.get("job") in ("plan", "sweep")  # stops at its own checks, keeping its best plan

        def interrupt(_signal: int, _frame: object) -> None:
            if not control.cancel() and not planning:
                raise KeyboardInterrupt

        signal.signal(signal.SIGINT, interrupt)
        document = dict(spec)
        if data_dir is not None and document.get("data") != "demo":
            document["data"] = data_dir
        last = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            if time.monotonic() - last[0] > 0.5 or done == total:
                last[0] = time.monotonic()
                answers.put(("progress", f"{stage}: {done:,} of {total:,} children"))

        cache = Path(limits.cache_dir) if limits.cache_dir else None
        if planning:  # a capacity plan, and a sweep of its variants
            from api.platform.jobs.plan_job import run_plan_job

            answers.put(("ok", run_plan_job(spec, data_dir, lambda text: answers.put(("progress", text)), control)))
            return
        if spec.get("job") == "decomposition":  # a comparison decomposed: several scenarios, one after another
            from api.platform.jobs.decomposition_job import run_decomposition

            def say(text: str) -> None:
                answers.put(("progress", text))

            answers.put(("ok", round_record(run_decomposition(spec, data_dir, say, control, limits.max_children,
                                                              cache))))
            return
        reports = None
        if vacancy_reports:
            import pandas as pd

            from scenarios.vacancy_evidence import REPORT_COLUMNS

            reports = pd.DataFrame(vacancy_reports, columns=REPORT_COLUMNS)
        run = run_scenario(parse_scenario(document, Path("scenario.json")), progress, limits.max_children,
                           control=control, cache_dir=cache, vacancy_reports=reports,
                           vacancy_max_age_days=limits.vacancy_max_age_days)
        answers.put(("progress", "solved; sending the results"))
        unplaced = run.allocation.unplaced.head(UNPLACED_KEPT).to_dict("records")
        allocation = run.allocation.assignments()[list(ALLOCATION_COLUMNS)].astype({"provider_id": "float"})
        if "age" in run.cohort:  # each child's age, for figures by age band (never a birth date)
            ages = run.cohort["age"]
            allocation["age"] = allocation["child_id"].map(ages[~ages.index.duplicated()])
        allocation["provider_id"] = allocation["provider_id"].fillna(-1)  # -1: not placed
        answers.put(("ok", {"kpis": round_record(run.kpis, "kpis"), "unplaced": round_record(unplaced, "unplaced"),
                            "allocation": round_records(allocation.head(ALLOCATION_ROWS_KEPT)),
                            "cost_basis": round_record(run.cost_basis, "cost_basis")}))
    except KeyboardInterrupt:
        answers.put(("cancelled", None))
    except TimeLimitReached as error:  # the whole job's limit ran out before any solving: no answer to give
        answers.put(("no_solution", str(error)))
    except (MemoryError, SystemError):  # under RLIMIT_AS, C extensions that cannot allocate raise SystemError
        answers.put(("error", f"over its memory cap of {limits.memory_cap_bytes / 2**30:g} GiB; run fewer councils "
                              "or children"))
    except PlacewiseError as error:
        answers.put(("error", str(error)))
    except Exception as error:  # noqa: BLE001 - any failure ends the job as failed, with its kind only
        answers.put(("error", f"internal error ({type(error).__name__})"))
