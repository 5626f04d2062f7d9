"""The output contract's precision, decided by each figure's name."""

import numpy as np
import pandas as pd

from matcher.precision import decimals_for, round_frame, round_like_python, round_record, round_records


def test_each_unit_has_its_precision_and_other_figures_pass_through():
    assert [decimals_for(name) for name in ("travel_minutes", "low_minutes", "travel_minutes_p95", "distance_km",
                                            "annual_cost_gbp", "total_score", "travel", "out_of_area_share",
                                            "children", "gap")] == [1, 1, 1, 1, 0, 3, 3, 3, None, None]


def test_records_are_rounded_by_their_keys_at_any_depth():
    record = {"travel_minutes": 18.246941990186397, "placement_cost_gbp": 14045.4, "scores": {"travel": 0.77173},
              "by_council": {"E1": {"annual_cost_gbp": 3094588.5, "children": 80}}, "gap": 1.5e-5,
              "distances_km": [1.26, 2.04], "note": "stays", "nothing_minutes": None, "nan_minutes": float("nan")}
    rounded = round_record(record)
    assert rounded["travel_minutes"] == 18.2 and rounded["placement_cost_gbp"] == 14045
    assert isinstance(rounded["placement_cost_gbp"], int) and rounded["scores"] == {"travel": 0.772}
    assert rounded["by_council"] == {"E1": {"annual_cost_gbp": 3094588, "children": 80}}  # half to even
    assert rounded["gap"] == 1.5e-5 and rounded["distances_km"] == [1.3, 2.0] and rounded["note"] == "stays"
    assert rounded["nothing_minutes"] is None and np.isnan(rounded["nan_minutes"])


def test_tables_are_rounded_by_their_columns_and_pounds_become_whole():
    frame = pd.DataFrame({"travel_minutes": [13.647354616559879, np.nan], "annual_cost_gbp": [14045.6, np.nan],
                          "provider_id": [900008, 900009], "may_exceed_cap": [True, False]})
    text = round_frame(frame).to_csv(index=False)
    assert text.splitlines() == ["travel_minutes,annual_cost_gbp,provider_id,may_exceed_cap",
                                 "13.6,14046,900008,True", ",,900009,False"]
    assert frame["travel_minutes"].iloc[0] == 13.647354616559879  # the input is left as it was


def test_arrays_are_rounded_exactly_as_python_rounds_each_float():
    rng = np.random.default_rng(11)
    spread = rng.random(20_000) * 10.0 ** rng.integers(-6, 9, 20_000) * rng.choice([-1.0, 1.0], 20_000)
    halves = (np.arange(-2_000, 2_000) + 0.5) / 10.0 ** rng.integers(0, 6, 4_000)  # decimal ties, as floats
    special = np.array([0.125, 2.675, 0.5, 1.5, 2.5, -0.5, 0.0, -0.0, 0.00005, -0.00004, 1.00005, 0.15, 0.35,
                        2.0**53 + 2, 1e300, -1e300, np.inf, -np.inf, np.nan])
    values = np.concatenate([spread, halves, np.nextafter(halves, np.inf), np.nextafter(halves, -np.inf), special])
    for places in range(6):
        expected = [round(value, places) for value in values.tolist()]
        got = round_like_python(values, places)
        assert [repr(value) for value in got] == [repr(value) for value in expected]  # -0.0 and nan included
    table = np.concatenate([special, halves[:281], spread[:300]]).reshape(60, 10)  # near halves in every row
    places = np.array([4, 4, 3, 2, 1, 1, 1, 0, 2, 5])
    assert repr(round_like_python(table, places)) == repr([[round(value, int(place)) for value, place in zip(
        row, places.tolist(), strict=True)] for row in table.tolist()])


def test_a_table_s_rows_as_rounded_records_match_its_records_rounded_one_by_one():
    frame = pd.DataFrame({"child_id": ["C1", None, "C3"], "provider_id": [900008.0, -1.0, np.nan],
                          "travel_minutes": [13.647354616559879, np.nan, 40.05],
                          "placement_cost_gbp": [14045.5, 3.5, 0.4],
                          "places": pd.array([2, None, 5], dtype="Int64"), "age": np.array([7, 11, 15]),
                          "total_score": [0.12345, 0.5, None], "stays": [True, False, True]})
    expected = round_record({"rows": frame.astype(object).where(frame.notna(), None).to_dict("records")})["rows"]
    rows = round_records(frame)
    assert rows == expected
    assert [[type(value) for value in row.values()] for row in rows] == [
        [type(value) for value in row.values()] for row in expected]
