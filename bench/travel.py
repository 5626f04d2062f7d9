"""Benchmark: the national travel model's calibration on routed journeys it never saw.

Prints:
1. The cross-validation of ``scenarios.travel_calibration``: every routed journey of the national matrix (English
   LSOA to English hospital site, up to 150 km straight) estimated by a model fitted without its origin's region
   and without its destination's fold of sites (coefficients, end weights, each cell's bias and band all refitted).
   By region, by distance band (0-5, 5-10, 10-20, 20-40, 40-80, 80+ km) and by region and band: the median error,
   the share of routed minutes inside the band (the 10th to 90th percentile, so 80% is right) and the mean signed
   error (estimate less routed). Targets: median error <= 10%, band coverage 75-85%, |mean signed error| <= 2
   minutes, in every cell.
2. Rutland: a routed sample of school runs on Rutland's road graph (``geodata.roads``): every Rutland LSOA
   centroid to every school in the graph's cover (the register's schools of every kind, not hospitals), the
   graph's minutes plus the matrix's 5.8-minute access (the graph's speeds are the matrix's driving speeds around
   Rutland), against the packaged model with and without the end corrections; the same figures by distance band.
3. The road graph's build and cached read, and the road table's time.
Needs ../shared/data (or PLACEWISE_DATA). About four minutes on two cores.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(os.environ.get("PLACEWISE_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"))
TARGETS = {"median_error": 0.10, "band_coverage": (0.75, 0.85), "mean_signed_error_minutes": 2.0}


def held_out() -> None:
    from scenarios.travel_calibration import calibration_table, cross_validate, distance_band, load_evidence

    started = time.perf_counter()
    evidence = load_evidence(DATA)
    print(f"Routed journeys: {len(evidence.km):,} (up to 150 km straight); evidence in "
          f"{time.perf_counter() - started:.0f} s")
    estimates = cross_validate(evidence, progress=lambda text: print(f"  {text}", flush=True))
    print(f"Cross-validation (origin's region and destination's fold of sites held out together): "
          f"{time.perf_counter() - started:.0f} s")
    for variant, frame in estimates.items():
        frame = frame.assign(band=distance_band(frame["km"].to_numpy()))
        words = "with the end corrections" if variant == "ends" else "distance and density alone"
        print(f"\n== {words} ({variant}) ==")
        show(calibration_table(frame, []), "England")
        show(calibration_table(frame, ["band"]).reindex(BAND_ORDER), "By distance band")
        show(calibration_table(frame, ["region"]), "By region")
        cells = calibration_table(frame, ["region", "band"])
        cells = cells[cells["journeys"] >= 30]
        print(f"\nBy region and band ({len(cells)} cells of 30 journeys or more): " + verdicts(cells))
        for name, worst in (("largest median error", cells["median_error"].idxmax()),
                            ("lowest coverage", cells["band_coverage"].idxmin()),
                            ("highest coverage", cells["band_coverage"].idxmax()),
                            ("most negative mean signed error", cells["mean_signed_error_minutes"].idxmin()),
                            ("most positive mean signed error", cells["mean_signed_error_minutes"].idxmax())):
            row = cells.loc[worst]
            print(f"  {name}: {worst[0]}, {worst[1]} km: median error {row['median_error']:.1%}, coverage "
                  f"{row['band_coverage']:.1%}, mean signed {row['mean_signed_error_minutes']:+.2f} min "
                  f"({row['journeys']:,.0f} journeys)")


BAND_ORDER = ["0-5", "5-10", "10-20", "20-40", "40-80", "80+"]


def show(table: pd.DataFrame, title: str) -> None:
    print(f"\n{title}:")
    print(f"{'':28}{'journeys':>10}{'median error':>14}{'in band':>10}{'mean signed':>13}")
    for name, row in table.iterrows():
        print(f"{str(name):28}{row['journeys']:>10,.0f}{row['median_error']:>14.1%}{row['band_coverage']:>10.1%}"
              f"{row['mean_signed_error_minutes']:>+13.2f}")
    print("  " + verdicts(table))


def verdicts(table: pd.DataFrame) -> str:
    """How many rows meet each target."""
    low, high = TARGETS["band_coverage"]
    met = {"median error <= 10%": (table["median_error"] <= TARGETS["median_error"]).sum(),
           "coverage 75-85%": table["band_coverage"].between(low, high).sum(),
           "|mean signed| <= 2 min": (table["mean_signed_error_minutes"].abs() <= 2.0).sum()}
    return "; ".join(f"{name}: {count} of {len(table)}" for name, count in met.items())


def rutland() -> None:
    from geodata.gias_published import COORDINATES_FILE, GIAS_DIR
    from geodata.roads import load_road_graph
    from geodata.tables import read_csv_checked
    from geodata.travel_matrix import OVERHEAD_MINUTES
    from matcher.travel.national import NationalTravel
    from matcher.travel.roads import RoadTravel
    from scenarios.inputs import national_travel
    from scenarios.travel_calibration import calibration_table, distance_band
    from scenarios.travel_fit import council_areas, road_table

    cache = Path(tempfile.mkdtemp(prefix="placewise-bench-"))
    pbf = DATA / "roads" / "rutland-latest.osm.pbf"
    started = time.perf_counter()
    graph = load_road_graph(pbf, cache)
    built = time.perf_counter()
    load_road_graph(pbf, cache)
    print(f"\nRutland road graph: {graph.n_nodes:,} nodes, {len(graph.tails):,} edges; build {built - started:.2f} s, "
          f"from cache {(time.perf_counter() - built) * 1000:.1f} ms")
    travel = national_travel(DATA.resolve(), None)  # as a run loads it, typed as the national model
    areas = council_areas(DATA, "E06000017", graph)
    schools = read_csv_checked(DATA / GIAS_DIR / COORDINATES_FILE, ["URN", "Easting", "Northing"]).rename(
        columns={"Easting": "easting", "Northing": "northing"}).set_index("URN")[["easting", "northing"]].dropna()
    schools = schools[schools["easting"].between(graph.easting.min() + 2_000, graph.easting.max() - 2_000)
                      & schools["northing"].between(graph.northing.min() + 2_000, graph.northing.max() - 2_000)]
    _, snap = graph.snap(schools["easting"].to_numpy(float), schools["northing"].to_numpy(float))
    schools = schools[snap <= 300.0]
    started = time.perf_counter()
    road = road_table(RoadTravel(graph), areas, schools, 120.0)
    print(f"Routed sample: {len(areas)} LSOA centroids x {len(schools)} schools in the graph's cover: {len(road):,} "
          f"journeys in {(time.perf_counter() - started) * 1000:.0f} ms")
    origin, target = areas.loc[road["origin_id"]], schools.loc[road["provider_id"]]
    routed = road["travel_minutes"].to_numpy() + OVERHEAD_MINUTES
    for model in (NationalTravel(travel.density), travel):
        journey = model.estimate(origin["easting"].to_numpy(), origin["northing"].to_numpy(),
                                 target["easting"].to_numpy(float), target["northing"].to_numpy(float))
        straight = np.hypot(origin["easting"].to_numpy() - target["easting"].to_numpy(float),
                            origin["northing"].to_numpy() - target["northing"].to_numpy(float)) / 1000.0
        frame = pd.DataFrame({"minutes": journey.minutes, "low_minutes": journey.low_minutes,
                              "high_minutes": journey.high_minutes, "routed_minutes": routed,
                              "band": distance_band(straight)})
        show(calibration_table(frame, []), f"{model.name} against Rutland's routed school runs")
        show(calibration_table(frame, ["band"]).reindex([b for b in BAND_ORDER if b in set(frame["band"])]),
             "  by distance band")


def main() -> None:
    if not (DATA / "travel").is_dir():
        sys.exit(f"real data not found at {DATA}; set PLACEWISE_DATA")
    if "--rutland" not in sys.argv:
        held_out()
    rutland()


if __name__ == "__main__":
    main()
