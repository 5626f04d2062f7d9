"""The disk cache of derived tables: frames and series come back exactly (values, dtypes, missing values, index),
the archive is read without pickles, a table it cannot hold is built each time and never kept, and a file's hash is
taken again once the file changes and kept whichever thread took it."""

import json
import os

import numpy as np
import pandas as pd

from geodata.table_cache import cached_tables
from geodata.travel_cache import files_digest


def sample_tables() -> dict[str, pd.DataFrame | pd.Series]:
    providers = pd.DataFrame({
        "name": pd.Series(["Oak", "Ash", "Elm"], dtype="str"),
        "host_council": pd.Series(["E06000001", None, np.nan], dtype=object),
        "designated_needs": pd.Series([("ASD", "SLCN"), (), ("SEMH",)], dtype=object),
        "places": pd.array([12, None, 40], dtype="Int64"),
        "residential": pd.array([True, None, False], dtype="boolean"),
        "ofsted": pd.array([1, 2, None], dtype="Int8"),
        "easting": [451_000.5, np.nan, 452_100.0],
        "special": [True, False, True],
    }).set_axis(pd.Index([100, 200, 300], name="provider_id"))
    dropped = pd.Series([12, 1], index=pd.Index(["no URN", "age range unknown"], dtype=object), name="count")
    unnamed = pd.Series([0.25])
    return {"providers": providers, "dropped": dropped, "unnamed": unnamed}


def test_tables_come_back_exactly_and_are_built_once(tmp_path):
    built = []

    def build():
        built.append(1)
        return sample_tables()

    first = cached_tables(tmp_path, "tables-1", build)
    again = cached_tables(tmp_path, "tables-1", build)
    assert len(built) == 1
    for name, table in sample_tables().items():
        for copy in (first[name], again[name]):
            if isinstance(table, pd.Series):
                pd.testing.assert_series_equal(copy, table, check_exact=True)
            else:
                pd.testing.assert_frame_equal(copy, table, check_exact=True)
    assert again["providers"].loc[200, "host_council"] is None and np.isnan(again["providers"].loc[300,
                                                                                                   "host_council"])
    with np.load(tmp_path / "tables-1.npz", allow_pickle=False) as stored:  # data only: no object arrays
        assert all(stored[key].dtype != object for key in stored.files)


def test_a_table_the_cache_cannot_hold_is_built_each_time_and_not_kept(tmp_path):
    built = []

    def build():
        built.append(1)
        return {"odd": pd.DataFrame({"settings": [{"a": 1}, {"b": 2}]})}

    for _ in range(2):
        assert cached_tables(tmp_path, "odd-1", build)["odd"]["settings"].tolist() == [{"a": 1}, {"b": 2}]
    assert len(built) == 2 and not (tmp_path / "odd-1.npz").exists()
    assert cached_tables(None, "odd-1", build)["odd"].shape == (2, 1) and len(built) == 3


def test_a_files_hash_changes_with_its_bytes_and_is_kept_while_unchanged(tmp_path):
    data = tmp_path / "codes.csv"
    data.write_text("code\n1\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first = files_digest([data], "rules", cache)
    assert files_digest([data], "rules", cache) == first == files_digest([data], "rules", None)
    assert files_digest([data], "other rules", cache) != first
    data.write_text("code\n2\n", encoding="utf-8")  # same size; its time (set back) alone would not tell
    os.utime(data, ns=(1, 1))
    assert files_digest([data], "rules", cache) != first


def test_threads_hashing_files_at_once_keep_every_files_hash(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    files = [tmp_path / f"part-{number}.csv" for number in range(16)]
    for number, path in enumerate(files):
        path.write_text(f"code\n{number}\n", encoding="utf-8")
    cache = tmp_path / "cache"
    with ThreadPoolExecutor(max_workers=8) as threads:  # as the register and the travel model are loaded at once
        hashes = list(threads.map(lambda path: files_digest([path], "rules", cache), files))
    memo = json.loads((cache / "file-digests.json").read_text(encoding="utf-8"))
    assert sorted(memo) == sorted(str(path.resolve()) for path in files)
    assert hashes == [files_digest([path], "rules", None) for path in files]
    assert not [path.name for path in cache.iterdir() if path.name.endswith(".tmp")]
