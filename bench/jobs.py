"""Benchmark: how long a cancel takes to land on a running scenario job, on SQLite and on PostgreSQL.

Run, from the project's root:
    .venv/bin/python bench/jobs.py [--repeat 5] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]

For each store it submits a demo job that solves with the MIP under a lexicographic policy and a long time limit,
runs a worker in a thread, waits until the job is running (the demo loads and solves within a second or two, so
the cancel lands while it loads, builds or solves), asks for the cancel, and times how long until the job's
status is terminal. It prints the seconds (each, and the worst), which should stay under 2 s. ``--postgres ''``
skips PostgreSQL; the PostgreSQL database named is emptied.
"""

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

from sqlalchemy import create_engine  # noqa: E402

from api.platform.jobs import queue as jobs  # noqa: E402
from api.platform.jobs.worker import run_worker  # noqa: E402
from api.platform.store.engine import alembic_config, make_engine, sessions  # noqa: E402
from api.platform.store.models import Job  # noqa: E402
from api.settings import Settings  # noqa: E402

COUNCILS = ["E06900001", "E06900002", "E06900003"]
SLOW = {"name": "Cancel me", "data": "demo", "councils": COUNCILS, "cohort": {"synthetic": True, "share": 1.0},
        "solver": {"method": "mip", "time_limit_seconds": 600},
        "policy": {"objective": "lexicographic", "priority": ["travel", "suitability", "availability"]}}


def job(engine, job_id: str) -> Job:
    with sessions(engine)() as session:
        found = session.get(Job, job_id)
    assert found is not None
    return found


def cancel_seconds(url: str) -> float:
    engine = make_engine(url)
    job_id = jobs.submit(engine, SLOW, "bench", COUNCILS)
    worker = threading.Thread(target=run_worker, args=(engine, Settings(database_url=url)), kwargs={"once": True},
                              daemon=True)
    worker.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        current = job(engine, job_id)
        if current.status == "running":
            break
        if current.status in jobs.TERMINAL:
            raise SystemExit(f"the job ended ({current.status}) before it could be cancelled")
        time.sleep(0.02)
    asked = time.perf_counter()
    jobs.cancel(engine, job_id)
    while job(engine, job_id).status not in jobs.TERMINAL:
        time.sleep(0.01)
    seconds = time.perf_counter() - asked
    worker.join(30)
    engine.dispose()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    arguments = parser.parse_args()
    table = Table(title="Cancel of a running job: seconds from the request to a terminal status")
    for column in ("store", "runs", "each s", "worst s"):
        table.add_column(column, justify="right")
    with tempfile.TemporaryDirectory(prefix="placewise-bench-") as folder:
        stores = {"SQLite": f"sqlite:///{folder}/jobs.db"}
        if arguments.postgres:
            from alembic import command

            command.downgrade(alembic_config(create_engine(arguments.postgres)), "base")
            stores["PostgreSQL"] = arguments.postgres
        for label, url in stores.items():
            times = [cancel_seconds(url) for _ in range(arguments.repeat)]
            table.add_row(label, str(len(times)), ", ".join(f"{t:.2f}" for t in times), f"{max(times):.2f}")
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
