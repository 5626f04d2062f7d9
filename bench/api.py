"""Benchmark: the HTTP API's shortlist endpoint (POST /v1/shortlists) on the real register, over loopback.

Run, from the project's root:
    .venv/bin/python bench/api.py [--data ../shared/data] [--requests 2000] [--concurrency 1,8,32] [--k 10]
        [--seed 7] [--workers 1] [--database-url postgresql+psycopg://.../EMPTY_DATABASE]

It starts the API in ``--workers`` processes of its own (uvicorn, each with its own socket on one free
port) on a temporary SQLite store (or the empty database given) and the national DfE register, waits until
each has loaded the register and
``GET /v1/ready`` answers, then for each concurrency level sends 50 warm-up requests and ``--requests`` timed ones
from that many concurrent clients (asyncio and httpx, one keep-alive connection each). It prints requests per
second and latency (p50, p90, p99, max) per level.
Every answer other than 200, and every failed request, is counted; any at all makes the run fail.

Children live at the centroid of a random English MSOA, the finest area the data ties to a council (the LSOA
centroids have no council lookup), so ``home_council`` is the upper-tier council they live in; needs and ages
are drawn from the national SEN2 proportions, as in bench/shortlist.py. Each child is asked for with its own
council's caseworker API key (one key per council drawn), as a council's case management system would. The rate
limit (600 requests a minute per credential by default) is raised to 1,000,000 (``create_app``'s
``requests_per_minute``) so that it never answers 429; it still runs on every request, as does the audit
log's write (one SQLite transaction a request, WAL with synchronous=FULL).

Clients and server share the machine: on 2 cores, the clients' own CPU competes with the server's.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import queue
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import numpy as np
from rich.console import Console
from rich.markup import escape
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":  # run as a file, this would hide api/
    sys.path[0] = str(ROOT)

from api.app import create_app  # noqa: E402
from api.platform.security.keys import create_key  # noqa: E402
from api.platform.store.engine import make_engine  # noqa: E402
from api.server import listening_socket, run_app  # noqa: E402
from api.settings import Settings  # noqa: E402
from geodata.areas import load_council_msoas  # noqa: E402
from geodata.demo import NATIONAL_AGE_COUNTS, NATIONAL_NEED_COUNTS, draw_from_counts  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
WARM_UP = 50
REQUESTS_PER_MINUTE = 1_000_000
READY_TIMEOUT_S = 600


def serve(port: int, data: Path, database_url: str, loaded: multiprocessing.Queue) -> None:
    """One server process, as ``placewise serve --workers`` runs them: the app on the real register, then uvicorn
    on its own socket on the shared port (``api.server``)."""
    app = create_app(Settings(database_url=database_url, data=data, requests_per_minute=REQUESTS_PER_MINUTE))
    loaded.put(len(app.state.register.base.providers))
    run_app(app, listening_socket("127.0.0.1", port, reuse_port=True))


def start_server(data: Path, database_url: str, workers: int) -> tuple[list[multiprocessing.Process], str, int]:
    """Start the server processes; return them, the base URL and the register's size once all have loaded it.

    Each has its own socket on one port (``SO_REUSEPORT``, so the kernel spreads connections across them), made
    with IPPROTO_TCP so that connections get TCP_NODELAY, as ``placewise serve`` does.
    """
    claim = listening_socket("127.0.0.1", 0, reuse_port=True, listen=False)
    port = claim.getsockname()[1]
    loaded: multiprocessing.Queue = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=serve, args=(port, data, database_url, loaded), daemon=True)
                 for _ in range(workers)]
    for process in processes:
        process.start()
    sizes = []
    while len(sizes) < workers:
        try:
            sizes.append(loaded.get(timeout=READY_TIMEOUT_S))
        except queue.Empty:
            raise SystemExit(f"the server did not load the register within {READY_TIMEOUT_S} s") from None
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        if any(not process.is_alive() for process in processes):
            raise SystemExit("a server process exited before it was ready")
        try:
            if httpx.get(f"{base}/v1/ready", timeout=5).status_code == 200:
                return processes, base, sizes[0]
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("GET /v1/ready did not answer 200")


def draw_children(data: Path, size: int, seed: int) -> list[dict]:
    """Random children at English MSOA centroids, of the council they live in, with national needs and ages."""
    rng = np.random.default_rng(seed)
    msoas = load_council_msoas(data)
    homes = msoas.iloc[rng.integers(0, len(msoas), size)]
    needs = draw_from_counts(rng, NATIONAL_NEED_COUNTS, size)
    ages = draw_from_counts(rng, NATIONAL_AGE_COUNTS, size)
    return [{"child_id": f"B{number}", "home_council": council, "easting": round(float(easting), 1),
             "northing": round(float(northing), 1), "age": int(age), "primary_need": str(need),
             "secondary_needs": []}
            for number, (council, easting, northing, age, need) in enumerate(zip(
                homes["council"], homes["easting"], homes["northing"], ages, needs, strict=True))]


async def run_level(base: str, requests: list[tuple[dict, bytes]], concurrency: int,
                    ) -> tuple[list[float], float, Counter]:
    """Send the warm-up, then the timed requests, from ``concurrency`` clients; latencies (s), wall time, errors."""
    errors: Counter = Counter()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def send_all(batch: list[tuple[dict, bytes]]) -> list[float]:
            latencies: list[float] = []
            pending = iter(batch)

            async def one_client() -> None:
                for headers, content in pending:  # the clients share one iterator: each request is sent once
                    tick = time.perf_counter()
                    try:
                        answer = await client.post("/v1/shortlists", content=content, headers=headers)
                        if answer.status_code != 200:
                            errors[f"HTTP {answer.status_code}: {answer.text[:120]}"] += 1
                    except httpx.HTTPError as error:
                        errors[f"{type(error).__name__}: {error}"] += 1
                    latencies.append(time.perf_counter() - tick)

            await asyncio.gather(*(one_client() for _ in range(concurrency)))
            return latencies

        await send_all(requests[:WARM_UP])
        started = time.perf_counter()
        latencies = await send_all(requests[WARM_UP:])
        return latencies, time.perf_counter() - started, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--requests", type=int, default=2_000, help="timed requests per concurrency level")
    parser.add_argument("--concurrency", default="1,8,32", help="concurrent clients; a list gives a row each")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of a temporary SQLite store")
    arguments = parser.parse_args()
    levels = [int(level) for level in arguments.concurrency.split(",")]
    console = Console(width=120)

    children = draw_children(arguments.data, WARM_UP + arguments.requests, arguments.seed)
    with tempfile.TemporaryDirectory(prefix="placewise-bench-") as folder:
        database_url = arguments.database_url or f"sqlite:///{folder}/bench.db"
        engine = make_engine(database_url)
        keys = {council: create_key(engine, f"bench {council}", "caseworker", [council])
                for council in sorted({child["home_council"] for child in children})}
        engine.dispose()
        requests = [({"Authorization": f"Bearer {keys[child['home_council']]}", "Content-Type": "application/json"},
                     json.dumps({"child": child, "k": arguments.k, "purpose": "placement_search"}).encode())
                    for child in children]

        started = time.perf_counter()
        processes, base, providers = start_server(arguments.data, database_url, arguments.workers)
        try:
            ready_s = time.perf_counter() - started
            console.print(f"register: {providers:,} providers; server ready in {ready_s:.1f} s "
                          f"({arguments.workers} uvicorn process(es), {os.cpu_count()} cores)")
            console.print(f"{arguments.requests:,} timed requests per level after {WARM_UP} to warm up; "
                          f"k={arguments.k}; {len(keys)} caseworker keys, one per council")
            table = Table(title="POST /v1/shortlists over loopback")
            for column in ("clients", "requests", "errors", "wall s", "requests/s", "p50 ms", "p90 ms", "p99 ms",
                           "max ms"):
                table.add_column(column, justify="right")
            all_errors: Counter = Counter()
            for level in levels:
                latencies, wall, errors = asyncio.run(run_level(base, requests, level))
                all_errors += errors
                milliseconds = np.array(latencies) * 1000
                p50, p90, p99 = np.percentile(milliseconds, [50, 90, 99])
                table.add_row(str(level), f"{len(latencies):,}", str(sum(errors.values())), f"{wall:.2f}",
                              f"{len(latencies) / wall:,.1f}", f"{p50:.1f}", f"{p90:.1f}", f"{p99:.1f}",
                              f"{milliseconds.max():.1f}")
            console.print(table)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(timeout=30)
    if all_errors:
        for message, count in all_errors.most_common(10):
            console.print(f"[red]{count:,} x {escape(message)}[/red]")
        raise SystemExit(f"{sum(all_errors.values()):,} requests failed (warm-up included)")


if __name__ == "__main__":
    main()
