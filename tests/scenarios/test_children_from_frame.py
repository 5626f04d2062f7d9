"""A cohort table turns into the same children read column by column as read record by record: the same fields
given, the same values, of the same Python types, whatever the columns' dtypes."""

import numpy as np
import pandas as pd

from matcher.child import Child
from scenarios.cohort import _given, children_from_frame


def children_record_by_record(frame: pd.DataFrame) -> list[Child]:
    fields = set(Child.model_fields)
    return [Child(**{key: value for key, value in record.items() if key in fields and _given(value)})
            for record in frame.reset_index().to_dict("records")]


def test_children_read_by_column_are_those_read_by_record():
    rng = np.random.default_rng(3)
    size = 60
    frame = pd.DataFrame({
        "child_id": [f"C{number:03d}" for number in range(size)],
        "home_council": pd.array(rng.choice(["E06000001", "E09000033"], size), dtype="string"),
        "easting": rng.uniform(400_000, 500_000, size),
        "northing": rng.uniform(100_000, 500_000, size),
        "age": rng.integers(5, 16, size),
        "primary_need": pd.array(rng.choice(["ASD", "SEMH", "SLCN"], size), dtype="string"),
        "secondary_needs": [["MLD"] if at % 3 else [] for at in range(size)],
        "need_level": pd.array([1 + at % 4 for at in range(size)], dtype="Int64"),
        "sex": pd.array(rng.choice(["F", "M", ""], size), dtype=object),
        "requires_residential": rng.random(size) < 0.3,
        "current_provider_id": pd.Series([np.int64(100 + at) if at % 5 == 0 else None for at in range(size)],
                                         dtype=object),
        "max_travel_minutes": np.where(rng.random(size) < 0.5, np.nan, rng.uniform(20, 90, size)),
        "drawn_as": pd.array(rng.choice(["special", "unit"], size), dtype="string"),  # not a child's field
    }).set_index("child_id")
    by_column = _read_alike(frame)
    assert any(child.max_travel_minutes is None for child in by_column)
    assert any(child.sex is None for child in by_column)
    assert any(child.current_provider_id for child in by_column)


def test_children_of_a_table_with_every_cell_given_are_those_read_by_record():
    """A synthetic cohort's table: every cell given, text in pandas' own text dtype (its rows read whole)."""
    rng = np.random.default_rng(5)
    size = 40
    frame = pd.DataFrame({
        "child_id": pd.array([f"C{number:03d}" for number in range(size)], dtype="str"),
        "home_council": pd.array(rng.choice(["E06000001", "E09000033"], size), dtype="str"),
        "easting": rng.uniform(400_000, 500_000, size).round(-1),
        "northing": rng.uniform(100_000, 500_000, size).round(-1),
        "age": rng.integers(5, 16, size),
        "primary_need": pd.array(rng.choice(["ASD", "semh", "SLCN"], size), dtype="str"),
        "need_level": rng.integers(1, 5, size),
        "sex": pd.array(rng.choice(["F", "M"], size), dtype="str"),
        "requires_residential": rng.random(size) < 0.3,
        "drawn_as": pd.array(rng.choice(["special", "unit"], size), dtype="str"),
    }).set_index("child_id")
    by_column = _read_alike(frame)
    assert {child.primary_need for child in by_column} <= {"ASD", "SEMH", "SLCN"}


def _read_alike(frame: pd.DataFrame) -> list[Child]:
    """The children of ``frame`` read column by column, checked equal to those read record by record: the same
    values, the same fields set, the same types."""
    by_column, by_record = children_from_frame(frame), children_record_by_record(frame)
    assert by_column == by_record
    for mine, theirs in zip(by_column, by_record, strict=True):
        assert mine.model_fields_set == theirs.model_fields_set
        assert [type(value) for value in mine.__dict__.values()] == [type(value) for value in theirs.__dict__.values()]
    return by_column
