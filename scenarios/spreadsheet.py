"""CSV files that a spreadsheet opens safely: a text cell that begins ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is read by Excel and its kin as a formula, so it is written with a leading single quote."""

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value, with a text that a spreadsheet would read as a formula escaped by a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell made safe (numbers, even negative ones, stay numbers)."""
    text = [name for name in frame.columns if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name])]
    if not text:
        return frame
    return frame.assign(**{str(name): frame[name].map(safe_cell) for name in text})
