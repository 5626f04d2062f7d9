"""A child given by postcode gets the same shortlist as the same child given by its LSOA; the postcode is dropped."""

import json

from typer.testing import CliRunner

from api.cli import app
from tests.helpers.samples import HEADER, REAL_CHILD, ROWS


def shortlist(tmp_path, data_dir, record, name) -> dict:
    child = tmp_path / f"{name}.json"
    child.write_text(json.dumps(record))
    postcodes = tmp_path / "onspd.csv"
    postcodes.write_text("\n".join([HEADER, *ROWS]) + "\n")
    result = CliRunner().invoke(app, ["shortlist", "--data", str(data_dir), "--child", str(child), "--postcodes",
                                      str(postcodes), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_postcode_gives_the_same_shortlist_as_its_lsoa(tmp_path, data_dir):
    by_lsoa = shortlist(tmp_path, data_dir, {**REAL_CHILD, "home_lsoa": "E01008395"}, "lsoa")
    by_postcode = shortlist(tmp_path, data_dir, {**REAL_CHILD, "home_postcode": "NE1 4LP"}, "postcode")
    assert by_postcode == by_lsoa and len(by_lsoa["candidates"]) > 0
    assert "NE1" not in json.dumps(by_postcode)
