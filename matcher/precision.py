"""The output contract's precision: every figure leaves Placewise rounded as people read it, decided here once.

A figure's precision follows from the unit in its name (the table contracts put units in names):

| a name with   | e.g.                                   | written as          |
|---------------|----------------------------------------|---------------------|
| ``minutes``   | ``travel_minutes``, ``low_minutes``    | 0.1 minute          |
| ``km``        | ``distance_km``                        | 0.1 km              |
| ``gbp``       | ``annual_cost_gbp``                    | whole pounds (int)  |
| ``score``     | ``total_score``, and each criterion's  | 0.001               |
| ``share``     | ``out_of_area_share``                  | 0.001 (0.1 point)   |

Anything else (counts, codes, a solver's gap) leaves as it is. The engine computes on full precision and rounds
only here, where results leave it: run files, JSON answers of the API and the command line.
"""

import functools
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from matcher.criteria import CRITERIA

#: Decimal places by the unit word in a figure's name; 0 means a whole number.
DECIMALS_BY_UNIT = {"minutes": 1, "km": 1, "gbp": 0, "score": 3, "share": 3}


@functools.lru_cache(maxsize=4096)  # a result of thousands of rows asks for the same few names again and again
def decimals_for(name: str) -> int | None:
    """The decimal places a figure named ``name`` is written with, or None where its name carries no unit."""
    if name in CRITERIA:
        return DECIMALS_BY_UNIT["score"]
    for word in str(name).lower().split("_"):
        if word in DECIMALS_BY_UNIT:
            return DECIMALS_BY_UNIT[word]
    return None


def round_value(name: str, value: object) -> object:
    """One figure rounded for output by its name (None, text and non-finite numbers pass through)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return value
    places = decimals_for(name)
    if places is None:
        return value
    number = float(value)
    if not math.isfinite(number):
        return value
    return int(round(number)) if places == 0 else round(number, places)


#: 10^0 to 10^15, each exact.
POWERS_OF_TEN = np.array([float(10**power) for power in range(16)])
#: How far (relative to the scaled value) from a half a scaled value must lie to be rounded in numpy: 2^-40, far
#: beyond the 2^-53 a product's rounding can move it.
CLEAR_OF_HALF = 2.0**-40


def round_like_python(values: np.ndarray, places: int | np.ndarray) -> list:
    """``round(value, places)`` of every value, as Python rounds a float (the float nearest the decimal nearest the
    value's exact binary value, ties to even), for an array of figures at once (``places``: one count, or one per
    column), as nested lists of floats. Each value times 10^places is rounded to a whole number in numpy where it
    lies clear of a half by far more than that product's rounding error, then divided back by 10^places (a correctly
    rounded division of two exact numbers: the float nearest the decimal, as Python's round gives); Python's round
    takes the rest (near halves, values not finite, or too large to have decimals)."""
    values = np.asarray(values, dtype=float)
    digits = np.broadcast_to(np.asarray(places, dtype=np.int64), values.shape)
    scale = POWERS_OF_TEN[digits]
    scaled = values * scale
    whole = np.rint(scaled)
    with np.errstate(invalid="ignore"):
        clear = np.abs(np.abs(scaled - whole) - 0.5) > np.abs(scaled) * CLEAR_OF_HALF
    rounded = (whole / scale).tolist()
    if clear.all():
        return rounded
    for at in zip(*np.nonzero(~clear), strict=True):
        target = rounded
        for step in at[:-1]:
            target = target[step]
        target[at[-1]] = round(float(values[at]), int(digits[at]))
    return rounded


def round_record(value: object, name: str = "") -> object:
    """A JSON-ready value with every figure inside rounded by its own key's name, at any depth (a list takes the
    name of the key that holds it)."""
    if type(value) is dict or isinstance(value, Mapping):  # a plain dict first: the ABC's check is slow
        return {key: round_record(item, str(key)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [round_record(item, name) for item in value]
    return round_value(name, value)


def round_records(frame: pd.DataFrame) -> list[dict]:
    """The table's rows as JSON-ready records, each figure rounded by its column's name and a missing value None:
    what ``round_record`` makes of ``frame.astype(object).where(frame.notna(), None).to_dict("records")``, a
    column at a time (a job's tens of thousands of rows, without a walk through every row's fields)."""
    columns = {}
    for name, column in frame.items():
        values = column.astype(object).where(column.notna(), None).tolist()
        columns[name] = [round_value(str(name), _native(value)) for value in values]
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _native(value: object) -> object:
    """A NumPy scalar as the Python one (as ``to_dict`` gives it)."""
    return value.item() if isinstance(value, np.generic) else value


def round_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table with each numeric column rounded by its name; whole-pound columns become integers
    (missing stays missing)."""
    out = frame.copy()
    for column in out.columns:
        places = decimals_for(str(column))
        if places is None or not pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(
                out[column]):
            continue
        rounded = pd.to_numeric(out[column], errors="coerce").astype("Float64").round(places)
        out[column] = rounded.astype("Int64") if places == 0 else rounded
    return out
