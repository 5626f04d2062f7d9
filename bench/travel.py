"""Benchmark: the national travel model against the routed national matrix and Rutland's road network.

Prints:
1. Leave-one-region-out cross-validation of the national travel model (``matcher.national_travel``): fitted on
   eight regions' journeys, tested on the ninth, for each region in turn. Journeys are the routed matrix's, every
   English LSOA to every English hospital site, less the matrix's fixed 5.8-minute overhead plus the model's
   1.2-minute access; evaluated where the straight line is up to 80 km and the journey up to 120 minutes (school
   runs): median absolute relative error, median ratio, the share on the wrong side of 45 and of 75 minutes, and
   the share inside the band. The targets are 10%, 5% and 5%.
   Then the same journeys with the end corrections (``matcher.travel_ends``), without leaks: the sites fall in
   five folds, and a journey to a site of one fold reads only its ends' journeys to the other folds' sites (the
   destination's end is the LSOA nearest the site, as a school's LSOA would be); the corrections' weights and the
   corrected bands are fitted on the other eight regions. Last, the weights fitted on all of England and the
   bands from the cross-validation, the model's ``END_WEIGHTS`` and ``END_BAND_CELLS``.
2. Rutland: the model without and with the end corrections against Rutland's road graph, every Rutland LSOA
   centroid to every provider Rutland hosts.
3. The road graph's build and cached read, and the road table's time.
Needs ../shared/data (or PLACEWISE_DATA). About eight minutes on two cores.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DATA = Path(os.environ.get("PLACEWISE_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"))
TARGETS = {"median error": 0.10, "wrong side of 45": 0.05, "wrong side of 75": 0.05}
FOLDS = 5
FOLD_SEED = 27700


def fit_weights(km: np.ndarray) -> np.ndarray:
    """1/sqrt(count) in 30 log-distance bins from 0.2 to 100 km, so long journeys do not outweigh short ones."""
    bins = np.digitize(np.log(np.maximum(km, 0.2)), np.linspace(np.log(0.2), np.log(100), 30))
    return 1 / np.sqrt(np.bincount(bins)[bins])


def metrics(predicted: np.ndarray, actual: np.ndarray, low: np.ndarray, high: np.ndarray) -> dict[str, float]:
    error = np.abs(predicted - actual) / actual
    return {"journeys": float(len(actual)), "median error": float(np.median(error)),
            "median ratio": float(np.median(predicted / actual)),
            "wrong side of 45": float(np.mean((predicted > 45) != (actual > 45))),
            "wrong side of 75": float(np.mean((predicted > 75) != (actual > 75))),
            "inside the band": float(np.mean((actual >= low) & (actual <= high)))}


def cross_validate() -> None:
    from geodata.density import load_density_grid
    from geodata.travel_matrix import load_journeys
    from matcher.national_travel import (
        ACCESS_MINUTES,
        COEFFICIENTS,
        design_terms,
        estimate_minutes,
        fit_bands,
        fit_coefficients,
        journey_densities,
    )

    started = time.perf_counter()
    journeys = load_journeys(DATA)
    grid = load_density_grid(DATA)
    km, o5, d5, middle, m10 = journey_densities(grid, journeys.origin_easting, journeys.origin_northing,
                                                journeys.destination_easting, journeys.destination_northing)
    terms = np.column_stack(design_terms(km, o5, d5, middle, m10))
    driving = journeys.driving_minutes
    actual = driving + ACCESS_MINUTES
    fitted, school = km <= 100, (km <= 80) & (actual <= 120)
    weights = fit_weights(km)
    ends = EndEvidence(journeys)
    base, corrected = ({name: np.full(len(actual), np.nan) for name in ("minutes", "low", "high")} for _ in "ab")
    corrected_ratio = np.full(len(actual), np.nan)
    for region in np.unique(journeys.region):
        train, test = fitted & (journeys.region != region), fitted & (journeys.region == region)
        coefficients = fit_coefficients(terms[train], np.log(driving[train]), weights[train])
        residual = np.log(driving) - terms @ coefficients
        bands = fit_bands(np.exp(residual[train]), km[train], middle[train])
        base["minutes"][test], base["low"][test], base["high"][test] = estimate_minutes(
            km[test], o5[test], d5[test], middle[test], m10[test], coefficients, bands)
        end_terms = ends.terms(residual, fitted)
        combination = fit_coefficients(end_terms[train], residual[train], weights[train])
        shift = end_terms @ combination
        end_bands = fit_bands(np.exp(residual - shift)[train], km[train], middle[train])
        corrected["minutes"][test], corrected["low"][test], corrected["high"][test] = estimate_minutes(
            km[test], o5[test], d5[test], middle[test], m10[test], coefficients, end_bands, shift[test])
        corrected_ratio[test] = np.exp(residual - shift)[test]
    print(f"Leave-one-region-out cross-validation: {len(actual):,} journeys, {school.sum():,} of school-run length "
          f"(straight line <= 80 km, <= 120 minutes); each journey's end corrections from its ends' journeys to "
          f"sites of the {FOLDS - 1} other folds of {FOLDS}; {time.perf_counter() - started:.0f} s")
    for label, model in (("distance and density", base), ("with the end corrections", corrected)):
        print(f"\n{label}:")
        report(model, actual, school, journeys.region)
    residual = np.log(driving) - terms @ COEFFICIENTS
    end_terms = ends.terms(residual, fitted)
    combination = fit_coefficients(end_terms[fitted], residual[fitted], weights[fitted])
    print(f"\nEnd weights fitted on England (END_WEIGHTS): {np.round(combination, 4).tolist()}")
    print("Bands of the corrected model from the cross-validation (END_BAND_CELLS):")
    print(np.round(fit_bands(corrected_ratio[fitted], km[fitted], middle[fitted]), 4).tolist())


def report(model: dict[str, np.ndarray], actual: np.ndarray, school: np.ndarray, region: np.ndarray) -> None:
    header = ["journeys", "median error", "median ratio", "wrong side of 45", "wrong side of 75", "inside the band"]
    print(f"{'region':26}" + "".join(f"{name:>18}" for name in header))
    for name in [*np.unique(region), "England"]:
        chosen = school & ((region == name) if name != "England" else True)
        row = metrics(model["minutes"][chosen], actual[chosen], model["low"][chosen], model["high"][chosen])
        print(f"{name:26}" + "".join(f"{row[column]:>18,.0f}" if column == "journeys" else f"{row[column]:>18.1%}"
                                     if column != "median ratio" else f"{row[column]:>18.3f}" for column in header))
    overall = metrics(model["minutes"][school], actual[school], model["low"][school], model["high"][school])
    print("Targets: " + "; ".join(f"{name} {overall[name]:.1%} (target {target:.0%}: "
                                  f"{'met' if overall[name] <= target else 'missed'})"
                                  for name, target in TARGETS.items()))


class EndEvidence:
    """The end corrections' terms of every journey, without its own site's evidence: the sites fall in ``FOLDS``
    folds, and a journey to a site of one fold reads tables of its ends' journeys to the other folds' sites only
    (its destination's from the LSOA nearest the site, as a school's would be)."""

    def __init__(self, journeys) -> None:  # type: ignore[no-untyped-def]
        self.journeys = journeys
        rows, sites = journeys.origin.max() + 1, journeys.site.max() + 1
        self.easting, self.northing = np.full(rows, np.nan), np.full(rows, np.nan)
        self.easting[journeys.origin], self.northing[journeys.origin] = journeys.origin_easting, \
            journeys.origin_northing
        self.site_easting, self.site_northing = np.zeros(sites), np.zeros(sites)
        self.site_easting[journeys.site], self.site_northing[journeys.site] = journeys.destination_easting, \
            journeys.destination_northing
        self.fold = np.random.default_rng(FOLD_SEED).permutation(sites) % FOLDS
        self.located = np.isfinite(self.easting)

    def terms(self, residual: np.ndarray, chosen: np.ndarray) -> np.ndarray:
        """The terms of each ``chosen`` journey (0 elsewhere), from the journeys' ``residual`` in logs."""
        from matcher.travel_ends import end_table, end_terms

        j = self.journeys
        table = np.full((len(self.easting), len(self.site_easting)), np.nan)
        table[j.origin, j.site] = residual
        out = np.zeros((len(residual), 4))
        for fold in range(FOLDS):
            ends = end_table(self.easting[self.located], self.northing[self.located], self.site_easting,
                             self.site_northing, table[self.located], sources=self.fold != fold)
            rows = np.flatnonzero(chosen & (self.fold[j.site] == fold))
            out[rows] = end_terms(ends, j.origin_easting[rows], j.origin_northing[rows],
                                  j.destination_easting[rows], j.destination_northing[rows])[0]
        return out


