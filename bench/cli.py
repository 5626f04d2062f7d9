"""How long the command line takes: ``placewise --help``, a one-line error, and (with the open data) a shortlist on
the real register and the North East run, warm (the cache folder filled by an earlier run) and cold (an empty one).

    .venv/bin/python bench/cli.py [--runs 10] [--data ../shared/data] [--data-runs 3]

Prints the minimum, median and maximum wall time of each, after one warm-up run, the median processor time
(user and system, less sensitive to other work on the machine) and the load average (1 minute) as each finished.
"Cold" empties the cache folder (``PLACEWISE_CACHE``) before each run, so the register, costs, density grid,
boundaries and travel tables are built again; the operating system's file cache stays warm. Figures depend on the
machine's load: give the load beside them.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACEWISE = Path(sys.executable).with_name("placewise")
DEFAULT_DATA = ROOT.parent / "shared" / "data"
COMMANDS = {"placewise --help": ["--help"], "a one-line error (missing child file)": ["shortlist", "--child",
                                                                                    "/nonexistent.json"]}
#: The README's example child, in Newcastle upon Tyne.
CHILD = {"child_id": "C-17", "home_council": "E08000021", "home_lsoa": "E01008395", "age": 10, "ncy": 5,
         "primary_need": "ASD", "secondary_needs": ["SLCN"], "need_level": 2, "sex": "M",
         "requires_residential": False, "preferences": [108539], "max_travel_minutes": 40}


def timed(arguments: list[str], cache: Path | None = None, cold: bool = False) -> tuple[float, float]:
    """The wall and processor seconds of one ``placewise`` command."""
    environment = dict(os.environ)
    if cache is not None:
        if cold:
            shutil.rmtree(cache, ignore_errors=True)
        environment["PLACEWISE_CACHE"] = str(cache)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(PLACEWISE), *arguments], capture_output=True, check=False, cwd=ROOT, env=environment)
    elapsed = time.perf_counter() - started
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    processor = now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime
    if cache is not None and done.returncode != 0:
        raise SystemExit(f"placewise {' '.join(arguments)} failed:\n{done.stderr.decode(errors='replace')}")
    return elapsed, processor


def report(name: str, measured: list[tuple[float, float]]) -> None:
    times = [wall for wall, _ in measured]
    print(f"{name}: median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}) over "
          f"{len(times)} runs; processor {statistics.median(cpu for _, cpu in measured):.3f} s; load "
          f"{os.getloadavg()[0]:.1f}", flush=True)


def data_commands(data: Path, folder: Path) -> dict[str, list[str]]:
    child = folder / "child.json"
    child.write_text(json.dumps(CHILD), encoding="utf-8")
    return {"shortlist on the real register": ["shortlist", "--data", str(data), "--child", str(child), "-k", "10"],
            "North East run": ["run", "scenarios/library/north-east.yaml", "--data", str(data), "--out",
                               str(folder / "north-east")]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--data-runs", type=int, default=3)
    arguments = parser.parse_args()
    for name, command in COMMANDS.items():
        timed(command)
        report(name, [timed(command) for _ in range(arguments.runs)])
    if not (arguments.data / "gias").is_dir():
        print(f"no open data at {arguments.data}: the shortlist and the North East run are not measured")
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name, command in data_commands(arguments.data.resolve(), folder).items():
            warm_cache = folder / "warm-cache"
            timed(command, warm_cache)
            report(f"{name}, warm", [timed(command, warm_cache) for _ in range(arguments.data_runs)])
            cold = [timed(command, folder / "cold-cache", cold=True) for _ in range(arguments.data_runs)]
            report(f"{name}, cold (empty cache folder)", cold)


if __name__ == "__main__":
    main()
