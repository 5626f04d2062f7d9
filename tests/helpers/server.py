"""``placewise serve`` in its own process group on a free port, for the tests that need the real server (uvicorn,
its proxy headers, several processes sharing a port): started, waited for, and stopped."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

PLACEWISE = Path(sys.executable).parent / "placewise"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listeners(port: int) -> int:
    """Sockets listening on the port (state 0A of /proc/net/tcp)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for row in rows if row.split()[1].endswith(f":{port:04X}") and row.split()[3] == "0A")


@contextlib.contextmanager
def served(environment: dict[str, str], workers: int = 1, seconds: float = 180.0) -> Iterator[str]:
    """``placewise serve --workers N`` with the environment added; its base URL once every process listens and
    ``/v1/ready`` answers. Stopped (the whole process group) afterwards."""
    port = free_port()
    server = subprocess.Popen([str(PLACEWISE), "serve", "--port", str(port), "--workers", str(workers)],
                              env={**os.environ, **environment}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + seconds  # a bound on start-up, so a hang fails instead of stalling CI
        while listeners(port) < workers and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.2)
        assert listeners(port) == workers, "the server did not start"
        while time.monotonic() < deadline and httpx.get(f"{base}/v1/ready", timeout=30).status_code != 200:
            time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.communicate(timeout=60)
