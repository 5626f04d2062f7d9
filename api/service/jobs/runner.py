"""What runs inside a scenario job's own process: the scenario under a memory cap, answering on a queue.

The process starts from a fork server that has imported the engine once (a clean process, without the worker's
threads or connections), so each job starts in milliseconds instead of importing everything again. It dies with
the fork server, which dies with its worker, however the worker ends (``lifeline``). SIGINT cancels the solve's
control: a HiGHS model in progress stops with its best solution; anything else stops at once.
"""

import functools
import multiprocessing
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from core.errors import PlacewiseError


@dataclass(frozen=True)
class JobLimits:
    """What the worker's settings allow one job: memory, children, and where caches go."""

    memory_cap_bytes: int
    max_children: int
    cache_dir: str | None = None
    vacancy_max_age_days: int = 30


@functools.cache
def job_context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["api.service.jobs.lifeline", "scenarios.run", "scenarios.schema",
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
    error (``error``), or ``cancelled``."""
    import resource

    from api.service.jobs.lifeline import FORK_SERVER, die_with_parent

    die_with_parent(FORK_SERVER)  # with the fork server, which dies with the worker
    answers.put(("progress", "loading the register and building the cohort"))  # starts the queue's thread first
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_cap_bytes, limits.memory_cap_bytes))
    try:
        if _address_space_bytes() >= limits.memory_cap_bytes:  # the engine alone already needs more than the cap
            raise MemoryError
        from matcher.precision import round_record
        from matcher.solve_control import SolveControl
        from scenarios.run import run_scenario
        from scenarios.schema import parse_scenario

        control = SolveControl()

        def interrupt(_signal: int, _frame: object) -> None:
            if not control.cancel():
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
        reports = None
        if vacancy_reports:
            import pandas as pd

            from scenarios.vacancy_evidence import REPORT_COLUMNS

            reports = pd.DataFrame(vacancy_reports, columns=REPORT_COLUMNS)
        run = run_scenario(parse_scenario(document, Path("scenario.json")), progress, limits.max_children,
                           control=control, cache_dir=cache, vacancy_reports=reports,
                           vacancy_max_age_days=limits.vacancy_max_age_days)
        answers.put(("progress", "solved; sending the results"))
        unplaced = run.allocation.unplaced.to_dict("records")
        allocation = run.allocation.assignments()[["child_id", "home_council", "provider_id", "travel_minutes"]]
        answers.put(("ok", round_record({"kpis": run.kpis, "unplaced": unplaced[:5_000],
                                         "allocation": allocation.astype({"provider_id": "float"}).fillna(-1)
                                         .to_dict("records")[:50_000]})))
    except KeyboardInterrupt:
        answers.put(("cancelled", None))
    except (MemoryError, SystemError):  # under RLIMIT_AS, C extensions that cannot allocate raise SystemError
        answers.put(("error", f"over its memory cap of {limits.memory_cap_bytes / 2**30:g} GiB; run fewer councils "
                              "or children"))
    except PlacewiseError as error:
        answers.put(("error", str(error)))
    except Exception as error:  # noqa: BLE001 - any failure ends the job as failed, with its kind only
        answers.put(("error", f"internal error ({type(error).__name__})"))
