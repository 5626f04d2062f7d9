"""A run's report drawn by the two worker processes is the report drawn in one process, byte for byte (page and map),
and a failure in a worker reaches the caller. Each case runs in a fresh interpreter, as ``placewise run`` does: the
workers fork only where no thread has started, and a test session may have started some."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[3]

BOTH_WAYS = """
import json, sys
from pathlib import Path
from scenarios.reports.report_workers import ReportWorkers
from scenarios.reports.run_report import report_figures, write_report
from scenarios.run import run_scenario, write_run
from scenarios.schema import load_scenario

here, workers_folder = Path(sys.argv[1]), Path(sys.argv[1]) / "workers"
with ReportWorkers(spare_cores_only=False) as workers:
    run = run_scenario(load_scenario(Path(sys.argv[2])))
    workers.draw_charts(report_figures(run))
    write_run(run, workers_folder)
    workers.draw_map(workers_folder, None)
    drawn = workers.drawn()
    write_report(run, workers_folder / "report.html", None, drawn)
write_run(run, here / "alone")
write_report(run, here / "alone" / "report.html")
print(json.dumps({"forked": drawn is not None}))
"""

BROKEN_MAP = """
import sys
from pathlib import Path
import pandas as pd
from core.errors import PlacewiseError
from scenarios.reports.report_workers import ReportWorkers
from scenarios.reports.run_report import ReportFigures

counts = pd.Series([3, 1], index=["special_academy", "mainstream"])
costs = pd.DataFrame({"placement_cost_gbp": [1.0], "transport_cost_gbp": [0.5]}, index=["E06900001"])
with ReportWorkers(spare_cores_only=False) as workers:
    workers.draw_charts(ReportFigures(counts, pd.Series([10.0, 20.0]), costs, counts))
    workers.draw_map(Path(sys.argv[1]), None)  # an empty folder: not a run folder
    try:
        workers.drawn()
    except PlacewiseError as error:
        print("refused:", error)
"""


def in_fresh_interpreter(script: str, *arguments: str) -> str:
    done = subprocess.run([sys.executable, "-c", script, *arguments], cwd=ROOT, capture_output=True, text=True,
                          check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_workers_draw_the_same_report_as_one_process(tmp_path):
    answer = json.loads(in_fresh_interpreter(BOTH_WAYS, str(tmp_path), str(ROOT / "scenarios" / "library" /
                                                                            "demo.yaml")).splitlines()[-1])
    assert answer == {"forked": True}
    workers, alone = tmp_path / "workers", tmp_path / "alone"
    for name in ("report.html", "map.png"):  # drawn on this machine both ways, from the same run
        assert (workers / name).read_bytes() == (alone / name).read_bytes(), name
    placed = [pd.read_csv(folder / "allocation.csv", dtype=str) for folder in (workers, alone)]
    assert placed[0].equals(placed[1])  # the assignments exactly
    kpis = [json.loads((folder / "kpis.json").read_text()) for folder in (workers, alone)]
    assert _close(kpis[0], kpis[1])  # the figures to a tolerance: floats may differ in the last digit


def _close(mine: object, theirs: object) -> bool:
    """Nested JSON values equal, numbers within a relative 1e-9."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return mine.keys() == theirs.keys() and all(_close(mine[key], theirs[key]) for key in mine)
    if isinstance(mine, list) and isinstance(theirs, list):
        return len(mine) == len(theirs) and all(_close(a, b) for a, b in zip(mine, theirs, strict=True))
    if isinstance(mine, float | int) and isinstance(theirs, float | int) and not isinstance(mine, bool):
        return mine == pytest.approx(theirs, rel=1e-9)
    return mine == theirs


def test_a_workers_failure_is_raised_where_the_figures_are_asked_for(tmp_path):
    printed = in_fresh_interpreter(BROKEN_MAP, str(tmp_path))
    assert printed.startswith("refused:") and "not a run folder" in printed
