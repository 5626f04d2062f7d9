"""The end table's compiled reads against the array operations they replace, bit for bit."""

import numpy as np

from matcher.travel.ends import BEARINGS, TABLE_LOG_KM, EndTable, end_terms


def array_read(table: EndTable, rows: np.ndarray, bearing: np.ndarray,
               log_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The read as array operations: the reference the compiled read keeps to."""
    known = (rows >= 0) & np.isfinite(bearing) & np.isfinite(log_km)
    bearing, log_km = np.where(known, bearing, 0.0), np.where(known, log_km, 0.0)
    at = np.clip(np.interp(log_km, TABLE_LOG_KM, np.arange(len(TABLE_LOG_KM))), 0, len(TABLE_LOG_KM) - 1)
    k0 = np.minimum(at.astype(int), len(TABLE_LOG_KM) - 2)
    fk = at - k0
    turn = np.mod(bearing, 2 * np.pi) / (2 * np.pi) * BEARINGS
    b0 = np.floor(turn).astype(int) % BEARINGS
    b1, fb = (b0 + 1) % BEARINGS, turn - np.floor(turn)
    safe = np.maximum(rows, 0)
    flat, distances = table.toward.ravel(), len(TABLE_LOG_KM)
    at0, at1 = (safe * BEARINGS + b0) * distances + k0, (safe * BEARINGS + b1) * distances + k0
    toward = ((1 - fb) * ((1 - fk) * flat.take(at0) + fk * flat.take(at0 + 1))
              + fb * ((1 - fk) * flat.take(at1) + fk * flat.take(at1 + 1)))
    around_at = safe * distances + k0
    around = (1 - fk) * table.around.ravel().take(around_at) + fk * table.around.ravel().take(around_at + 1)
    return np.where(known, toward, 0.0), np.where(known, around, 0.0)


def random_table(rng: np.random.Generator, lsoas: int = 50) -> EndTable:
    return EndTable(rng.uniform(400_000, 500_000, lsoas), rng.uniform(200_000, 300_000, lsoas),
                    rng.uniform(-1, 1, (lsoas, BEARINGS, len(TABLE_LOG_KM))).astype(np.float32),
                    rng.uniform(-1, 1, (lsoas, len(TABLE_LOG_KM))).astype(np.float32),
                    rng.uniform(0, 0.3, lsoas).astype(np.float32))


def test_reads_are_those_of_the_array_operations_bit_for_bit():
    rng = np.random.default_rng(5)
    table = random_table(rng)
    count = 20_000
    rows = rng.integers(-1, 50, count)
    bearing = rng.uniform(-4 * np.pi, 4 * np.pi, count)
    log_km = rng.uniform(TABLE_LOG_KM[0] - 1, TABLE_LOG_KM[-1] + 1, count)
    # the edges: the table's own points, whole turns, and journeys unknown
    log_km[:len(TABLE_LOG_KM)] = TABLE_LOG_KM
    bearing[:9] = np.arange(-4, 5) * np.pi
    bearing[20:24] = np.array([-0.0, 2 * np.pi, np.nextafter(2 * np.pi, 0), np.nextafter(-2 * np.pi, 0)])
    bearing[30], log_km[31], rows[32] = np.nan, np.nan, -1
    for got, expected in zip(table.read(rows, bearing, log_km), array_read(table, rows, bearing, log_km),
                             strict=True):
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got.view(np.int64), expected.view(np.int64))


def test_end_terms_read_each_end_as_the_array_operations_do():
    rng = np.random.default_rng(6)
    table = random_table(rng)
    count = 500
    origin = rng.uniform(400_000, 500_000, count), rng.uniform(200_000, 300_000, count)
    destination = rng.uniform(400_000, 500_000, count), rng.uniform(200_000, 300_000, count)
    terms, _, _ = end_terms(table, *origin, *destination)
    dx, dy = destination[0] - origin[0], destination[1] - origin[1]
    log_km, bearing = np.log(np.maximum(np.hypot(dx, dy) / 1000.0, 0.2)), np.arctan2(dy, dx)
    rows = table.nearest(*origin), table.nearest(*destination)
    expected = np.column_stack([*array_read(table, rows[0], bearing, log_km),
                                *array_read(table, rows[1], bearing + np.pi, log_km)])
    assert (rows[0] >= 0).any() and (rows[0] < 0).any()
    np.testing.assert_array_equal(terms.view(np.int64), expected.view(np.int64))
