"""The national travel model's formula and its fitted figures: car minutes from straight-line distance and how
built-up the journey's ends and middle are, with a band (the 10th to 90th percentile) on every estimate.

Fitted on the routed car times from every English LSOA to the hospital sites (``../shared/data/travel``; about 1.5
million journeys of up to 150 km straight), by median regression in logs, weighted so that long journeys do not
outweigh short ones:

    ln T = b0 + b1 l + sum_k h_k max(0, l - ln k) + c_o Lo + c_d Ld + c_m Lm + c_10 L10 + l (e_o Lo + e_d Ld +
           e_m Lm + e_10 L10)

with l = ln(max(km, 0.2)) for the straight-line km, knots k at 2, 5, 15 and 40 km, Lo = ln(1 + o5), Ld = ln(1 +
d5), Lm = ln(1 + (o5 + m5 + d5) / 3), L10 = ln(1 + m10), where o5, d5 and m5 count LSOA centroids within 5 km of
the origin, the destination and the midpoint, and m10 within 10 km of the midpoint (``geodata.density``).

T is the routed time less the matrix's fixed 5.8 minutes a journey (its authors' calibration against journeys as
driven: parking, loading, the first and last few hundred metres). A journey's minutes are

    minutes = access + T x bias[cell],   band = access + T x bias[cell] x (q10[cell], q90[cell])

with ``access`` that same 5.8 minutes: routed school runs the model never saw bear it (leaving it out made short
trips 35% too quick and the mean journey 4.8 minutes too quick on them, issue 22). ``bias`` corrects the mean by
cell of straight-line distance (0-2, 2-5, 5-10, 10-20, 20-40, 40-80, 80+ km) and density (up to 40, 150, beyond:
(o5 + m5 + d5) / 3), so short trips and long rural trips are neither quick nor slow on average; q10 and q90 are
the 10th and 90th percentiles of actual over corrected in the cell, so the band holds the routed time 8 times in
10 wherever the journey lies.

Every fitted figure (coefficients, end weights, bias and band cells) is one small table packaged with the code,
``matcher/travel/national_fit.json``, written by ``tools/fit_travel.py`` (``scenarios.travel_calibration``), whose
cross-validation holds out the origin's region and the destination's fold of sites together;
``bench/travel.py`` prints the calibration on those holdouts by region and distance band.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from geodata.density import DensityGrid
from matcher.travel.national_compiled import log_driving_sum
from matcher.travel.protocol import DISTANCE, ROUTED_ENDS, TravelEstimate

KNOTS_KM = (2.0, 5.0, 15.0, 40.0)
LOG_KNOTS = tuple(np.log(knot) for knot in KNOTS_KM)
LOG_KNOTS_ARRAY = np.array(LOG_KNOTS)
#: The cells' edges: straight-line km (rows: up to 2, 5, 10, 20, 40, 80 km, beyond) and density (columns: up to
#: 40, 150, beyond, of (o5 + m5 + d5) / 3).
DISTANCE_BANDS_KM = np.array([2.0, 5.0, 10.0, 20.0, 40.0, 80.0])
DENSITY_BANDS = np.array([40.0, 150.0])
BAND_LEVELS = (10.0, 90.0)
FIT_FILE = Path(__file__).with_name("national_fit.json")
Variant = str  # "formula" (distance and density alone) or "ends" (with the routed journeys of each end)


@dataclass(frozen=True, eq=False)
class TravelFit:
    """The model's fitted figures: ``cells[variant]`` is distance bands x density bands x (bias, q10, q90)."""

    access_minutes: float
    coefficients: np.ndarray
    end_weights: np.ndarray
    cells: dict[str, np.ndarray]
    source: str  # where the figures come from, in words

    def to_json(self) -> dict:
        return {"access_minutes": self.access_minutes, "coefficients": np.round(self.coefficients, 6).tolist(),
                "end_weights": np.round(self.end_weights, 6).tolist(),
                "cells": {name: np.round(values, 5).tolist() for name, values in self.cells.items()},
                "source": self.source}

    @classmethod
    def from_json(cls, content: dict) -> "TravelFit":
        return cls(float(content["access_minutes"]), np.asarray(content["coefficients"], dtype=float),
                   np.asarray(content["end_weights"], dtype=float),
                   {name: np.asarray(values, dtype=float) for name, values in content["cells"].items()},
                   str(content["source"]))


@cache
def packaged_fit() -> TravelFit:
    """The fitted table packaged with the code (read once a process)."""
    return TravelFit.from_json(json.loads(FIT_FILE.read_text(encoding="utf-8")))


def design_terms(km: np.ndarray, o5: np.ndarray, d5: np.ndarray, middle: np.ndarray,
                 m10: np.ndarray) -> list[np.ndarray]:
    """The formula's terms, in the order of ``TravelFit.coefficients``."""
    log_km = np.log(np.maximum(km, 0.2))
    lo, ld, lm, l10 = np.log1p(o5), np.log1p(d5), np.log1p(middle), np.log1p(m10)
    hinges = [np.maximum(0.0, log_km - log_knot) for log_knot in LOG_KNOTS]
    return [np.ones_like(log_km), log_km, *hinges, lo, ld, lm, l10, lo * log_km, ld * log_km, lm * log_km,
            l10 * log_km]


