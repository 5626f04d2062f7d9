"""Journeys between a cohort's homes and the register's settings, each estimated once for a whole candidate table:
children of every need live at the same homes (LSOA centroids) and many settings are in several needs' pools, so a
journey one need's block estimated is read, not estimated again, by the next need's blocks (on England, 21.1
million journeys asked for were 7.0 million distinct ones)."""

import threading

import numpy as np

from core.arrays import unique_sorted
from matcher.travel.protocol import TravelEstimate, TravelModel


class SharedJourneys:
    """The journeys from a cohort's homes to an index's settings estimated so far, and those not yet estimated
    estimated when first asked for; safe to share between the threads that build a table's blocks."""

    def __init__(self, travel: TravelModel, child_easting: np.ndarray, child_northing: np.ndarray,
                 setting_easting: np.ndarray, setting_northing: np.ndarray) -> None:
        points = np.asarray(child_easting, dtype=float) + 1j * np.asarray(child_northing, dtype=float)
        homes, home_of = np.unique(points, return_inverse=True)  # a point as one number: quicker than rows (axis=0)
        self._travel = travel
        self._home_of = home_of.ravel()  # each child's home
        self._homes = (homes.real.copy(), homes.imag.copy())
        self._settings = (np.asarray(setting_easting, dtype=float), np.asarray(setting_northing, dtype=float))
        self._slot = np.full((len(homes), len(setting_easting)), -1, dtype=np.int32)  # -1: not estimated yet
        self._kept: TravelEstimate | None = None  # the journeys estimated, in the order they were (slots)
        self._size = 0
        self._lock = threading.Lock()

    def estimate(self, children: np.ndarray, rows: np.ndarray) -> TravelEstimate:
        """The journeys from the homes of ``children`` (positions in the cohort) to the settings at ``rows`` (of
        the index), pair by pair, exactly as the travel model's ``estimate_among`` gives them."""
        home = self._home_of[children]
        if not len(home):
            return self._travel.estimate_among(self._homes, self._settings, home, rows)
        with self._lock:
            slot = self._slot[home, rows]
        missing = slot < 0
        if missing.any():
            wanted = unique_sorted(home[missing].astype(np.int64) * self._slot.shape[1] + rows[missing])
            new_home, new_row = np.divmod(wanted, self._slot.shape[1])
            found = self._travel.estimate_among(self._homes, self._settings, new_home, new_row)
            with self._lock:
                fresh = self._slot[new_home, new_row] < 0  # another thread may have estimated some meanwhile
                if fresh.all():
                    self._add(new_home, new_row, found)
                else:
                    self._add(new_home[fresh], new_row[fresh], found[np.flatnonzero(fresh)])
                slot[missing] = self._slot[home[missing], rows[missing]]
        with self._lock:
            return self._kept_journeys[slot]

    def let_go(self) -> None:
        """Free the journeys kept, once every block is built (none may be asked for after)."""
        with self._lock:
            self._slot = np.full((0, self._slot.shape[1]), -1, dtype=np.int32)
            self._home_of = np.zeros(0, dtype=self._home_of.dtype)
            self._kept, self._size = None, 0

    @property
    def _kept_journeys(self) -> TravelEstimate:
        if self._kept is None:
            raise RuntimeError("no journey has been estimated yet")
        return self._kept

    def _add(self, home: np.ndarray, row: np.ndarray, journeys: TravelEstimate) -> None:
        """Keep new journeys (the lock held)."""
        end = self._size + len(home)
        if self._kept is None or end > len(self._kept.minutes):  # room for twice as many, in the model's dtypes
            grown = TravelEstimate(*(np.empty(max(end, 2 * self._size), dtype=getattr(journeys, name).dtype)
                                     for name in _PARTS))
            for name in _PARTS:
                if self._kept is not None:
                    getattr(grown, name)[:self._size] = getattr(self._kept, name)[:self._size]
            self._kept = grown
        for name in _PARTS:
            getattr(self._kept, name)[self._size:end] = getattr(journeys, name)
        self._slot[home, row] = np.arange(self._size, end, dtype=np.int32)
        self._size = end


_PARTS = ("minutes", "km", "low_minutes", "high_minutes", "method")
