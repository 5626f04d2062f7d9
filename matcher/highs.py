"""HiGHS models built from (row, column, value) triplets, and a HiGHS instance that prints nothing."""

import os
import sys

import highspy
import numpy as np


def column_lp(cost: np.ndarray, rows: np.ndarray, columns: np.ndarray, values: np.ndarray,
              row_lower: np.ndarray, row_upper: np.ndarray) -> highspy.HighsLp:
    """A HiGHS model with 0..1 columns from (row, column, value) triplets; infinite row bounds are free."""
    order = np.argsort(columns, kind="stable")
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(row_lower)
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_, lp.col_upper_ = np.zeros(len(cost)), np.ones(len(cost))
    lp.row_lower_ = np.where(np.isfinite(row_lower), row_lower, -highspy.kHighsInf)
    lp.row_upper_ = np.where(np.isfinite(row_upper), row_upper, highspy.kHighsInf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(np.bincount(columns, minlength=len(cost)))]).astype(np.int32)
    lp.a_matrix_.index_ = rows[order].astype(np.int32)
    lp.a_matrix_.value_ = values[order]
    return lp


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
