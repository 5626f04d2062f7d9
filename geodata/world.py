"""The published data folder (laid out like ``../shared/data``) as one object a process: each table is read the first
time it is asked for and kept, so a run, a forecast and the pages read each published file once; a file changed on
disk since (its size or time) is read again. Callers get their own copy, so nothing one changes reaches another.

``world(data_dir)`` gives the folder's world; ``World.reads`` counts the reads of each file (for tests and benches).
Council files a user gives (``geodata.user_files``) are not published tables and are read as given, each time.
"""

import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geodata.tables import check_columns, read_csv_checked

if TYPE_CHECKING:
    import geopandas as gpd


class World:
    """One published data folder, its tables read once and kept."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.reads: Counter[str] = Counter()
        self._tables: dict[tuple, pd.DataFrame] = {}
        self._lock = threading.Lock()

    def csv(self, relative: Path | str, required: Iterable[str] = (), **options: object) -> pd.DataFrame:
        """The CSV file at ``relative`` (read with ``options``, as ``read_csv_checked`` reads it), checked for the
        ``required`` columns; a copy of the one read."""
        path = self.data_dir / relative
        frame = self._kept(path, ("csv", tuple(sorted((name, repr(value)) for name, value in options.items()))),
                           lambda: read_csv_checked(path, (), **options))  # type: ignore[arg-type]
        check_columns(path, frame, required)
        return frame.copy()

    def geojson(self, relative: Path | str) -> "gpd.GeoDataFrame":
        """The GeoJSON file at ``relative``; a copy of the one read."""
        path = self.data_dir / relative
        import geopandas as gpd  # only where a boundary file is read: a start from the cache folder reads none

        return self._kept(path, ("geojson",), lambda: gpd.read_file(path)).copy()

    def _kept(self, path: Path, how: tuple, read):  # type: ignore[no-untyped-def]
        stamp = path.stat() if path.exists() else None
        key = (str(path), how, None if stamp is None else (stamp.st_mtime_ns, stamp.st_size))
        with self._lock:  # the pages' background thread and a request may ask at once
            if key not in self._tables:
                self._tables[key] = read()
                self.reads[str(path.relative_to(self.data_dir))] += 1
            return self._tables[key]


_WORLDS: dict[Path, World] = {}
_WORLDS_LOCK = threading.Lock()


def world(data_dir: Path | str) -> World:
    """The world of a published data folder, one a process."""
    folder = Path(data_dir).resolve()
    with _WORLDS_LOCK:
        return _WORLDS.setdefault(folder, World(folder))


def forget(data_dir: Path | str) -> None:
    """Let a folder's tables go (its next world reads each file again): for a process that is told its data moved."""
    with _WORLDS_LOCK:
        _WORLDS.pop(Path(data_dir).resolve(), None)
