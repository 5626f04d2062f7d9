"""The command line: the demo runs, shortlists print as a table or JSON, bad input is one clear line."""

import json

from typer.testing import CliRunner

from api.cli import app
from tests.helpers.samples import DEMO, DEMO_CHILD, write_child

runner = CliRunner()
def test_demo_allocates_the_cohort_and_explains_a_shortlist(tmp_path):
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    kpis = json.loads((tmp_path / "demo" / "kpis.json").read_text())
    assert kpis["children"] == 240 and kpis["placed"] + kpis["unplaced"] == 240
    assert kpis["checker_problems"] == 0 and kpis["solver"]["status"] == "optimal"
    assert "Key figures" in result.output and "Shortlist for DEMO-0004" in result.output
    assert "designated for" in result.output and "minutes by car" in result.output
    for name in ("allocation.csv", "unplaced.csv", "report.html"):
        assert (tmp_path / "demo" / name).stat().st_size > 0


def test_shortlist_json_has_the_agreed_shape(tmp_path):
    result = runner.invoke(app, ["shortlist", "--child", write_child(tmp_path, DEMO_CHILD), "-k", "4", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["child_id"] == "T-1"
    assert 1 <= len(answer["candidates"]) <= 4
    first = answer["candidates"][0]
    assert {"provider_id", "name", "rank", "total_score", "scores", "travel_minutes", "annual_cost_gbp",
            "reasons"} <= set(first)
    assert set(first["scores"]) == {"suitability", "availability", "travel", "performance", "value_for_money"}
    assert [candidate["rank"] for candidate in answer["candidates"]] == list(range(1, len(answer["candidates"]) + 1))
    assert all({"provider_id", "reason"} <= set(exclusion) for exclusion in answer["exclusions"])
    assert [wish["provider_id"] for wish in answer["preferences"]] == [900_009, 900_004]


def test_shortlist_table(tmp_path):
    result = runner.invoke(app, ["shortlist", "--child", write_child(tmp_path, DEMO_CHILD), "-k", "2"])
    assert result.exit_code == 0, result.output
    assert "Shortlist for T-1" in result.output and "parents' preference Northvale independent special 9" in \
        result.output  # settings by name, not URN


def test_the_shortlist_table_stays_readable_at_80_columns(tmp_path):
    result = runner.invoke(app, ["shortlist", "--child", write_child(tmp_path, DEMO_CHILD), "-k", "5"],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    table = result.output.split("\n  1. ")[0].splitlines()
    assert max(len(line) for line in table) <= 80
    rows = [line for line in table if line.startswith("│") and line[1:].strip()[:1].isdigit()]
    assert len(rows) == 5  # each setting on one line: no name wraps


def test_bad_child_gives_one_clear_error_without_traceback_or_echo(tmp_path):
    record = {**DEMO_CHILD, "primary_need": "SECRETCODE", "age": 40}
    result = runner.invoke(app, ["shortlist", "--child", write_child(tmp_path, record)])
    assert result.exit_code == 2
    assert "primary_need: unknown need code" in result.output and "age: Input should be" in result.output
    assert "Traceback" not in result.output and "SECRETCODE" not in result.output


def test_location_outside_england_is_refused(tmp_path):
    record = {**DEMO_CHILD, "easting": 325_000, "northing": 673_000}  # Edinburgh
    result = runner.invoke(app, ["shortlist", "--child", write_child(tmp_path, record)])
    assert result.exit_code == 2 and "outside England" in result.output


def test_missing_and_malformed_files(tmp_path):
    missing = runner.invoke(app, ["shortlist", "--child", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "not found" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    malformed = runner.invoke(app, ["shortlist", "--child", str(broken)])
    assert malformed.exit_code == 2 and "not valid UTF-8 JSON" in malformed.output
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    not_object = runner.invoke(app, ["shortlist", "--child", str(listed)])
    assert not_object.exit_code == 2 and "expected a JSON object" in not_object.output
    kpis_folder = tmp_path / "run"
    kpis_folder.mkdir()
    (kpis_folder / "kpis.json").write_text("[1]")
    compared = runner.invoke(app, ["compare", str(kpis_folder), str(kpis_folder)])
    assert compared.exit_code == 2 and "not the KPIs of a run" in compared.output
    no_data = runner.invoke(app, ["shortlist", "--child", write_child(tmp_path, DEMO_CHILD), "--data",
                                  str(tmp_path / "nowhere")])
    assert no_data.exit_code == 2 and "is not a folder" in no_data.output


def test_keys_create_prints_a_key_once_and_refuses_unknown_roles(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'keys.db'}")
    monkeypatch.delenv("PLACEWISE_DATA", raising=False)  # the demo's councils, whatever the shell has set
    created = runner.invoke(app, ["keys", "create", "--role", "caseworker", "--name", "case system",
                                  "--councils", "E06900001"])
    assert created.exit_code == 0 and created.output.strip().startswith("pw_")
    refused = runner.invoke(app, ["keys", "create", "--role", "wizard", "--name", "x"])
    assert refused.exit_code == 2 and "--role: use one of" in refused.output


def test_a_settings_file_declares_boarding_and_a_bad_row_is_named(tmp_path):
    # The demo's maintained special school 900001 (SLD among its needs) publishes that it does not board: a child
    # who needs a residential place cannot have it, until the council's settings file declares boarding.
    child = write_child(tmp_path, {**DEMO_CHILD, "primary_need": "SLD", "requires_residential": True})
    settings = tmp_path / "settings.csv"

    def listed(*options: str) -> list[int]:
        result = runner.invoke(app, ["shortlist", "--child", child, "-k", "30", "--json", *options])
        assert result.exit_code == 0, result.output
        return [entry["provider_id"] for entry in json.loads(result.output)["candidates"]]

    assert 900001 not in listed()
    settings.write_text("urn,kind,places,boarding,needs\n900001,special_maintained,90,yes,\n", encoding="utf-8")
    assert 900001 in listed("--settings", str(settings))
    settings.write_text("urn,kind,places,boarding,needs\n900001,special_maintained,90,weekly,\n", encoding="utf-8")
    refused = runner.invoke(app, ["shortlist", "--child", child, "--settings", str(settings)])
    assert refused.exit_code == 2 and "row(s) 2: boarding must be yes, no or unknown" in refused.output
    run = runner.invoke(app, ["run", str(DEMO), "--out", str(tmp_path / "run"), "--settings", str(settings)])
    assert run.exit_code == 2 and "row(s) 2: boarding must be yes, no or unknown" in run.output
