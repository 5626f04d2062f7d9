"""Say whether two run folders hold the same results: allocation.csv byte for byte, kpis.json apart from timings.

    .venv/bin/python bench/same_runs.py runs/before runs/after

For a change that should move nothing (a restructure): run the same scenario before and after it into two folders
and compare them here. Exit code 0 when they are the same, 1 with the differences otherwise.
"""

import json
import sys
from pathlib import Path


def without_timings(kpis: dict) -> dict:
    solver = {key: value for key, value in kpis.get("solver", {}).items() if key != "wall_seconds"}
    return {**kpis, "solver": solver}


def main(first: Path, second: Path) -> int:
    problems = []
    if (first / "allocation.csv").read_bytes() != (second / "allocation.csv").read_bytes():
        problems.append("allocation.csv differs")
    kpis = [without_timings(json.loads((folder / "kpis.json").read_text())) for folder in (first, second)]
    problems += [f"kpis.json: {key} differs ({kpis[0].get(key)!r} against {kpis[1].get(key)!r})"
                 for key in sorted(set(kpis[0]) | set(kpis[1])) if kpis[0].get(key) != kpis[1].get(key)]
    print("\n".join(problems) or f"the same: {first} and {second} (allocation.csv byte for byte; kpis.json apart "
          "from timings)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
