"""Benchmark: the HTTP API's shortlist endpoint (POST /v1/shortlists) on the real register, over loopback.

Run, from the project's root:
    .venv/bin/python bench/api.py [--data ../shared/data] [--requests 2000] [--concurrency 1,8,32] [--k 10]
        [--seed 7] [--workers 1]

It starts the API in its own process (uvicorn, ``--workers`` processes, on 127.0.0.1 and a free port) on a
temporary SQLite store and the national DfE register, waits for ``GET /v1/ready``, then for each concurrency
level sends 50 warm-up requests and ``--requests`` timed ones from that many concurrent clients (asyncio and
httpx, one keep-alive connection each). It prints requests per second and latency (p50, p90, p99, max) per level.
Every answer other than 200, and every failed request, is counted; any at all makes the run fail.

Children live at the centroid of a random English MSOA, the finest area the data ties to a council (the LSOA
centroids have no council lookup), so ``home_council`` is the upper-tier council they live in; needs and ages
are drawn from the national SEN2 proportions, as in bench/shortlist.py. Each child is asked for with its own
council's caseworker API key (one key per council drawn), as a council's case management system would. The rate
limit (600 requests a minute per credential by default) is raised to 1,000,000 through
PLACEWISE_REQUESTS_PER_MINUTE so that it never answers 429; it still runs on every request, as does the audit
log's write (one SQLite transaction a request, WAL with synchronous=FULL).

Clients and server share the machine: on 2 cores, the clients' own CPU competes with the server's.
"""

import argparse
import asyncio
import json
import os
import socket
import subprocess
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
from api.store import create_key, make_engine  # noqa: E402
from geodata.areas import load_council_msoas  # noqa: E402
from geodata.demo import NATIONAL_AGE_COUNTS, NATIONAL_NEED_COUNTS, draw_from_counts  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
WARM_UP = 50
REQUESTS_PER_MINUTE = 1_000_000
READY_TIMEOUT_S = 600


def server_app():  # type: ignore[no-untyped-def]
    """The app in each server process: ``uvicorn --factory bench.api:server_app``, configured by environment."""
    return create_app(os.environ["PLACEWISE_DATABASE_URL"], Path(os.environ["PLACEWISE_BENCH_DATA"]))


def start_server(data: Path, database_url: str, workers: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PLACEWISE_DATABASE_URL": database_url, "PLACEWISE_BENCH_DATA": str(data.resolve()),
           "PLACEWISE_REQUESTS_PER_MINUTE": str(REQUESTS_PER_MINUTE)}
    command = [sys.executable, "-m", "uvicorn", "bench.api:server_app", "--factory", "--app-dir", str(ROOT),
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
               "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(command, env=env, cwd=ROOT), f"http://127.0.0.1:{port}"


def wait_until_ready(server: subprocess.Popen, base: str) -> int:
    """Poll ``/v1/ready`` until it answers 200; return the register's number of providers."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode} before it was ready")
        try:
            answer = httpx.get(f"{base}/v1/ready", timeout=5)
            if answer.status_code == 200:
                return int(answer.json()["providers"])
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server was not ready within {READY_TIMEOUT_S} s")


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
    arguments = parser.parse_args()
    levels = [int(level) for level in arguments.concurrency.split(",")]
    console = Console(width=120)

    children = draw_children(arguments.data, WARM_UP + arguments.requests, arguments.seed)
    with tempfile.TemporaryDirectory(prefix="placewise-bench-") as folder:
        database_url = f"sqlite:///{folder}/bench.db"
        engine = make_engine(database_url)
        keys = {council: create_key(engine, f"bench {council}", "caseworker", [council])
                for council in sorted({child["home_council"] for child in children})}
        engine.dispose()
        requests = [({"Authorization": f"Bearer {keys[child['home_council']]}", "Content-Type": "application/json"},
                     json.dumps({"child": child, "k": arguments.k}).encode())
                    for child in children]

        started = time.perf_counter()
        server, base = start_server(arguments.data, database_url, arguments.workers)
        try:
            providers = wait_until_ready(server, base)
            ready_s = time.perf_counter() - started
            if arguments.workers > 1:  # one worker answered; give the others as long again to load the register
                time.sleep(ready_s)
            console.print(f"register: {providers:,} providers; server ready in {ready_s:.1f} s "
                          f"({arguments.workers} uvicorn worker(s), {os.cpu_count()} cores)")
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
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    if all_errors:
        for message, count in all_errors.most_common(10):
            console.print(f"[red]{count:,} x {escape(message)}[/red]")
        raise SystemExit(f"{sum(all_errors.values()):,} requests failed (warm-up included)")


if __name__ == "__main__":
    main()
