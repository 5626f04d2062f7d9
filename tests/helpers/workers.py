"""A scenario worker in its own process, on a given store, for the job tests."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3


def start_worker(url: str, number: int) -> subprocess.Popen:
    environment = {**os.environ, "PLACEWISE_DATABASE_URL": url, "PLACEWISE_LEASE_SECONDS": str(LEASE_SECONDS),
                   "PYTHONPATH": str(ROOT)}
    code = ("from api.platform.jobs.worker import run_worker; from api.platform.store.engine import make_engine; "
            "from api.settings import Settings; settings = Settings(); "
            f"run_worker(make_engine(settings.database_url), settings, name='worker-{number}', idle_s=0.2)")
    return subprocess.Popen([sys.executable, "-c", code], env=environment, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
