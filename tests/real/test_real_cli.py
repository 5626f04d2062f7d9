"""The command line on the real register."""

import json

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
