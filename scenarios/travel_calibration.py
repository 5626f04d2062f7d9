"""Fit the national travel model on the routed matrix and measure it on journeys it never saw.

The evidence (``load_evidence``) is every routed journey from an English LSOA to an English hospital site of up to
``MAX_FIT_KM`` straight (``geodata.travel_matrix``), with its densities and formula terms, and its end corrections'
terms read without its own site: the sites fall in ``SITE_FOLDS`` folds, and a journey to a site of one fold reads
only its ends' journeys to the other folds' sites.

The cross-validation (``cross_validate``) holds out origins and destinations together: for each region and each
fold of sites, the model (coefficients, end weights, each cell's bias and band) is fitted on the journeys from the
other regions to the other folds' sites, and estimates the journeys from that region to that fold's sites. Every
journey is estimated once, by a model that saw neither its origin's region nor its destination.

``fit_travel`` fits the same on every journey: the table ``matcher/travel/national_fit.json`` holds it
(``tools/fit_travel.py`` writes it). ``calibration_table`` summarises estimates against the routed minutes by
region and distance band: the median error, the share inside the band and the mean signed error.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.density import load_density_grid
from geodata.travel_matrix import OVERHEAD_MINUTES, driving_minutes, load_journeys
from matcher.travel.ends import end_table, end_terms
from matcher.travel.national_fitting import fit_cells, fit_coefficients
from matcher.travel.national_formula import TravelFit, design_terms, journey_densities

MAX_FIT_KM = 150.0
SITE_FOLDS = 5
FOLD_SEED = 27700
SAMPLE_SEED = 0
#: Journeys each fold's coefficients are fitted on (a random sample of its training journeys: the fit is a median
#: regression of 14 terms, which a quarter of a million journeys pins down as well as all of them).
FIT_SAMPLE = 300_000
REPORT_BANDS_KM = (0.0, 5.0, 10.0, 20.0, 40.0, 80.0, np.inf)


@dataclass(frozen=True, eq=False)
class Evidence:
    """Routed journeys with what the model reads of each (one entry per journey)."""

    km: np.ndarray  # straight line
    middle: np.ndarray  # (o5 + m5 + d5) / 3
    terms: np.ndarray  # journeys x the formula's terms
    end_terms: np.ndarray  # journeys x 4, from the ends' journeys to other folds' sites
    spread: np.ndarray  # the ends' spread (``matcher.travel.ends.end_spread``), from the same journeys
    routed_minutes: np.ndarray  # as the matrix gives them (its calibration, the fixed overhead included)
    region: np.ndarray  # the origin's region
    site_fold: np.ndarray

    @property
    def driving(self) -> np.ndarray:
        return driving_minutes(self.routed_minutes)

    def weights(self) -> np.ndarray:
        """1/sqrt(count) in 30 log-distance bins from 0.2 km to ``MAX_FIT_KM``, so long journeys, by far the most
        numerous, do not outweigh short ones."""
        return fit_weights(self.km)


def load_evidence(data_dir: Path) -> Evidence:
    """The routed journeys of up to ``MAX_FIT_KM`` straight, their terms, and their end terms out of fold."""
    journeys = load_journeys(Path(data_dir))
    grid = load_density_grid(Path(data_dir))
    km, o5, d5, middle, m10 = journey_densities(grid, journeys.origin_easting, journeys.origin_northing,
                                                journeys.destination_easting, journeys.destination_northing)
    terms = np.column_stack(design_terms(km, o5, d5, middle, m10))
    used = km <= MAX_FIT_KM
    driving = journeys.driving_minutes
    sites = int(journeys.site.max()) + 1
    fold = np.random.default_rng(FOLD_SEED).permutation(sites) % SITE_FOLDS
    first = fit_coefficients(terms[used], np.log(driving[used]), fit_weights(km[used]), iterations=20)
    residual = np.log(driving) - terms @ first
    origins = int(journeys.origin.max()) + 1
    easting, northing = np.full(origins, np.nan), np.full(origins, np.nan)
    easting[journeys.origin], northing[journeys.origin] = journeys.origin_easting, journeys.origin_northing
    site_easting, site_northing = np.zeros(sites), np.zeros(sites)
    site_easting[journeys.site], site_northing[journeys.site] = (journeys.destination_easting,
                                                                 journeys.destination_northing)
    table = np.full((origins, sites), np.nan)
    table[journeys.origin, journeys.site] = residual
    located = np.isfinite(easting)
    ends, spread = np.zeros((len(km), 4)), np.zeros(len(km))
    for at in range(SITE_FOLDS):
        evidence = end_table(easting[located], northing[located], site_easting, site_northing, table[located],
                             sources=fold != at)
        rows = np.flatnonzero(used & (fold[journeys.site] == at))
        ends[rows], _, spread[rows] = end_terms(evidence, journeys.origin_easting[rows],
                                                journeys.origin_northing[rows], journeys.destination_easting[rows],
                                                journeys.destination_northing[rows])
    return Evidence(km[used], middle[used], terms[used], ends[used], spread[used], journeys.minutes[used],
                    np.asarray(journeys.region, dtype=str)[used], fold[journeys.site][used])


def fit_weights(km: np.ndarray) -> np.ndarray:
    """1/sqrt(count) of each journey's log-distance bin."""
    bins = np.digitize(np.log(np.maximum(km, 0.2)), np.linspace(np.log(0.2), np.log(MAX_FIT_KM), 30))
    return 1 / np.sqrt(np.bincount(bins)[bins])


