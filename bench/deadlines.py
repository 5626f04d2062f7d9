"""Benchmark: solver deadlines kept, by a direct solve and by a whole scenario job. London's whole cohort under the
lexicographic policy (so the MIP is the method), given a few seconds, directly and as a job.

Run, from the project's root:
    .venv/bin/python bench/deadlines.py [--limit 3] [--budget-share 0] [--paths direct,job]

London's 33 councils, every child of school age in a specialist placement (SEN2), the lexicographic policy (travel
first). ``direct``: ``allocate`` on the built candidate table, timed against its limit (target: the limit + 1 s), then
the work after the solve that a run does (the independent checker and the KPIs), timed with its CPU in the calling
thread (a solve still winding down on its own thread competes with it).
``job``: the same scenario queued as a service job (``solver.time_limit_seconds``, which covers the whole job: loading,
candidates, solve and report) on a SQLite store in a temporary folder, run in this process by a worker
(``run_worker(once=True)``) after a demo job has started the fork server, as a running service has; timed from the
worker taking the job to its status written (target: the limit + 2 s). Each prints the wall time against the
limit, the status and the gap.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)
DATA = ROOT.parent / "shared" / "data"
LONDON = "E12000007"
DEMO = {"name": "Warm-up", "data": "demo", "councils": ["E06900001"], "cohort": {"synthetic": True}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=3.0)
    parser.add_argument("--budget-share", type=float, default=0.0, help="a total budget as a share of the cost of "
                        "placing everyone at the band (0: none)")
    parser.add_argument("--paths", default="direct,job", help="which to measure: direct, job or both (default)")
    arguments = parser.parse_args()
    paths = {path.strip() for path in arguments.paths.split(",")}

    from geodata.councils import load_council_regions

    regions = load_council_regions(DATA)
    document = {"name": "London", "data": str(DATA), "councils": sorted(regions.index[regions == LONDON]),
                "cohort": {"synthetic": True, "seed": 1},
                "policy": {"objective": "lexicographic", "priority": ["travel"]},
                "solver": {"method": "mip", "time_limit_seconds": arguments.limit}}
    if arguments.budget_share:
        document["policy"]["budget_gbp"] = budget_gbp(document, arguments.budget_share)
    if "direct" in paths:
        direct(document, arguments.limit)
    if "job" in paths:
        as_job(document, arguments.limit)


def budget_gbp(document: dict, share: float) -> float:
    """``share`` of the cost of placing every child of the cohort at the national band."""
    from scenarios.inputs import load_inputs
    from scenarios.run import _cohort
    from scenarios.schema import parse_scenario

    inputs = load_inputs(DATA)
    children = len(_cohort(parse_scenario(document, Path("london")), inputs, None, []))
    return share * children * inputs.costs.band_for("national")


def direct(document: dict, limit: float) -> None:
    """``allocate`` alone on London's candidate table, against its limit."""
    from matcher.allocation.allocate import SolveSettings, allocate
    from matcher.allocation.capacity import capacities_from_providers
    from matcher.allocation.check import check_allocation
    from matcher.allocation.cohort_candidates import build_candidate_table
    from matcher.candidates import longest_cap_minutes
    from matcher.provider_index import build_provider_index
    from scenarios.cohort import children_from_frame
    from scenarios.inputs import load_inputs
    from scenarios.kpis import compute_kpis
    from scenarios.provider_pool import add_beyond, scenario_providers
    from scenarios.run import _cohort
    from scenarios.schema import parse_scenario

    scenario = parse_scenario(document, Path("london"))
    inputs = load_inputs(DATA)
    cohort = _cohort(scenario, inputs, None, [])
    children = children_from_frame(cohort)
    providers = add_beyond(scenario_providers(scenario, inputs), scenario, inputs, cohort,
                           inputs.travel.reach_km(longest_cap_minutes(children, scenario.policy)))
    table = build_candidate_table(children, build_provider_index(providers), scenario.policy, inputs.travel,
                                  inputs.costs)
    started = time.perf_counter()
    allocation = allocate(table, capacities_from_providers(providers), scenario.policy, SolveSettings("mip", limit))
    seconds = time.perf_counter() - started
    placed = int((allocation.chosen_arc >= 0).sum())
    reported, reporting_cpu = time.perf_counter(), time.thread_time()
    problems = check_allocation(allocation.assignments(), allocation.table.arcs_frame(), providers, scenario.policy)
    compute_kpis(allocation, cohort, providers)
    reporting = time.perf_counter() - reported
    print(f"London: {len(children):,} children, {len(providers):,} providers, {len(table.child):,} arcs")
    print(f"direct: MIP with a {limit:g} s limit returned in {seconds:.2f} s (target {limit + 1:g} s: "
          f"{'met' if seconds <= limit + 1 else 'missed'}); status {allocation.status}, gap {allocation.gap:.4g}, "
          f"{placed:,} placed, stopped by {allocation.parameters.get('stopped_by', 'nothing')}")
    print(f"after the solve: the checker ({len(problems)} problems) and the KPIs took {reporting:.2f} s "
          f"({time.thread_time() - reporting_cpu:.2f} s of CPU in this thread), load {_load()}")


def _load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "unknown"


def as_job(document: dict, limit: float) -> None:
    """The scenario as a service job, run by a worker in this process, against its limit."""
    from api.platform.jobs import queue as jobs
    from api.platform.jobs.worker import run_worker
    from api.platform.store.engine import make_engine, sessions
    from api.platform.store.models import Job
    from api.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'deadlines.db'}"
        settings = Settings(database_url=url, data=DATA)
        engine = make_engine(url)
        jobs.submit(engine, DEMO, "bench", DEMO["councils"])
        run_worker(engine, settings, once=True)  # starts the fork server, as a running service already has
        job_id = jobs.submit(engine, {**document, "data": "server"}, "bench", document["councils"])
        started = time.perf_counter()
        run_worker(engine, settings, once=True)
        seconds = time.perf_counter() - started
        with sessions(engine)() as session:
            job = session.get(Job, job_id)
            assert job is not None
            status, error, result = job.status, job.error, job.result or {}
    solver = result.get("kpis", {}).get("solver", {})
    placed = result.get("kpis", {}).get("placed")
    print(f"job: {limit:g} s for the whole job ended in {seconds:.2f} s, status written (target {limit + 2:g} s: "
          f"{'met' if seconds <= limit + 2 else 'missed'}); job {status}, solver {solver.get('status', 'none')}, "
          f"gap {solver.get('gap')}, placed {placed}, stopped by {solver.get('stopped_by', 'nothing')}")
    if error:
        print(f"job's error: {error}")


if __name__ == "__main__":
    main()
