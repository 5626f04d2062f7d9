"""Benchmark: the store work the API adds to each request, on SQLite and PostgreSQL, without HTTP or the register:
the gate's visit (``gate.RequestGate.visit``: the rate count, the API key's row and the reports' version) and the
audit writer's commit of a request's row (``audit_writer.AuditWriter``), alone and with eight requests' rows
appended at once (as eight clients' requests arrive together).

Run, from the project's root:
    .venv/bin/python bench/api_store.py [--rounds 300] [--repeats 5] [--postgres-url postgresql+psycopg://.../DB]

It prints, for each, the CPU time of this process a request (client side: not PostgreSQL's own) and the wall time,
each the least of ``--repeats`` timed runs of ``--rounds`` after a warm-up; CPU time is the steadier of the two on a
busy machine. ``--postgres-url`` names an empty database (keys and audit rows are added to it).
"""

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":  # run as a file, this would hide api/
    sys.path[0] = str(ROOT)

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from starlette.requests import Request  # noqa: E402

from api.platform.security.audit_writer import AuditWriter  # noqa: E402
from api.platform.security.auth import credential_fingerprint  # noqa: E402
from api.platform.security.gate import RequestGate  # noqa: E402
from api.platform.security.keys import create_key  # noqa: E402
from api.platform.security.limits import RequestCounter  # noqa: E402
from api.platform.store.engine import make_engine  # noqa: E402
from api.platform.store.models import now  # noqa: E402

WARM_UP = 50
TOGETHER = 8  # requests whose rows are appended at once
REQUESTS_PER_MINUTE = 1_000_000  # never over the limit


def timed(work: Callable[[], None], requests_each: int, rounds: int, repeats: int) -> tuple[float, float]:
    """The least CPU and wall time (ms) a request of ``repeats`` runs of ``rounds`` calls of ``work``."""
    for _ in range(WARM_UP):
        work()
    cpu = wall = float("inf")
    for _ in range(repeats):
        started_cpu, started = time.process_time(), time.perf_counter()
        for _ in range(rounds):
            work()
        count = rounds * requests_each
        cpu = min(cpu, (time.process_time() - started_cpu) * 1000 / count)
        wall = min(wall, (time.perf_counter() - started) * 1000 / count)
    return cpu, wall


def measure(url: str, rounds: int, repeats: int) -> list[tuple[str, float, float]]:
    engine = make_engine(url)
    key = create_key(engine, f"bench store {time.time_ns()}", "caseworker", ["E06000001"])
    gate = RequestGate(None, RequestCounter(engine, REQUESTS_PER_MINUTE))  # type: ignore[arg-type]
    headers = [(b"authorization", f"Bearer {key}".encode())]

    def visit() -> None:
        request = Request({"type": "http", "headers": headers, "state": {}})
        assert gate.visit(request, credential_fingerprint(request) or "") == 0

    writer = AuditWriter(engine)
    row = {"at": now(), "actor": "bench", "council": "E06000001", "action": "shortlist", "object_type": "child",
           "object_id": "B1", "detail": None, "purpose": "placement_search", "case_reference": None}

    def one_row() -> None:
        writer.append([dict(row)]).result()

    def rows_together() -> None:
        for future in [writer.append([dict(row)]) for _ in range(TOGETHER)]:
            future.result()

    try:
        return [("gate's visit", *timed(visit, 1, rounds, repeats)),
                ("audit row, alone", *timed(one_row, 1, rounds, repeats)),
                (f"audit row, {TOGETHER} at once", *timed(rows_together, TOGETHER, max(rounds // TOGETHER, 1),
                                                         repeats))]
    finally:
        writer.close()
        gate.counter.engine.dispose()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--postgres-url", help="an empty PostgreSQL database: measured on it too")
    arguments = parser.parse_args()
    console = Console(width=120)
    table = Table(title="The API's store work a request")
    for column in ("store", "work", "CPU ms/request", "wall ms/request"):
        table.add_column(column, justify="right")
    with tempfile.TemporaryDirectory(prefix="placewise-bench-") as folder:
        stores = {"sqlite": f"sqlite:///{folder}/bench.db", "postgresql": arguments.postgres_url}
        for store, url in stores.items():
            if url is None:
                console.print("postgresql: skipped (give --postgres-url, an empty database)")
                continue
            for work, cpu, wall in measure(url, arguments.rounds, arguments.repeats):
                table.add_row(store, work, f"{cpu:.3f}", f"{wall:.3f}")
    console.print(table)
    console.print(f"1-minute load {Path('/proc/loadavg').read_text().split()[0]}")


if __name__ == "__main__":
    main()
