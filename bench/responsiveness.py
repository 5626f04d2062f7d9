"""Benchmark: how fast ``GET /v1/health`` answers while the server parses a large body.

Run, from the project's root:
    .venv/bin/python bench/responsiveness.py [--megabytes 1] [--workers 1] [--repeat 3]

It serves the app (``api.server``, the embedded demo, a temporary SQLite store) over loopback, then,
``--repeat`` times each, sends one heavy request while a second client asks for ``/v1/health`` every 10 ms, and
prints the health answers' latency (p50, p99, max) during the heavy request, with that request's own time and
status. The heavy requests: a legal CSV import of about ``--megabytes`` MB (the demo's councils; the server's
1 MB body limit is the ceiling), and a 20 KB deeply nested YAML scenario (refused with 422).
"""

import argparse
import multiprocessing
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

from api.platform.security.keys import create_key  # noqa: E402
from api.platform.store.engine import make_engine  # noqa: E402
from api.server import listening_socket, serve_one  # noqa: E402
from api.settings import Settings  # noqa: E402

COUNCILS = ("E06900001", "E06900002", "E06900003")


def import_body(megabytes: float) -> bytes:
    rows = ["child_id,home_council,easting,northing,age,primary_need,secondary_needs"]
    size, number = len(rows[0]), 0
    while size < megabytes * 1_000_000 - 200:
        row = f"B-{number},{COUNCILS[number % 3]},{420000 + number % 900},{570000 + number % 700},9,ASD,SLCN"
        rows.append(row)
        size += len(row) + 1
        number += 1
    return ("\n".join(rows) + "\n").encode()


def heavy_with_health(base: str, method: str, path: str, body: bytes, headers: dict) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    done = threading.Event()
    outcome: dict = {}

    def heavy() -> None:
        tick = time.perf_counter()
        answer = httpx.request(method, base + path, content=body, headers=headers, timeout=120)
        outcome.update(seconds=time.perf_counter() - tick, status=answer.status_code)
        done.set()

    with httpx.Client(base_url=base, timeout=30) as client:
        client.get("/v1/health")
        worker = threading.Thread(target=heavy)
        worker.start()
        while not done.is_set():
            tick = time.perf_counter()
            client.get("/v1/health")
            latencies.append(time.perf_counter() - tick)
            time.sleep(0.01)
        worker.join()
    return latencies, outcome["seconds"], outcome["status"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=0.95)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    console = Console(width=120)
    with tempfile.TemporaryDirectory(prefix="placewise-bench-") as folder:
        settings = Settings(database_url=f"sqlite:///{folder}/bench.db", requests_per_minute=1_000_000)
        engine = make_engine(settings.database_url)
        key = create_key(engine, "bench admin", "admin", [])
        engine.dispose()
        listener = listening_socket("127.0.0.1", 0)
        base = f"http://127.0.0.1:{listener.getsockname()[1]}"
        processes = [multiprocessing.Process(target=serve_one, args=(listener, settings), daemon=True)
                     for _ in range(arguments.workers)]
        for process in processes:
            process.start()
        for _ in range(600):
            try:
                if httpx.get(f"{base}/v1/ready", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        auth = {"Authorization": f"Bearer {key}"}
        body = import_body(arguments.megabytes)
        nested = ("a: " + "[" * 900 + "]" * 900 + "\n").encode() + b"#" * 18_000
        table = Table(title=f"GET /v1/health during a heavy request ({arguments.workers} server process(es))")
        for column in ("heavy request", "bytes", "status", "heavy s", "health answers", "p50 ms", "p99 ms",
                       "max ms"):
            table.add_column(column, justify="right")
        try:
            for number in range(arguments.repeat):
                cases = [("CSV import", "/v1/children/import", body, {**auth, "content-type": "text/csv"}),
                         ("nested YAML", "/v1/scenarios", nested, {**auth, "content-type": "application/yaml"})]
                for label, path, content, headers in cases:
                    if label == "CSV import":  # a fresh id prefix each time, so every import stores its rows
                        content = content.replace(b"B-", f"R{number}-".encode())
                    latencies, seconds, status = heavy_with_health(base, "POST", path, content, headers)
                    milliseconds = np.array(latencies) * 1000
                    p50, p99 = np.percentile(milliseconds, [50, 99])
                    table.add_row(label, f"{len(content):,}", str(status), f"{seconds:.2f}", str(len(latencies)),
                                  f"{p50:.1f}", f"{p99:.1f}", f"{milliseconds.max():.1f}")
        finally:
            for process in processes:
                process.terminate()
        console.print(table)


if __name__ == "__main__":
    main()
