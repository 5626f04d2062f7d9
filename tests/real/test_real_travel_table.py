"""``placewise travel`` on the real data: an LSOA's journeys to providers are those its child's shortlist gives."""

import json

import pandas as pd
from typer.testing import CliRunner

from api.cli import app
from tests.helpers.samples import REAL_CHILD


def test_the_travel_table_gives_the_shortlists_journeys(tmp_path, data_dir):
    child = tmp_path / "child.json"
    child.write_text(json.dumps({**REAL_CHILD, "home_lsoa": "E01008395"}))
    result = CliRunner().invoke(app, ["shortlist", "--data", str(data_dir), "--child", str(child), "--json"])
    assert result.exit_code == 0, result.output
    candidates = json.loads(result.output)["candidates"]
    assert len(candidates) >= 3
    origins = tmp_path / "origins.csv"
    origins.write_text("origin_id,lsoa\nC-17,E01008395\n")
    destinations = tmp_path / "destinations.csv"
    destinations.write_text("destination_id,provider_id\n" + "".join(
        f"D{rank},{candidate['provider_id']}\n" for rank, candidate in enumerate(candidates)))
    out = tmp_path / "journeys.csv"
    result = CliRunner().invoke(app, ["travel", "--data", str(data_dir), "--from", str(origins), "--to",
                                      str(destinations), "--cap-minutes", str(REAL_CHILD["max_travel_minutes"]),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out).set_index("destination_id")
    for rank, candidate in enumerate(candidates):
        journey = table.loc[f"D{rank}"]
        assert journey["travel_minutes"] == round(candidate["travel_minutes"], 1)
        assert journey["model"] == "national travel model and routed journeys"
