"""Benchmark: how fast the planner's pages answer on the open data, now that plans and sweeps are jobs.

Run, from the project's root (with the open data beside it, or PLACEWISE_DATA):
    .venv/bin/python bench/planner_pages.py [--data ../shared/data] [--repeat 5]

It builds the app on the data (a temporary SQLite store), signs a planner of the North East's 12 councils in, and
times each page ``--repeat`` times (after one warm-up): the forecast page (its first visit, which draws the
forecast and its charts, timed alone), the plan form, a plan submitted as a job
(the answer is the redirect to the job's page, the work is the job's), the job's page while it is queued, and, once
one worker has run the job in this process, its results page, its map and its Excel download. It prints the median
and the slowest answer of each, and the job's own time (which no page waits for).
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

from fastapi.testclient import TestClient  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from api.app import create_app  # noqa: E402
from api.platform.jobs.worker import run_worker  # noqa: E402
from api.platform.security.people import add_user  # noqa: E402
from api.settings import Settings  # noqa: E402

NORTH_EAST = ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005", "E06000047", "E06000057",
              "E08000021", "E08000022", "E08000023", "E08000024", "E08000037"]
PASSWORD = "a planner's long password"


def timed(client: TestClient, method: str, url: str, repeat: int, **kwargs) -> tuple[list[float], object]:  # type: ignore[no-untyped-def]
    answer = getattr(client, method)(url, **kwargs)  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = getattr(client, method)(url, **kwargs)
        times.append(time.perf_counter() - started)
    return times, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'store.db'}", data=options.data,
                              cache=folder / "cache"))
    add_user(app.state.engine, "planner-ne", PASSWORD, "planner", NORTH_EAST)
    client = TestClient(app, base_url="https://testserver")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    answer = client.post("/sign-in", data={"username": "planner-ne", "password": PASSWORD, "csrf_token": token})
    token = re.search(r'name="csrf_token" value="([^"]+)"', answer.text).group(1)
    started = time.perf_counter()
    first = client.get("/planning")
    rows = [("forecast page, first visit", [time.perf_counter() - started], first),
            ("forecast page, again", *timed(client, "get", "/planning", options.repeat)),
            ("plan form", *timed(client, "get", "/planning/jobs/new", options.repeat))]
    started = time.perf_counter()
    submitted = client.post("/planning/jobs", data={"library": "north-east-plan", "sweep_draws": "1",
                                                    "csrf_token": token}, follow_redirects=False)
    rows.append(("plan submitted as a job", [time.perf_counter() - started], submitted))
    job = submitted.headers["location"]
    rows.append(("job page, queued", *timed(client, "get", job, options.repeat)))
    started = time.perf_counter()
    run_worker(app.state.engine, app.state.settings, once=True)
    job_seconds = time.perf_counter() - started
    job_id = job.rsplit("/", 1)[1]
    rows += [("results page", *timed(client, "get", job, options.repeat)),
             ("map", *timed(client, "get", f"/planning/jobs/{job_id}/map", options.repeat)),
             ("Excel download", *timed(client, "get", f"/planning/jobs/{job_id}/plan.xlsx", options.repeat))]
    table = Table(title=f"Planner's pages on {options.data} (North East, 12 councils)")
    for column in ("page", "status", "median s", "slowest s"):
        table.add_column(column)
    for name, times, last in rows:
        table.add_row(name, str(getattr(last, "status_code", "")), f"{statistics.median(times):.3f}",
                      f"{max(times):.3f}")
    console = Console()
    console.print(table)
    console.print(f"The plan and its sweep (1 draw, 8 variants) as a job: {job_seconds:.1f} s, which no page waits "
                  "for.")


if __name__ == "__main__":
    main()
