"""Settings' postal addresses from the DfE performance tables' school information file
(``gias/england_school_information_2023-24.csv``: street, locality, town and postcode by URN), read once a folder.

The register's own files carry no address, telephone or website; the performance tables carry the address. The
embedded demo has none (its settings are invented)."""

import functools
from pathlib import Path

import pandas as pd

SCHOOL_INFORMATION = Path("gias") / "england_school_information_2023-24.csv"
ADDRESS_COLUMNS = {"URN": "provider_id", "STREET": "street", "LOCALITY": "locality", "ADDRESS3": "address3",
                   "TOWN": "town", "POSTCODE": "postcode"}


def empty_addresses() -> pd.DataFrame:
    return pd.DataFrame(columns=list(ADDRESS_COLUMNS.values())[1:], index=pd.Index([], name="provider_id",
                                                                                 dtype="int64"))


@functools.cache
def load_setting_addresses(data_dir: Path | None) -> pd.DataFrame:
    """Each setting's address lines, town and postcode by URN (``provider_id``); empty without the file."""
    path = None if data_dir is None else Path(data_dir) / SCHOOL_INFORMATION
    if path is None or not path.is_file():
        return empty_addresses()
    frame = pd.read_csv(path, usecols=list(ADDRESS_COLUMNS), dtype=str, keep_default_na=False,
                        encoding="utf-8-sig").rename(columns=ADDRESS_COLUMNS)
    frame["provider_id"] = pd.to_numeric(frame["provider_id"], errors="coerce")
    frame = frame.dropna(subset=["provider_id"]).astype({"provider_id": "int64"})
    return frame.drop_duplicates("provider_id").set_index("provider_id").apply(lambda column: column.str.strip())
