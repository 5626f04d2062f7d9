"""The command line on the real register."""

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()


def test_register_report(data_dir, tmp_path):
    out = tmp_path / "providers.csv"
    result = runner.invoke(app, ["register", "--data", str(data_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Special schools: 1,9" in result.output and "Dropped" in result.output
    assert sum(1 for _ in out.open(encoding="utf-8")) > 4_000


def test_shortlist_json_on_real_data(data_dir, tmp_path):
    child = tmp_path / "child.json"
    child.write_text(json.dumps({"child_id": "R-3", "home_council": "E08000021", "home_lsoa": "E01008395",
                                 "age": 10, "primary_need": "ASD", "preferences": [108539]}))
    result = runner.invoke(app, ["shortlist", "--data", str(data_dir), "--child", str(child), "-k", "5", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert len(answer["candidates"]) == 5 and answer["preferences"][0]["provider_id"] == 108539


#: One ``placewise`` command in a fresh interpreter; the modules it imported are printed last to stderr.
MODULES_PROBE = """
import json, sys
from api.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def test_a_warm_shortlist_reads_the_travel_ends_rows_kept_and_builds_no_k_d_tree(data_dir, tmp_path):
    root = Path(__file__).resolve().parents[2]
    child = tmp_path / "child.json"
    child.write_text(json.dumps({"child_id": "R-4", "home_council": "E08000021", "home_lsoa": "E01008395",
                                 "age": 10, "primary_need": "ASD", "preferences": [108539]}))
    environment = {**os.environ, "PYTHONPATH": str(root), "PLACEWISE_CACHE": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", MODULES_PROBE, "shortlist", "--data", str(data_dir), "--child",
                            str(child), "-k", "5", "--json"], cwd=root, capture_output=True, text=True, check=False,
                           env=environment) for _ in ("cold", "warm")]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    assert len(list((tmp_path / "cache").glob("travel-end-rows-*.npz"))) == 1
    assert runs[1].stdout == runs[0].stdout and json.loads(runs[1].stdout)["candidates"]
    assert "scipy.spatial" not in json.loads(runs[1].stderr.strip().splitlines()[-1])