def band_cell(km: np.ndarray, middle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each journey's cell of the fitted cells: its distance band and density band."""
    return (np.searchsorted(DISTANCE_BANDS_KM, km, side="right"),
            np.searchsorted(DENSITY_BANDS, middle, side="right"))


def journey_densities(density: DensityGrid, oe: np.ndarray, on: np.ndarray, de: np.ndarray, dn: np.ndarray,
                      ends: tuple[np.ndarray, np.ndarray] | None = None,
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each journey's straight-line km and its densities o5, d5, middle ((o5 + m5 + d5) / 3) and m10 (``ends``:
    each journey's o5 and d5 where the caller has counted them place by place)."""
    me, mn = (oe + de) / 2.0, (on + dn) / 2.0
    if ends is not None:
        o5, d5 = ends
    else:
        if len(oe) and oe.min() == oe.max() and on.min() == on.max():  # one origin (a shortlist): count it once
            o5 = np.full(len(oe), density.count_at(float(oe[0]), float(on[0]), 5.0))
        else:
            o5 = density.count(oe, on, 5.0)
        d5 = density.count(de, dn, 5.0)
    m5, m10 = density.count_radii(me, mn, (5.0, 10.0))
    return np.hypot(de - oe, dn - on) / 1000.0, o5, d5, (o5 + m5 + d5) / 3.0, m10


def log_driving(km: np.ndarray, o5: np.ndarray, d5: np.ndarray, middle: np.ndarray, m10: np.ndarray,
                coefficients: np.ndarray) -> np.ndarray:
    """ln T, the formula's estimate of the driving minutes: the coefficients times ``design_terms``, summed in the
    terms' order (``matcher.travel.national_compiled``, from numpy's logarithms)."""
    log_km = np.log(np.maximum(km, 0.2))
    logs: tuple[np.ndarray, ...] = (log_km, np.log1p(o5), np.log1p(d5), np.log1p(middle), np.log1p(m10))
    if any(np.shape(values) != np.shape(log_km) for values in logs):  # one shape, as most callers give: as they are
        logs = np.broadcast_arrays(*logs)
    length, lo, ld, lm, l10 = (np.ascontiguousarray(values, dtype=float).ravel() for values in logs)
    return log_driving_sum(np.asarray(coefficients, dtype=float), length, lo, ld, lm, l10,
                           LOG_KNOTS_ARRAY).reshape(logs[0].shape)


def with_band(driving: np.ndarray, cell: np.ndarray, access_minutes: float,
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minutes by car (the access plus the driving, corrected by the cell's bias) with the band's low and high
    ends, from a cell of the fitted cells (bias, q10, q90)."""
    corrected = driving * cell[..., 0]
    return (access_minutes + corrected, access_minutes + corrected * cell[..., 1],
            access_minutes + corrected * cell[..., 2])


def with_spread_band(driving: np.ndarray, cell: np.ndarray, spread: np.ndarray, access_minutes: float,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As ``with_band``, the band's ends exp(q x spread) times the corrected driving minutes: a corrected journey's
    cell holds the percentiles of ln(actual / corrected) over its ends' spread (``matcher.travel.ends``)."""
    corrected = driving * cell[..., 0]
    return (access_minutes + corrected, access_minutes + corrected * np.exp(cell[..., 1] * spread),
            access_minutes + corrected * np.exp(cell[..., 2] * spread))


def estimate_minutes(km: np.ndarray, o5: np.ndarray, d5: np.ndarray, middle: np.ndarray, m10: np.ndarray,
                     fit: TravelFit | None = None, variant: Variant = "formula", shift: np.ndarray | float = 0.0,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minutes by car with the band's low and high ends, from straight-line km and the densities (and an end
    correction's ``shift`` to ln T, read with the ``ends`` cells)."""
    fit = fit or packaged_fit()
    return with_band(np.exp(log_driving(km, o5, d5, middle, m10, fit.coefficients) + shift),
                     fit.cells[variant][band_cell(km, middle)], fit.access_minutes)


def journeys_from_terms(fit: TravelFit, densities: tuple[np.ndarray, ...],
                        ends: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> TravelEstimate:
    """The national model's journeys from their straight-line km and densities (``journey_densities``: km, o5, d5,
    middle, m10) and, with the routed matrix loaded, their end terms (``matcher.travel.ends.end_terms``: terms,
    whether corrected, spread): the corrected minutes and band where corrected, the formula's elsewhere."""
    km, o5, d5, middle, m10 = densities
    if ends is None:
        minutes, low, high = estimate_minutes(km, o5, d5, middle, m10, fit)
        return TravelEstimate(minutes, km_by_road(km), low, high, np.full(km.shape, DISTANCE, dtype=np.int8))
    terms, corrected, spread = ends
    cell = band_cell(km, middle)
    driving = np.exp(log_driving(km, o5, d5, middle, m10, fit.coefficients) + terms @ fit.end_weights)
    minutes, low, high = with_spread_band(driving, fit.cells["ends"][cell], spread, fit.access_minutes)
    if not corrected.all():  # the formula's band where neither end has an LSOA near it (none, from most homes)
        plain = with_band(driving, fit.cells["formula"][cell], fit.access_minutes)
        minutes, low, high = (np.where(corrected, value, other) for value, other in zip((minutes, low, high), plain,
                                                                                          strict=True))
    method = np.where(corrected, ROUTED_ENDS, DISTANCE).astype(np.int8)
    return TravelEstimate(minutes, km_by_road(km), low, high, method)


#: Road km over straight-line km: Rutland's graph gives 1.298
#: (``matcher.travel.straight_line.CALIBRATED_STRAIGHT_LINE``).
CIRCUITY = 1.3


def km_by_road(straight_km: np.ndarray) -> np.ndarray:
    """The journey's length by road, for transport costs (the straight line times the circuity)."""
    return straight_km * CIRCUITY
