"""Disk cache of derived tables (pandas frames and series) as one NumPy archive: each column an array, no pickles,
so a cache file holds data only and cannot run code when it is read.

A table is kept only where it comes back exactly as it went in (its columns plain numbers, pandas' nullable
numbers, text, or tuples of text; checked by reading it back before it is written); any other table set is built
each time and not kept. The archive is written with ``geodata.travel_cache.keep_arrays``, named by a hash of
everything it depends on, as the travel tables are.
"""

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd

from geodata.travel_cache import keep_arrays, read_arrays

log = logging.getLogger(__name__)
Table: TypeAlias = pd.DataFrame | pd.Series
Tables = dict[str, Table]
MISSING = {"none": None, "nan": np.nan, "na": pd.NA}


def cached_tables(cache_dir: Path | None, name: str, build: Callable[[], Tables]) -> Tables:
    """The tables stored under ``name`` in the cache folder, or ``build()``'s, stored there for next time."""
    if cache_dir is None:
        return build()
    path = Path(cache_dir) / f"{name}.npz"
    stored = read_arrays(path)
    if stored is not None:
        return decode_tables(stored)
    tables = build()
    arrays = encode_tables(tables)
    if arrays is None:
        log.info("%s: tables not kept (a column the cache cannot hold exactly)", name)
        return tables
    keep_arrays(path, arrays)
    return tables


def encode_tables(tables: Tables) -> dict[str, np.ndarray] | None:
    """The tables as named arrays and a JSON description, or None where one would not come back exactly."""
    arrays: dict[str, np.ndarray] = {}
    layout: dict[str, dict] = {}
    try:
        for name, table in tables.items():
            frame = table.to_frame() if isinstance(table, pd.Series) else table
            levels = [frame.index.get_level_values(level) for level in range(frame.index.nlevels)]
            parts = [pd.Series(level.array, dtype=level.dtype, copy=False) for level in levels]
            parts += [frame.iloc[:, column].reset_index(drop=True) for column in range(frame.shape[1])]
            columns = []
            for number, values in enumerate(parts):
                kind = _encode_column(values, f"{name}/{number}", arrays)
                columns.append({"kind": kind, "dtype": str(values.dtype)})
            series = isinstance(table, pd.Series)
            layout[name] = {"series": series, "name": table.name if series else None,
                            "index": list(frame.index.names), "columns": list(frame.columns), "layout": columns}
        arrays["layout"] = np.array(json.dumps(layout))
        decoded = decode_tables(arrays)
    except (TypeError, ValueError):
        return None
    if any(array.dtype == object for array in arrays.values()):  # an archive is read without pickles
        return None
    for name, table in tables.items():
        if not _same(table, decoded[name]):
            return None
    return arrays


def decode_tables(arrays: dict[str, np.ndarray]) -> Tables:
    """The tables ``encode_tables`` described, from its arrays."""
    tables: Tables = {}
    for name, spec in json.loads(str(arrays["layout"])).items():
        values = [_decode_column(column, f"{name}/{number}", arrays) for number, column in enumerate(spec["layout"])]
        levels = len(spec["index"])
        index = (pd.Index(values[0], name=spec["index"][0]) if levels == 1
                 else pd.MultiIndex.from_arrays(values[:levels], names=spec["index"]))
        frame = pd.concat(values[levels:], axis=1, keys=range(len(values) - levels)) if len(values) > levels else (
            pd.DataFrame(index=range(len(index))))
        frame.index, frame.columns = index, pd.Index(spec["columns"])
        tables[name] = frame.iloc[:, 0].rename(spec["name"]) if spec["series"] else frame
    return tables


def _encode_column(values: pd.Series, key: str, arrays: dict[str, np.ndarray]) -> str:
    array = values.array
    if isinstance(values.dtype, np.dtype) and values.dtype != object:
        arrays[key] = values.to_numpy()
        return "plain"
    if hasattr(array, "_data") and hasattr(array, "_mask"):  # pandas' nullable numbers and booleans
        arrays[key], arrays[f"{key}/mask"] = np.asarray(array._data), np.asarray(array._mask)
        return "masked"
    items = values.tolist()
    if all(isinstance(item, tuple) and all(isinstance(part, str) for part in item) for item in items):
        arrays[key] = np.array([part for item in items for part in item], dtype=str)
        arrays[f"{key}/lengths"] = np.array([len(item) for item in items], dtype=np.int64)
        return "tuples"
    missing = [_missing_kind(item) for item in items]
    if not all(kind is not None or isinstance(item, str) for kind, item in zip(missing, items, strict=True)):
        raise TypeError(f"column {values.name!r}: values the cache cannot hold")
    arrays[key] = np.array(["" if kind else item for kind, item in zip(missing, items, strict=True)], dtype=str)
    arrays[f"{key}/missing"] = np.array([kind or "" for kind in missing], dtype=str)
    return "text"


def _decode_column(column: dict, key: str, arrays: dict[str, np.ndarray]) -> pd.Series:
    return pd.Series(_decode_values(column, key, arrays), dtype=column["dtype"], copy=False)


def _decode_values(column: dict, key: str, arrays: dict[str, np.ndarray]) -> object:
    kind, dtype = column["kind"], column["dtype"]
    if kind == "plain":
        return arrays[key]
    if kind == "masked":
        return pd.api.types.pandas_dtype(dtype).construct_array_type()(arrays[key], arrays[f"{key}/mask"])
    if kind == "tuples":
        parts = arrays[key].tolist()
        ends = np.cumsum(arrays[f"{key}/lengths"]).tolist()
        starts = [0, *ends[:-1]] if ends else []
        tuples = np.empty(len(ends), dtype=object)
        tuples[:] = [tuple(parts[start:end]) for start, end in zip(starts, ends, strict=True)]
        return tuples
    texts = [MISSING[flag] if flag else text for text, flag in zip(arrays[key].tolist(),
                                                                   arrays[f"{key}/missing"].tolist(), strict=True)]
    return np.array(texts, dtype=object)


def _missing_kind(item: object) -> str | None:
    if item is None:
        return "none"
    if item is pd.NA:
        return "na"
    if isinstance(item, float) and np.isnan(item):
        return "nan"
    return None


def _same(original: Table, decoded: Table) -> bool:
    try:
        if isinstance(original, pd.Series):
            pd.testing.assert_series_equal(decoded, original, check_exact=True)
        else:
            pd.testing.assert_frame_equal(decoded, original, check_exact=True)
    except AssertionError:
        return False
    return True
