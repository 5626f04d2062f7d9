"""Journeys between a cohort's homes and the register's settings, each estimated once for a whole candidate table:
children of every need live at the same homes (LSOA centroids) and many settings are in several needs' pools, so a
journey one need's block estimated is read, not estimated again, by the next need's blocks (on England, 21.1
million journeys asked for were 7.0 million distinct ones).

The journeys kept are held a row each (minutes, km, the band's ends and the method, side by side), so reading one
back touches one place in memory, not five; the slots are looked up and the rows read back in compiled passes
(``_slots_of``, ``_keep_new``, ``_read_rows``), whose numpy references are ``slot[home, row]``, that assignment
and ``kept[slots]``."""

import threading

import numba
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
        self._kept = np.empty((0, len(_PARTS)), dtype=np.float64)  # a row a journey, in the order estimated (slots)
        self._dtypes: tuple[np.dtype, ...] | None = None  # the model's dtype of each part
        self._size = 0
        self._lock = threading.Lock()

    def estimate(self, children: np.ndarray, rows: np.ndarray) -> TravelEstimate:
        """The journeys from the homes of ``children`` (positions in the cohort) to the settings at ``rows`` (of
        the index), pair by pair, exactly as the travel model's ``estimate_among`` gives them."""
        home = self._home_of[children]
        if not len(home):
            return self._travel.estimate_among(self._homes, self._settings, home, rows)
        rows = np.asarray(rows, dtype=np.int64)
        with self._lock:  # the slots and the rows they point at, as they stand together
            slot, missing = _slots_of(self._slot, home, rows)
            kept = self._kept
        if missing:
            unknown = slot < 0
            wanted = unique_sorted(home[unknown].astype(np.int64) * self._slot.shape[1] + rows[unknown])
            new_home, new_row = np.divmod(wanted, self._slot.shape[1])
            found = self._travel.estimate_among(self._homes, self._settings, new_home, new_row)
            with self._lock:
                self._add(new_home, new_row, found)  # those another thread estimated meanwhile are kept as theirs
                slot, _ = _slots_of(self._slot, home, rows)
                kept = self._kept
        return self._journeys_at(kept, slot)  # rows once kept never change (growing copies them): no lock needed

    def let_go(self) -> None:
        """Free the journeys kept, once every block is built (none may be asked for after)."""
        with self._lock:
            self._slot = np.full((0, self._slot.shape[1]), -1, dtype=np.int32)
            self._home_of = np.zeros(0, dtype=self._home_of.dtype)
            self._kept, self._size = np.empty((0, len(_PARTS)), dtype=np.float64), 0

    def _journeys_at(self, kept: np.ndarray, slot: np.ndarray) -> TravelEstimate:
        """The journeys ``kept`` at ``slot``, in the model's dtypes."""
        if self._dtypes is None:
            raise RuntimeError("no journey has been estimated yet")
        minutes, km, low, high, method = _read_rows(kept, slot)
        return TravelEstimate(*(values.astype(dtype, copy=False) for values, dtype in zip(
            (minutes, km, low, high, method), self._dtypes, strict=True)))

    def _add(self, home: np.ndarray, row: np.ndarray, journeys: TravelEstimate) -> None:
        """Keep the new journeys not kept yet (the lock held)."""
        parts = [np.asarray(getattr(journeys, name)) for name in _PARTS]
        dtypes = tuple(values.dtype for values in parts)
        self._dtypes = self._dtypes or dtypes
        if dtypes != self._dtypes or not all(_held_exactly(dtype) for dtype in dtypes):
            raise TypeError("shared journeys need a travel model whose parts keep one dtype that float64 holds")
        end = self._size + len(home)  # at most
        if end > len(self._kept):  # room for twice as many
            grown = np.empty((max(end, 2 * self._size), len(_PARTS)), dtype=np.float64)
            grown[:self._size] = self._kept[:self._size]
            self._kept = grown
        self._size = _keep_new(self._slot, self._kept, self._size, home, row, *parts)


_PARTS = ("minutes", "km", "low_minutes", "high_minutes", "method")


def _held_exactly(dtype: np.dtype) -> bool:
    """Whether float64 holds every value of ``dtype`` as it is (floats up to 64 bits, integers up to 32)."""
    return (dtype.kind == "f" and dtype.itemsize <= 8) or (dtype.kind in "iub" and dtype.itemsize <= 4)


@numba.njit(cache=True, nogil=True)
def _slots_of(slot: np.ndarray, home: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, int]:
    """``slot[home, row]`` pair by pair, and how many are not estimated yet (-1)."""
    found = np.empty(len(home), dtype=np.int32)
    missing = 0
    for pair in range(len(home)):
        found[pair] = slot[home[pair], row[pair]]
        missing += found[pair] < 0
    return found, missing


@numba.njit(cache=True, nogil=True)
def _keep_new(slot: np.ndarray, kept: np.ndarray, size: int, home: np.ndarray, row: np.ndarray, minutes: np.ndarray,
              km: np.ndarray, low: np.ndarray, high: np.ndarray, method: np.ndarray) -> int:
    """Keep each journey not kept yet as the next row of ``kept`` (from ``size``) and note its slot; the new size.
    Its numpy reference: the rows where ``slot[home, row] < 0`` written to ``kept[size:]``, and their slots."""
    for journey in range(len(home)):
        if slot[home[journey], row[journey]] < 0:
            kept[size, 0] = minutes[journey]
            kept[size, 1] = km[journey]
            kept[size, 2] = low[journey]
            kept[size, 3] = high[journey]
            kept[size, 4] = method[journey]
            slot[home[journey], row[journey]] = size
            size += 1
    return size


@numba.njit(cache=True, nogil=True)
def _read_rows(kept: np.ndarray, slot: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                            np.ndarray]:
    """The columns of ``kept[slot]`` (minutes, km, the band's ends, the method), each row read once."""
    n = len(slot)
    minutes, km, low, high, method = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    for pair in range(n):
        at = slot[pair]
        minutes[pair] = kept[at, 0]
        km[pair] = kept[at, 1]
        low[pair] = kept[at, 2]
        high[pair] = kept[at, 3]
        method[pair] = kept[at, 4]
    return minutes, km, low, high, method
