"""The command line's packages, ATRS, DPIA and fairness commands: they write what they say, and bad input is one
clear line with exit code 2."""

import json

from typer.testing import CliRunner

from api.cli import app
from api.cli.runs import DEMO_SCENARIO
from scenarios.run import run_scenario, write_run
from scenarios.schema import load_scenario
from scenarios.transparency.atrs import ATRS_FIELDS
from tests.helpers.samples import DEMO_CHILD, write_child

runner = CliRunner()


def test_a_childs_package_list_prints_its_settings_and_reasons(tmp_path):
    child = write_child(tmp_path, {**DEMO_CHILD, "packages": ["SP-CI"]})
    result = runner.invoke(app, ["packages", "child", "--child", child, "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["settings"] and all(entry["reason"].startswith("On the list") for entry in answer["settings"])
    listed = runner.invoke(app, ["packages", "list"])
    assert listed.exit_code == 0 and "ILLUSTRATIVE" in listed.output and "SP-CI" in listed.output


def test_a_packages_file_with_an_unknown_need_is_one_clear_line(tmp_path):
    bad = tmp_path / "packages.yaml"
    bad.write_text("packages:\n  - {id: X, name: x, needs: [AUTISM], setting: specialist, band: B}\n")
    result = runner.invoke(app, ["packages", "list", "--packages", str(bad)])
    assert result.exit_code == 2 and "packages.0.needs.0" in result.output and "Traceback" not in result.output


def test_atrs_and_dpia_write_their_records(tmp_path):
    result = runner.invoke(app, ["atrs", "--organisation", "Example Council", "--out", str(tmp_path / "atrs")])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "atrs" / "atrs.json").read_text())
    assert all(set(record[section]) == set(names) for section, names in ATRS_FIELDS.items())
    result = runner.invoke(app, ["dpia", "--organisation", "Example Council", "--out", str(tmp_path / "dpia.md")])
    assert result.exit_code == 0 and "## 5. Risks" in (tmp_path / "dpia.md").read_text()


def test_fairness_prints_a_runs_groups(tmp_path):
    write_run(run_scenario(load_scenario(DEMO_SCENARIO)), tmp_path)
    result = runner.invoke(app, ["fairness", str(tmp_path), "--all"])
    assert result.exit_code == 0 and "age_group" in result.output and "council" in result.output
    missing = runner.invoke(app, ["fairness", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "fairness.csv" in missing.output
