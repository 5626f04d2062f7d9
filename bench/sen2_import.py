"""SEN2 returns on a real sub-region: how long the North East's 12 returns take to import, and whether a run from
them places as the synthetic cohort does.

    .venv/bin/python bench/sen2_import.py [--data ../shared/data] [--runs] [--folder runs/bench-sen2]

Writes the generator's returns for the councils of ``scenarios/library/north-east.yaml`` (the synthetic cohort's
children, seed 2025: 12,897), then imports all 12 as ``placewise cohort import-sen2`` does (the register and GIAS
read, every return parsed and checked, pseudonymised, located, the cohort CSV written), three times, and prints
the wall time of each with the machine's load. With ``--runs``: runs the scenario on its synthetic cohort, on the
imported cohort under the default policy (children stay where they are unless at a phase transfer or today's
setting breaks a rule), and on the imported cohort with ``allow_moves`` (every child re-placed, as the synthetic
run does), and prints their key figures side by side, with the baseline's "as is" against "proposed".
"""

import argparse
import os
import secrets
import time
from pathlib import Path

import pandas as pd

from geodata.postcodes import load_postcode_directory
from geodata.sen2_return import read_return_file
from matcher.policy import Policy
from scenarios.run import run_scenario
from scenarios.schema import load_scenario
from scenarios.sen2_cohort import checks_register, import_returns, write_cohort
from scenarios.sen2_demo import generate_returns

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "library" / "north-east.yaml"
FIGURES = ("children", "placed", "unplaced", "travel_minutes_mean", "travel_minutes_p95", "annual_cost_gbp",
           "independent_share", "mainstream_share", "special_state_share", "out_of_area_share", "mean_score")
LIMIT_BYTES = 100_000_000


def import_all(data: Path, folder: Path, councils: tuple[str, ...], key: bytes) -> tuple[float, float, int]:
    """Import every council's return as the command does; the wall and CPU seconds and the children imported."""
    started, cpu = time.perf_counter(), time.process_time()
    register = checks_register(data)
    postcodes = load_postcode_directory(folder / "postcodes.csv")
    returns = [(read_return_file(folder / f"sen2-{council}.xml", LIMIT_BYTES), council) for council in councils]
    cohort = pd.concat([found.cohort for found in import_returns(returns, register, postcodes, key)])
    write_cohort(cohort, folder / "cohort.csv")
    return time.perf_counter() - started, time.process_time() - cpu, len(cohort)


def compare_runs(data: Path, folder: Path) -> None:
    scenario = load_scenario(SCENARIO).model_copy(update={"data": str(data.resolve())})
    imported = scenario.model_copy(update={"cohort": scenario.cohort.model_copy(update={
        "csv": (folder / "cohort.csv").resolve(), "synthetic": False})})
    moves = imported.model_copy(update={"policy": Policy(**{**scenario.policy.model_dump(), "allow_moves": True})})
    runs = {"synthetic": run_scenario(scenario), "imported, stability": run_scenario(imported),
            "imported, allow_moves": run_scenario(moves)}
    print(f"{'figure':>22}" + "".join(f"{name:>24}" for name in runs))
    for figure in FIGURES:
        print(f"{figure:>22}" + "".join(f"{run.kpis[figure]:>24,.3f}" for run in runs.values()))
    for name in ("imported, stability", "imported, allow_moves"):
        baseline = runs[name].kpis["baseline"]
        print(f"\n{name}: {baseline['decisions']}; today's settings break: {baseline['as_is_breaks']}")
        for figure, value in baseline["as_is"].items():
            print(f"{figure:>24}: as is {value:>16,.3f}   proposed {baseline['proposed'][figure]:>16,.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--folder", type=Path, default=ROOT / "runs" / "bench-sen2")
    parser.add_argument("--runs", action="store_true", help="also compare runs (a few minutes)")
    options = parser.parse_args()
    councils = tuple(load_scenario(SCENARIO).councils)
    generated = generate_returns(options.data, councils, options.folder, seed=2025)
    size = sum(path.stat().st_size for path in generated.returns.values()) / 1e6
    print(f"{generated.children:,} children in {len(generated.returns)} returns ({size:.1f} MB)")
    key = secrets.token_bytes(32)
    for attempt in range(3):
        seconds, cpu, children = import_all(options.data, options.folder, councils, key)
        print(f"import {attempt + 1}: {children:,} children in {seconds:.2f} s (target <= 10 s; {cpu:.2f} s of CPU); "
              f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if options.runs:
        compare_runs(options.data, options.folder)


if __name__ == "__main__":
    main()
