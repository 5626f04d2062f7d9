"""HiGHS models built from (row, column, value) triplets, and a HiGHS instance that prints nothing."""

import os
import sys

import highspy
import numpy as np
from scipy import sparse


def pass_column_model(highs: highspy.Highs, cost: np.ndarray, rows: np.ndarray, columns: np.ndarray,
                      values: np.ndarray, row_lower: np.ndarray, row_upper: np.ndarray, integer: bool = False) -> None:
    """Give HiGHS a model with 0..1 columns (binaries where ``integer``) from (row, column, value) triplets;
    infinite row bounds are free.

    The triplets become a column-wise matrix in one linear pass (SciPy's COO to CSC), and the arrays go to HiGHS
    in one call as they are: a model of millions of columns takes a fraction of a second, where setting a
    ``HighsLp``'s fields converts each element in Python and holds the interpreter for seconds.
    """
    n_cols, n_rows = len(cost), len(row_lower)
    matrix = sparse.csc_matrix((np.asarray(values, dtype=float), (np.asarray(rows), np.asarray(columns))),
                               shape=(n_rows, n_cols))
    infinite = highspy.kHighsInf
    status = highs.passModel(
        n_cols, n_rows, matrix.nnz, int(highspy.MatrixFormat.kColwise), int(highspy.ObjSense.kMinimize), 0.0,
        np.asarray(cost, dtype=np.float64), np.zeros(n_cols), np.ones(n_cols),
        np.where(np.isfinite(row_lower), row_lower, -infinite).astype(np.float64),
        np.where(np.isfinite(row_upper), row_upper, infinite).astype(np.float64),
        matrix.indptr[:-1].astype(np.int32), matrix.indices.astype(np.int32), matrix.data.astype(np.float64),
        np.full(n_cols, int(integer), dtype=np.int32))
    if status == highspy.HighsStatus.kError:
        raise ValueError("HiGHS refused the model")  # a bug in the rows built, never the user's input


def quiet_highs() -> highspy.Highs:
    """A HiGHS instance, without the banner its first construction prints on standard output."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highs = highspy.Highs()
            sys.stdout.flush()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return highs
