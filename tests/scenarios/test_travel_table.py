"""``placewise travel`` on the embedded demo: the model's own journeys, the cap's rule, and every bad row named."""

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from api.cli import app
from core.errors import PlacewiseError
from scenarios.inputs import load_inputs
from scenarios.travel_table import TABLE_COLUMNS, read_destinations, read_origins, travel_table


@pytest.fixture(scope="module")
def inputs():
    return load_inputs()


def write(path, text):
    path.write_text(text)
    return path


def points(inputs, tmp_path):
    first, second = inputs.providers.index[:2]
    origins = read_origins(write(tmp_path / "o.csv", "origin_id,easting,northing\nA,430000,560000\n"
                                 "B,425000,565000\nC,440000,540000\n"), inputs)
    destinations = read_destinations(write(tmp_path / "d.csv", f"destination_id,provider_id,easting,northing\n"
                                           f"X,{first},,\nY,,428000,562000\nZ,{second},,\n"), inputs)
    return origins, destinations


def test_every_pair_is_the_travel_models_own_journey(inputs, tmp_path):
    origins, destinations = points(inputs, tmp_path)
    table = travel_table(origins, destinations, inputs.travel)
    assert list(table.columns) == list(TABLE_COLUMNS) and len(table) == 9
    row = table[(table["origin_id"] == "B") & (table["destination_id"] == "X")].iloc[0]
    x = inputs.providers.loc[inputs.providers.index[0]]
    journey = inputs.travel.estimate(np.array([425000.0]), np.array([565000.0]), np.array([x["easting"]]),
                                     np.array([x["northing"]]))
    assert row["travel_minutes"] == pytest.approx(journey.minutes[0])
    assert row["low_minutes"] == pytest.approx(journey.low_minutes[0])
    assert row["high_minutes"] == pytest.approx(journey.high_minutes[0])
    assert row["distance_km"] == pytest.approx(journey.km[0]) and row["model"] == "national travel model"
    assert (table["low_minutes"] <= table["travel_minutes"]).all()
    assert (table["travel_minutes"] <= table["high_minutes"]).all()
    for _, journeys in table.groupby("origin_id"):
        assert journeys["travel_minutes"].is_monotonic_increasing


def test_a_cap_keeps_the_journeys_whose_estimate_is_within_it(inputs, tmp_path):
    origins, destinations = points(inputs, tmp_path)
    every = travel_table(origins, destinations, inputs.travel)
    cap = float(every["travel_minutes"].median())
    capped = travel_table(origins, destinations, inputs.travel, cap)
    expected = every[every["travel_minutes"] <= cap]
    assert 0 < len(capped) < len(every)
    pd.testing.assert_frame_equal(capped.reset_index(drop=True), expected.reset_index(drop=True))
    for bad in (0, -5, float("nan")):
        with pytest.raises(PlacewiseError, match="cap_minutes"):
            travel_table(origins, destinations, inputs.travel, bad)


def test_the_command_names_the_corrections_it_used(tmp_path, monkeypatch):
    monkeypatch.delenv("PLACEWISE_DATA", raising=False)  # the demo's model: no routed matrix to correct by
    origins = write(tmp_path / "o.csv", "origin_id,easting,northing\nA,430000,560000\n")
    destinations = write(tmp_path / "d.csv", "destination_id,easting,northing\nX,428000,562000\n")
    result = CliRunner().invoke(app, ["travel", "--from", str(origins), "--to", str(destinations), "--out",
                                      str(tmp_path / "t.csv")])
    assert result.exit_code == 0, result.output
    line = [text for text in result.output.splitlines() if text.startswith("Corrections:")]
    assert len(line) == 1 and "bias and 10th-90th percentile band" in line[0]
    assert "no end corrections (no routed matrix loaded" in line[0] and "national_fit.json" in line[0]


def test_bad_rows_are_all_named_at_once(inputs, tmp_path):
    origins = write(tmp_path / "o.csv", "origin_id,easting,northing\nA,430000,560000\nA,425000,565000\n"
                    ",430000,560000\nC,abc,560000\nD,100000,900000\n")
    with pytest.raises(PlacewiseError) as raised:
        read_origins(origins, inputs)
    message = str(raised.value)
    assert "row(s) 2, 3: the same origin_id appears twice" in message
    assert "row(s) 4: origin_id is empty" in message
    assert "row(s) 5: give an lsoa, or both easting and northing" in message
    assert "row(s) 6: easting/northing lie outside England" in message
    destinations = write(tmp_path / "d.csv", "destination_id,provider_id\nX,12\nY,abc\n")
    with pytest.raises(PlacewiseError) as raised:
        read_destinations(destinations, inputs)
    assert "row(s) 3: provider_id must be a whole number" in str(raised.value)
    assert "row(s) 2: provider_id is not in the register loaded" in str(raised.value)


def test_files_without_a_way_to_place_their_rows_say_what_to_give(inputs, tmp_path):
    with pytest.raises(PlacewiseError, match="give the lsoa column, or easting and northing"):
        read_origins(write(tmp_path / "o.csv", "origin_id,place\nA,x\n"), inputs)
    with pytest.raises(PlacewiseError, match="no rows"):
        read_destinations(write(tmp_path / "d.csv", "destination_id,provider_id\n"), inputs)
    with pytest.raises(PlacewiseError, match="embedded demo has no small areas"):
        read_origins(write(tmp_path / "o.csv", "origin_id,lsoa\nA,E01008162\n"), inputs)


def test_the_command_writes_the_table_and_names_bad_rows_in_one_line(tmp_path):
    origins = write(tmp_path / "o.csv", "origin_id,easting,northing\nA,430000,560000\n")
    destinations = write(tmp_path / "d.csv", "destination_id,easting,northing\nY,428000,562000\n")
    out = tmp_path / "out" / "journeys.csv"
    result = CliRunner().invoke(app, ["travel", "--from", str(origins), "--to", str(destinations), "--out",
                                      str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns) == list(TABLE_COLUMNS) and table[["origin_id", "destination_id"]].values.tolist() == [
        ["A", "Y"]]
    bad = write(tmp_path / "bad.csv", "origin_id,easting,northing\nA,430000,\n")
    result = CliRunner().invoke(app, ["travel", "--from", str(bad), "--to", str(destinations), "--out", str(out)])
    assert result.exit_code == 2 and "row(s) 2" in result.output and "Traceback" not in result.output
