"""Reading published CSV files with clear errors: the file, the missing columns, the encoding."""

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from core.errors import PlacewiseError


def read_csv_checked(
    path: Path, required: Iterable[str], encoding: str = "utf-8-sig", **read_options: object
) -> pd.DataFrame:
    """Read a CSV file and check that it has the required columns.

    Raises:
        PlacewiseError: the file is missing, not in the stated encoding, not a CSV, or lacks columns.
    """
    path = Path(path)
    if not path.exists():
        raise PlacewiseError(f"{path}: file not found; check the path (a --data folder is laid out like "
                             "../shared/data)")
    try:
        frame = pd.read_csv(path, encoding=encoding, low_memory=False, **read_options)  # type: ignore[call-overload]
    except UnicodeDecodeError as error:
        raise PlacewiseError(
            f"{path}: not readable as {encoding} (byte {error.start}); save it as {encoding} or give the "
            "file as published"
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise PlacewiseError(f"{path}: not a readable CSV file ({error}); check the delimiter and quoting") from None
    check_columns(path, frame, required)
    return frame


def check_columns(path: Path, frame: pd.DataFrame, required: Iterable[str]) -> None:
    """Refuse a table read from ``path`` that lacks any of the ``required`` columns, naming them."""
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise PlacewiseError(
            f"{path}: missing column(s) {', '.join(missing)}; the file must have a header row with these names"
        )


def raise_for_rows(path: Path, checks: list[tuple[pd.Series, str]]) -> None:
    """Raise one PlacewiseError naming, for each failed check, its first ten rows (counted from 2, after the
    header) and what to fix; a mask's index is the frame's 0-based row position."""
    problems = [f"row(s) {', '.join(str(row + 2) for row in mask[mask].index[:10])}: {message}"
                for mask, message in checks if mask.any()]
    if problems:
        raise PlacewiseError(f"{path}: " + "; ".join(problems))
