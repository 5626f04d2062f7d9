"""Benchmark: the HTTP API's shortlist endpoint (POST /v1/shortlists) on the real register, over loopback, on
SQLite and PostgreSQL, beside the bare route's ceiling.

Run, from the project's root:
    .venv/bin/python bench/api.py [--data ../shared/data] [--requests 2000] [--concurrency 1,8,32] [--k 10]
        [--seed 7] [--workers 2] [--postgres-url postgresql+psycopg://.../EMPTY_DATABASE]

Three servers are measured one after another, each in ``--workers`` processes of its own (uvicorn, each with its
own socket on one free port) on the national DfE register:

- the bare route: the same shortlist (located, one at a time in a process, answered in the same JSON) from an app
  with nothing else: no middleware, no credential, no rate limit, no store and no audit; the ceiling of the others;
- the API on a temporary SQLite store;
- the API on PostgreSQL, where ``--postgres-url`` names an empty database.

Once a server is ready, for each concurrency level 50 warm-up requests and ``--requests`` timed ones are sent from
that many concurrent clients (asyncio and httpx, one keep-alive connection each). It prints requests per second,
latency (p50, p90, p99, max) and the server processes' CPU time a request (not PostgreSQL's; steadier than the rest
on a busy machine) per level, and each store's requests per second and p99 against the bare route's at the same
level, with the targets (``MIN_THROUGHPUT`` times its requests per second at least, ``MAX_P99`` times its p99 at most).
Every answer other than 200, and every failed request, is counted; any at all makes the run fail.

Children live at the centroid of a random English MSOA, the finest area the data ties to a council (the LSOA
centroids have no council lookup), so ``home_council`` is the upper-tier council they live in; needs and ages
are drawn from the national SEN2 proportions, as in bench/shortlist.py. Each child is asked for with its own
council's caseworker API key (one key per council drawn), as a council's case management system would. The rate
limit (600 requests a minute per credential by default) is raised to 1,000,000 (``create_app``'s
``requests_per_minute``) so that it never answers 429; it still runs on every request, as does the audit
log's write (each row committed before its answer; SQLite in WAL with synchronous=FULL).

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
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
from fastapi import FastAPI
from rich.console import Console
from rich.markup import escape
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":  # run as a file, this would hide api/
    sys.path[0] = str(ROOT)

from api.app import create_app  # noqa: E402
from api.platform.json_safe import json_safe  # noqa: E402
from api.platform.security.keys import create_key  # noqa: E402
from api.platform.store.engine import make_engine  # noqa: E402
from api.records.register import RegisterView  # noqa: E402
from api.records.shortlisting import ONE_AT_A_TIME  # noqa: E402
from api.server import listening_socket, run_app  # noqa: E402
from api.service.schemas.shortlists import ShortlistAnswer, ShortlistRequest  # noqa: E402
from api.settings import Settings  # noqa: E402
from geodata.areas import load_council_msoas  # noqa: E402
from geodata.demo import NATIONAL_AGE_COUNTS, NATIONAL_NEED_COUNTS, draw_from_counts  # noqa: E402
from scenarios.inputs import locate_child  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
WARM_UP = 50
REQUESTS_PER_MINUTE = 1_000_000
READY_TIMEOUT_S = 600
MIN_THROUGHPUT, MAX_P99 = 0.7, 1.5  # the targets against the bare route: requests/s at least, p99 at most
BARE = "bare route"


def bare_app(view: RegisterView, settings: Settings) -> FastAPI:
    """The shortlist route with nothing around it (no middleware, credential, rate limit, store or audit), on a
    register laid out once: the ceiling the API's own work is measured against."""
    app = FastAPI()
    app.state.settings = settings  # for ``run_app``'s proxy options

    @app.post("/v1/shortlists", response_model=ShortlistAnswer)
    def shortlist(body: ShortlistRequest) -> dict:
        assert body.child is not None
        located = locate_child(body.child, view.inputs)
        with ONE_AT_A_TIME:
            answer = view.shortlister.shortlist(located, body.k)
        finite = json_safe(answer.to_dict())
        assert isinstance(finite, dict)
        return finite

    return app


def serve(port: int, data: Path, database_url: str, bare: bool, loaded: multiprocessing.Queue) -> None:
    """One server process, as ``placewise serve --workers`` runs them: the app (or the bare route) on the real
    register, then uvicorn on its own socket on the shared port (``api.server``)."""
    app = create_app(Settings(database_url=database_url, data=data, requests_per_minute=REQUESTS_PER_MINUTE))
    loaded.put(len(app.state.register.base.providers))
    if bare:
        app = bare_app(app.state.register.current(), app.state.settings)
    run_app(app, listening_socket("127.0.0.1", port, reuse_port=True))


def start_server(data: Path, database_url: str, bare: bool, workers: int,
                 ) -> tuple[list[multiprocessing.Process], str, int]:
    """Start the server processes, each with its own socket on one port, as ``placewise serve`` does; return them,
    the base URL and the register's size once all have loaded it."""
    port = listening_socket("127.0.0.1", 0, reuse_port=True, listen=False).getsockname()[1]
    loaded: multiprocessing.Queue = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=serve, args=(port, data, database_url, bare, loaded), daemon=True)
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
    ready = "/openapi.json" if bare else "/v1/ready"
    for _ in range(100):
        if any(not process.is_alive() for process in processes):
            raise SystemExit("a server process exited before it was ready")
        try:
            if httpx.get(f"{base}{ready}", timeout=5).status_code == 200:
                return processes, base, sizes[0]
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"GET {ready} did not answer 200")


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


