"""The command line starts fast: each command imports only the libraries it uses, so ``placewise --help`` loads none
of the engine's (numba's compiled kernels among them) and a shortlist none of the solver's, the maps' or the
service's. Each case runs in a fresh interpreter and lists what ``sys.modules`` holds afterwards (nothing is
timed)."""

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers.samples import DEMO_CHILD, write_child

ROOT = Path(__file__).resolve().parents[3]
#: Libraries no command needs before it runs, and that a shortlist does not need at all.
SERVICE_AND_REPORTS = ("matplotlib", "folium", "weasyprint", "fastapi", "sqlalchemy", "alembic", "uvicorn", "jinja2",
                       "openpyxl", "ortools", "highspy", "osmium", "dask", "distributed", "geopandas",
                       "shapely", "pyogrio", "pyproj")
ENGINE = ("numpy", "pandas", "scipy", "pydantic_settings", "numba")

PROBE = """
import json, sys
from api.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print(json.dumps(sorted(name.split(".")[0] for name in sys.modules)), file=sys.stderr)
"""


def imported_by(*arguments: str) -> set[str]:
    """The top-level packages imported by ``placewise <arguments>`` in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", PROBE, *arguments], cwd=ROOT, capture_output=True, text=True,
                          check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_help_imports_none_of_the_engines_libraries():
    assert imported_by("--help") & {*SERVICE_AND_REPORTS, *ENGINE} == set()


def test_a_shortlist_imports_no_solver_map_chart_or_service_library(tmp_path):
    imported = imported_by("shortlist", "--child", write_child(tmp_path, DEMO_CHILD), "-k", "3")
    assert "pandas" in imported  # the probe saw the command run
    assert imported & set(SERVICE_AND_REPORTS) == set()


def test_a_run_without_its_report_draws_nothing_and_loads_no_chart_or_map_library(tmp_path):
    out = tmp_path / "run"
    imported = imported_by("run", str(ROOT / "scenarios" / "library" / "demo.yaml"), "--out", str(out), "--no-report")
    assert {"ortools", "pandas"} <= imported  # the probe saw the run solve
    assert imported & {"matplotlib", "folium", "weasyprint", "fastapi", "sqlalchemy", "jinja2"} == set()
    assert (out / "allocation.csv").is_file() and (out / "kpis.json").is_file()
    assert not (out / "report.html").exists() and not (out / "map.png").exists()
