"""``placewise serve --workers 2`` on a new store: the store is migrated once, and both processes listen on the port
(each its own socket) and answer."""

import os
import signal
import subprocess
import time

import httpx

from tests.helpers.server import PLACEWISE, free_port, listeners


def test_two_server_processes_share_a_port_on_a_new_store(tmp_path):
    port = free_port()
    env = {**os.environ, "PLACEWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}",
           "PLACEWISE_CACHE": str(tmp_path / "cache")}
    server = subprocess.Popen([str(PLACEWISE), "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180  # a bound on start-up, so a hang fails instead of stalling CI
        while listeners(port) < 2 and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.2)
        assert listeners(port) == 2
        answers = [httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=30).status_code for _ in range(6)]
        assert answers == [200] * 6
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=60)[0].decode()
    assert "Traceback" not in output and "already exists" not in output