def fit_travel(evidence: Evidence, chosen: np.ndarray | None = None, sample: int | None = FIT_SAMPLE,
               source: str = "") -> TravelFit:
    """Fit coefficients, end weights and both variants' cells on the ``chosen`` journeys (all by default)."""
    chosen = np.ones(len(evidence.km), dtype=bool) if chosen is None else chosen
    rows = np.flatnonzero(chosen)
    if sample is not None and len(rows) > sample:
        rows = np.sort(np.random.default_rng(SAMPLE_SEED).choice(rows, sample, replace=False))
    driving, weights = evidence.driving, evidence.weights()
    coefficients = fit_coefficients(evidence.terms[rows], np.log(driving[rows]), weights[rows], iterations=20)
    formula = evidence.terms[chosen] @ coefficients
    residual = np.log(driving[rows]) - evidence.terms[rows] @ coefficients
    end_weights = fit_coefficients(evidence.end_terms[rows], residual, weights[rows], iterations=20)
    km, middle = evidence.km[chosen], evidence.middle[chosen]
    cells = {"formula": fit_cells(driving[chosen], np.exp(formula), km, middle),
             "ends": fit_cells(driving[chosen], np.exp(formula + evidence.end_terms[chosen] @ end_weights), km,
                               middle, evidence.spread[chosen])}
    return TravelFit(OVERHEAD_MINUTES, coefficients, end_weights, cells, source)


def cross_validate(evidence: Evidence, progress: Callable[[str], None] | None = None) -> dict[str, pd.DataFrame]:
    """Each journey estimated by the model fitted without its origin's region and its destination's fold of
    sites: per variant (``formula``, ``ends``), a frame of minutes, low and high beside the routed minutes.
    ``progress``, where given, hears each region as it is done."""
    estimates = {variant: np.full((len(evidence.km), 3), np.nan) for variant in ("formula", "ends")}
    for region in np.unique(evidence.region):
        for fold in range(SITE_FOLDS):
            test = (evidence.region == region) & (evidence.site_fold == fold)
            if not test.any():
                continue
            fit = fit_travel(evidence, (evidence.region != region) & (evidence.site_fold != fold))
            for variant in estimates:
                estimates[variant][test] = estimate(fit, evidence, test, variant)
        if progress is not None:
            progress(f"{region}: fitted and estimated")
    return {variant: pd.DataFrame({"minutes": values[:, 0], "low_minutes": values[:, 1],
                                   "high_minutes": values[:, 2], "routed_minutes": evidence.routed_minutes,
                                   "km": evidence.km, "region": evidence.region})
            for variant, values in estimates.items()}


def estimate(fit: TravelFit, evidence: Evidence, chosen: np.ndarray, variant: str) -> np.ndarray:
    """Minutes, low and high (columns) of the chosen journeys by a fit's variant."""
    from matcher.travel.national_formula import band_cell, with_band, with_spread_band

    log_t = evidence.terms[chosen] @ fit.coefficients
    cell = fit.cells[variant][band_cell(evidence.km[chosen], evidence.middle[chosen])]
    if variant == "ends":
        log_t = log_t + evidence.end_terms[chosen] @ fit.end_weights
        return np.column_stack(with_spread_band(np.exp(log_t), cell, evidence.spread[chosen], fit.access_minutes))
    return np.column_stack(with_band(np.exp(log_t), cell, fit.access_minutes))


def distance_band(km: np.ndarray) -> np.ndarray:
    """Each journey's reporting band of straight-line km: "0-5", "5-10", ... "80+"."""
    labels = [f"{int(low)}-{int(high)}" if np.isfinite(high) else f"{int(low)}+"
              for low, high in zip(REPORT_BANDS_KM[:-1], REPORT_BANDS_KM[1:], strict=True)]
    return np.asarray(labels, dtype=object)[np.searchsorted(REPORT_BANDS_KM[1:-1], km, side="right")]


def calibration_table(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Journeys, median relative error, the share of routed minutes inside the band and the mean signed error
    (estimate less routed, minutes) of ``frame`` (minutes, low_minutes, high_minutes, routed_minutes and the
    ``by`` columns)."""
    frame = frame.dropna(subset=["minutes"]).assign(
        error=lambda f: (f["minutes"] - f["routed_minutes"]).abs() / f["routed_minutes"],
        inside=lambda f: (f["routed_minutes"] >= f["low_minutes"]) & (f["routed_minutes"] <= f["high_minutes"]),
        signed=lambda f: f["minutes"] - f["routed_minutes"])
    grouped = frame.groupby(by, sort=True) if by else frame.assign(all="England").groupby("all")
    return grouped.agg(journeys=("error", "size"), median_error=("error", "median"),
                       band_coverage=("inside", "mean"), mean_signed_error_minutes=("signed", "mean"))


def fit_source(evidence: Evidence) -> str:
    """Words for where a fit's figures come from."""
    return (f"matcher/travel/national_fit.json (tools/fit_travel.py, {date.today():%Y-%m-%d}: "
            f"{len(evidence.km):,} routed journeys to hospital sites, England)")


def write_fit(fit: TravelFit, path: Path) -> Path:
    """Write a fit as the packaged table's JSON."""
    Path(path).write_text(json.dumps(fit.to_json(), indent=1) + "\n", encoding="utf-8")
    return Path(path)

