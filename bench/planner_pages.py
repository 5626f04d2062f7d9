"""Benchmark: how fast the planner's pages answer on the open data, first visit and later visits, with the machine's
load beside the figures.

Run, from the project's root (with the open data beside it, or PLACEWISE_DATA):
    .venv/bin/python bench/planner_pages.py [--data ../shared/data] [--repeat 5]

It builds the app on the data (a temporary SQLite store and cache folder), signs a planner of the North East's 12
councils in, and times each page's first visit and then ``--repeat`` more: the forecast page and the 0-25 dashboard
straight after the app starts (while their figures are prepared in the background, when they say so), the plan form,
the forecast and the dashboard once their figures are ready, a plan submitted as a job, and that job's page once
one worker has run it in this process. It then starts the app again on the same cache folder, as a restart would,
and times how soon the forecast is ready from what was kept. The work itself (the background preparation, the job)
is timed apart, as no page waits for it. Without the data it says so and stops.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

from fastapi import FastAPI  # noqa: E402
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
PREPARING = ("being prepared", "being drawn")
TARGET_SECONDS = 1.0


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def visit(client: TestClient, url: str, repeat: int) -> tuple[float, list[float], str, str]:
    """The first visit's seconds, the next ``repeat`` visits', the status and what the first visit showed."""
    started = time.perf_counter()
    answer = client.get(url)
    first = time.perf_counter() - started
    shown = "being prepared" if any(words in answer.text for words in PREPARING) else "ready"
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return first, times, str(answer.status_code), shown


def wait_until_ready(client: TestClient, url: str, limit_seconds: float = 300) -> float:
    started = time.perf_counter()
    while any(words in client.get(url).text for words in PREPARING):
        if time.perf_counter() - started > limit_seconds:
            raise SystemExit(f"{url} was still being prepared after {limit_seconds:.0f} s")
        time.sleep(0.2)
    return time.perf_counter() - started


def signed_in(app: FastAPI) -> tuple[TestClient, str]:
    client = TestClient(app, base_url="https://testserver")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)  # type: ignore[union-attr]
    answer = client.post("/sign-in", data={"username": "planner-ne", "password": PASSWORD, "csrf_token": token})
    return client, re.search(r'name="csrf_token" value="([^"]+)"', answer.text).group(1)  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("PLACEWISE_DATA", ROOT.parent / "shared" / "data")))
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    console = Console(width=150)
    if not (options.data / "sen2").is_dir():
        console.print(f"SKIPPED: the open data is not at {options.data} (give --data, set PLACEWISE_DATA, or lay out "
                      "../shared/data beside the project)")
        return
    folder = Path(tempfile.mkdtemp())
    settings = Settings(database_url=f"sqlite:///{folder / 'store.db'}", data=options.data, cache=folder / "cache")
    console.print(f"Before: {load()} on {os.cpu_count()} cores")
    started = time.perf_counter()
    app = create_app(settings)
    console.print(f"The app started in {time.perf_counter() - started:.1f} s ({load()})")
    add_user(app.state.engine, "planner-ne", PASSWORD, "planner", NORTH_EAST)
    client, token = signed_in(app)
    dashboard, forecast = "/dashboard?council=E08000021", "/planning"
    rows = [("forecast, as the app starts", *visit(client, forecast, options.repeat)),
            ("dashboard, as the app starts", *visit(client, dashboard, options.repeat)),
            ("plan form", *visit(client, "/planning/jobs/new", options.repeat))]
    prepared = {url: wait_until_ready(client, url) for url in (forecast, dashboard)}
    rows += [("forecast, 5 years ahead, first asked (charts then drawn)", *visit(client, f"{forecast}?horizon=5", 0))]
    prepared["forecast, 5 years ahead"] = wait_until_ready(client, f"{forecast}?horizon=5")
    rows += [("forecast, ready", *visit(client, forecast, options.repeat)),
             ("forecast, ready, 5 years ahead", *visit(client, f"{forecast}?horizon=5", options.repeat)),
             ("dashboard, ready", *visit(client, dashboard, options.repeat)),
             ("dashboard, another council, first visit (chart drawn)",
              *visit(client, "/dashboard?council=E06000047", options.repeat))]
    submitted = client.post("/planning/jobs", data={"library": "north-east-plan", "sweep_draws": "1",
                                                    "csrf_token": token}, follow_redirects=False)
    started = time.perf_counter()
    run_worker(app.state.engine, app.state.settings, once=True)
    job_seconds = time.perf_counter() - started
    rows.append(("a finished plan job's page", *visit(client, submitted.headers["location"], options.repeat)))
    again = create_app(settings)  # a restart on the same store and cache folder
    restarted_client = signed_in(again)[0]
    restarted = wait_until_ready(restarted_client, forecast)
    rows.append(("forecast, after a restart", *visit(restarted_client, forecast, options.repeat)))
    table = Table(title=f"Planner's pages on {options.data} (North East, 12 councils); target {TARGET_SECONDS:.0f} s")
    for column in ("page", "status", "first visit s", "showed", f"next {options.repeat}: median s", "slowest s",
                   "under target"):
        table.add_column(column)
    for name, first, times, status, shown in rows:
        slowest = max([first, *times])
        table.add_row(name, status, f"{first:.3f}", shown, f"{statistics.median(times):.3f}" if times else "-",
                      f"{slowest:.3f}", "yes" if slowest < TARGET_SECONDS else "NO")
    console.print(table)
    console.print("Prepared in the background (no page waits): " + "; ".join(
        f"{url} {seconds:.1f} s" for url, seconds in prepared.items()))
    console.print(f"The plan and its sweep (1 draw) as a job: {job_seconds:.1f} s, which no page waits for.")
    console.print(f"After a restart, the forecast and its charts were read back from the cache folder in "
                  f"{restarted:.1f} s.")
    console.print(f"After: {load()}")


if __name__ == "__main__":
    main()
