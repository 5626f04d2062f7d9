"""Fit the national travel model's figures (``matcher.travel.national_formula``): the formula's coefficients by
median regression in logs, and each cell's bias and band; ``scenarios.travel_calibration`` runs them on the routed
matrix."""

import numpy as np

from matcher.travel.national_formula import BAND_LEVELS, DENSITY_BANDS, DISTANCE_BANDS_KM, band_cell


def fit_coefficients(terms: np.ndarray, log_minutes: np.ndarray, weights: np.ndarray,
                     iterations: int = 40) -> np.ndarray:
    """Median regression in logs, by iteratively reweighted least squares (numpy's lstsq on journeys x terms; a
    library's quantile regression does the same on these 800,000 rows more slowly)."""
    root = np.sqrt(weights)
    coefficients = np.linalg.lstsq(terms * root[:, None], log_minutes * root, rcond=None)[0]
    for _ in range(iterations):
        reweighted = np.sqrt(weights / np.maximum(np.abs(log_minutes - terms @ coefficients), 1e-3))
        coefficients = np.linalg.lstsq(terms * reweighted[:, None], log_minutes * reweighted, rcond=None)[0]
    return coefficients


def fit_cells(driving: np.ndarray, estimated: np.ndarray, km: np.ndarray, middle: np.ndarray,
              spread: np.ndarray | None = None, least: int = 50) -> np.ndarray:
    """Each cell's bias (mean actual over mean estimated driving minutes, so the cell's journeys are right on
    average) and its band (the ``BAND_LEVELS`` percentiles of actual over the corrected estimate, or, with each
    journey's ``spread``, of ln(actual over corrected) / spread); a cell with fewer than ``least`` journeys takes its
    distance band's figures over every density, else no correction."""
    distance_bands, density_bands = len(DISTANCE_BANDS_KM) + 1, len(DENSITY_BANDS) + 1
    cells = np.tile(np.array([1.0, 0.0, 0.0] if spread is not None else [1.0, 1.0, 1.0]),
                    (distance_bands, density_bands, 1))
    rows, columns = band_cell(km, middle)

    def figures(inside: np.ndarray) -> np.ndarray:
        bias = float(driving[inside].sum() / estimated[inside].sum())
        ratio = driving[inside] / (estimated[inside] * bias)
        if spread is not None:
            return np.array([bias, *np.percentile(np.log(ratio) / spread[inside], BAND_LEVELS)])
        return np.array([bias, *np.percentile(ratio, BAND_LEVELS)])

    for row in range(distance_bands):
        in_row = rows == row
        for column in range(density_bands):
            inside = in_row & (columns == column)
            if inside.sum() >= least:
                cells[row, column] = figures(inside)
            elif in_row.sum() >= least:
                cells[row, column] = figures(in_row)
    return cells