def rutland() -> None:
    from geodata.roads import load_road_graph
    from matcher.national_travel import NationalTravel
    from matcher.road_travel import RoadTravel
    from scenarios.inputs import load_inputs
    from scenarios.travel_fit import council_areas, road_table

    cache = Path(tempfile.mkdtemp(prefix="placewise-bench-"))
    pbf = DATA / "roads" / "rutland-latest.osm.pbf"
    started = time.perf_counter()
    graph = load_road_graph(pbf, cache)
    built = time.perf_counter()
    load_road_graph(pbf, cache)
    print(f"\nRutland road graph: {graph.n_nodes:,} nodes, {len(graph.tails):,} edges; build {built - started:.2f} s, "
          f"from cache {(time.perf_counter() - built) * 1000:.1f} ms")
    inputs = load_inputs(DATA)
    areas = council_areas(DATA, "E06000017", graph)
    hosted = inputs.providers[inputs.providers["host_council"] == "E06000017"]
    started = time.perf_counter()
    road = road_table(RoadTravel(graph), areas, hosted, 90.0)
    print(f"Road table: {len(areas)} LSOA centroids x {len(hosted)} providers: {len(road):,} pairs in "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")
    origin, target = areas.loc[road["origin_id"]], hosted.loc[road["provider_id"]]
    by_road = road["travel_minutes"].to_numpy()
    for model in (NationalTravel(inputs.travel.density), inputs.travel):
        journey = model.estimate(origin["easting"].to_numpy(), origin["northing"].to_numpy(),
                                 target["easting"].to_numpy(float), target["northing"].to_numpy(float))
        error = np.abs(journey.minutes - by_road) / by_road
        inside = np.mean((by_road >= journey.low_minutes) & (by_road <= journey.high_minutes))
        print(f"{model.name} against Rutland's road graph ({len(by_road)} pairs): median error "
              f"{np.median(error):.1%} (target 10%: {'met' if np.median(error) <= 0.10 else 'missed'}), median "
              f"ratio {np.median(journey.minutes / by_road):.3f}, 90th percentile error "
              f"{np.percentile(error, 90):.1%}; {inside:.0%} of road times inside the band")


def main() -> None:
    if not (DATA / "travel").is_dir():
        sys.exit(f"real data not found at {DATA}; set PLACEWISE_DATA")
    cross_validate()
    rutland()


if __name__ == "__main__":
    main()