async def run_level(base: str, requests: list[tuple[dict, bytes]], concurrency: int, server: list[int],
                    ) -> tuple[list[float], float, float, Counter]:
    """Send the warm-up, then the timed requests, from ``concurrency`` clients; latencies (s), wall time, the server
    processes' CPU time (s), errors."""
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
        started, cpu = time.perf_counter(), cpu_s(server)
        latencies = await send_all(requests[WARM_UP:])
        return latencies, time.perf_counter() - started, cpu_s(server) - cpu, errors


def cpu_s(pids: list[int]) -> float:
    """The CPU time (user and system) the processes have used so far, from Linux's /proc."""
    fields = [Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split() for pid in pids]
    return sum(int(field[11]) + int(field[12]) for field in fields) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Level:
    server: str
    clients: int
    latencies_ms: np.ndarray
    wall_s: float
    cpu_s: float  # the server processes'
    errors: int

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.wall_s

    @property
    def p99_ms(self) -> float:
        return float(np.percentile(self.latencies_ms, 99))


def measure(server: str, data: Path, database_url: str, bare: bool, workers: int, levels: list[int],
            requests: list[tuple[dict, bytes]], console: Console) -> tuple[list[Level], Counter]:
    """Start one server, send every level's requests, stop it."""
    started = time.perf_counter()
    processes, base, providers = start_server(data, database_url, bare, workers)
    measured: list[Level] = []
    all_errors: Counter = Counter()
    try:
        console.print(f"{server}: {providers:,} providers; ready in {time.perf_counter() - started:.1f} s")
        for level in levels:
            pids = [process.pid for process in processes if process.pid is not None]
            latencies, wall, cpu, errors = asyncio.run(run_level(base, requests, level, pids))
            all_errors += errors
            measured.append(Level(server, level, np.array(latencies) * 1000, wall, cpu, sum(errors.values())))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=30)
    return measured, all_errors


def print_table(measured: list[Level], console: Console) -> None:
    """A row per server and level; each store's figures against the bare route's at the same level."""
    bare = {level.clients: level for level in measured if level.server == BARE}
    table = Table(title="POST /v1/shortlists over loopback")
    for column in ("server", "clients", "requests", "errors", "wall s", "requests/s", "p50 ms", "p90 ms", "p99 ms",
                   "max ms", "server CPU ms/request", f"r/s vs bare (>= {MIN_THROUGHPUT})",
                   f"p99 vs bare (<= {MAX_P99})"):
        table.add_column(column, justify="right")
    for level in measured:
        p50, p90 = np.percentile(level.latencies_ms, [50, 90])
        ratios = ["", ""]
        if level.server != BARE and level.clients in bare:
            throughput = level.per_second / bare[level.clients].per_second
            p99 = level.p99_ms / bare[level.clients].p99_ms
            ratios = [f"{throughput:.2f} {'met' if throughput >= MIN_THROUGHPUT else 'NOT met'}",
                      f"{p99:.2f} {'met' if p99 <= MAX_P99 else 'NOT met'}"]
        table.add_row(level.server, str(level.clients), f"{len(level.latencies_ms):,}", str(level.errors),
                      f"{level.wall_s:.2f}", f"{level.per_second:,.1f}", f"{p50:.1f}", f"{p90:.1f}",
                      f"{level.p99_ms:.1f}", f"{level.latencies_ms.max():.1f}",
                      f"{level.cpu_s * 1000 / len(level.latencies_ms):.2f}", *ratios)
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--requests", type=int, default=2_000, help="timed requests per concurrency level")
    parser.add_argument("--concurrency", default="1,8,32", help="concurrent clients; a list gives a row each")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--postgres-url", help="an empty PostgreSQL database: the API is measured on it too")
    parser.add_argument("--servers", default=f"{BARE},sqlite,postgresql",
                        help="which to measure, in order (postgresql only with --postgres-url)")
    arguments = parser.parse_args()
    levels = [int(level) for level in arguments.concurrency.split(",")]
    console = Console(width=160)

    children = draw_children(arguments.data, WARM_UP + arguments.requests, arguments.seed)
    councils = {child["home_council"] for child in children}
    console.print(f"{arguments.requests:,} timed requests per level after {WARM_UP} to warm up; k={arguments.k}; "
                  f"{len(councils)} caseworker keys, one per council; {arguments.workers} uvicorn process(es), "
                  f"{os.cpu_count()} cores")
    measured: list[Level] = []
    all_errors: Counter = Counter()
    with tempfile.TemporaryDirectory(prefix="placewise-bench-") as folder:
        stores = {BARE: f"sqlite:///{folder}/bare.db", "sqlite": f"sqlite:///{folder}/bench.db",
                  "postgresql": arguments.postgres_url}
        for server in arguments.servers.split(","):
            url = stores[server]
            if url is None:
                console.print("postgresql: skipped (give --postgres-url, an empty database)")
                continue
            engine = make_engine(url)  # migrated to the latest; a caseworker key per council
            keys = {council: create_key(engine, f"bench {council}", "caseworker", [council]) for council in councils}
            engine.dispose()
            requests = [({"Authorization": f"Bearer {keys[child['home_council']]}", "Content-Type": "application/json"},
                         json.dumps({"child": child, "k": arguments.k, "purpose": "placement_search"}).encode())
                        for child in children]
            levels_measured, errors = measure(server if server == BARE else f"API, {server}", arguments.data, url,
                                              server == BARE, arguments.workers, levels, requests, console)
            measured, all_errors = measured + levels_measured, all_errors + errors
    print_table(measured, console)
    if all_errors:
        for message, count in all_errors.most_common(10):
            console.print(f"[red]{count:,} x {escape(message)}[/red]")
        raise SystemExit(f"{sum(all_errors.values()):,} requests failed (warm-up included)")


if __name__ == "__main__":
    main()
