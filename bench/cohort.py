"""Benchmark: England's cohort drawn and turned into children (the "cohort" phase of bench/national.py alone).

Run, from the project's root:
    .venv/bin/python bench/cohort.py [--scenario scenarios/library/england.yaml] [--runs 5] [--cache DIR]

Loads the inputs once, as ``placewise run`` does (through the cache folder), then draws the cohort ``--runs`` times
as a run draws it (``scenarios.run._draw``: the SEN2 figures checked, the synthetic cohort read back from the cache,
the children validated by pydantic); prints each draw's wall and CPU seconds beside the 1-minute
load, and the least of each (the machine is shared: compare branches back to back, by the least CPU time).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "library" / "england.yaml")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache", type=Path, help="the cache folder (default: the cache setting, as placewise run)")
    arguments = parser.parse_args()

    from api.settings import Settings
    from scenarios.run import _draw, _load
    from scenarios.schema import load_scenario

    scenario = load_scenario(arguments.scenario)
    cache = arguments.cache or Settings().cache
    inputs, _ = _load(scenario, cache, None, 30)  # as scenarios.run.run_scenario loads them
    walls, cpus = [], []
    for run in range(1, arguments.runs + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        _, children = _draw(scenario, inputs, None, [], cache)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        print(f"draw {run}: {len(children):,} children in {walls[-1]:.3f} s wall, {cpus[-1]:.3f} s CPU "
              f"(load {os.getloadavg()[0]:.2f})", flush=True)
        del children
    print(f"least of {arguments.runs}: {min(walls):.3f} s wall, {min(cpus):.3f} s CPU")


if __name__ == "__main__":
    main()
