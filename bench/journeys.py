"""Benchmark: the journeys and transport costs of every region's run, one region at a time.

Runs each of the nine region scenarios (``scenarios/library/regions/``: each region's councils of
``scenarios/library/england.yaml``, run like ``north-east.yaml``) in this process, one after another, and prints
per region: children placed, the share of placed children over 80 km, over their cap on the central estimate and
over 45 minutes, and modelled transport against s251 per council (median, share within 0.5-2.0, all councils
together). Then the targets of issue 22 across the regions, and the national transport component's calibration on
councils held out (``scenarios.transport_calibration``).

Run: ``python bench/journeys.py [--regions south-west,london]``. Needs ../shared/data (or PLACEWISE_DATA); about
30 s a region on two cores.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("PLACEWISE_DATA", ROOT.parent / "shared" / "data"))
REGIONS = ROOT / "scenarios" / "library" / "regions"


def run_region(path: Path) -> dict:
    from scenarios.run import run_scenario
    from scenarios.schema import load_scenario

    started = time.perf_counter()
    scenario = load_scenario(path)
    run = run_scenario(scenario.model_copy(update={"data": str(DATA.resolve())}))
    kpis = run.kpis
    journeys, transport = kpis["journeys"], kpis["transport_against_s251"]
    return {"region": path.stem, "children": kpis["children"], "placed": kpis["placed"],
            "over_80_km": journeys.get("share_over_80_km", 0.0), "over_cap": journeys.get("share_over_cap", 0.0),
            "over_45": journeys.get("share_over_45_minutes", 0.0),
            "uncertain_only": journeys.get("placed_only_through_uncertain_journey", 0),
            "ratios": {council: row["ratio"] for council, row in transport.get("by_council", {}).items()},
            "share_ratios": {council: row["ratio_at_run_share"] for council, row in
                             transport.get("by_council", {}).items()},
            "modelled": sum(row["modelled_gbp"] for row in transport.get("by_council", {}).values()),
            "s251": sum(row["s251_gbp"] for row in transport.get("by_council", {}).values()),
            "seconds": time.perf_counter() - started}


def show(row: dict) -> None:
    ratios = np.array(list(row["ratios"].values()))
    print(f"{row['region']:26}{row['children']:>9,}{row['placed'] / max(row['children'], 1):>9.1%}"
          f"{row['over_80_km']:>9.1%}{row['over_cap']:>9.1%}{row['over_45']:>9.1%}"
          f"{np.median(ratios):>9.2f}{np.mean((ratios >= 0.5) & (ratios <= 2.0)):>9.0%}"
          f"{row['modelled'] / row['s251']:>9.2f}{row['seconds']:>8.0f}s", flush=True)


def held_out_transport() -> None:
    from scenarios.inputs import load_inputs

    evidence = load_inputs(DATA).costs.transport_evidence
    assert evidence is not None
    ratio = (evidence["held_out_per_child_gbp"] / evidence["per_child_gbp"]).to_numpy()
    print(f"\nNational transport component on councils held out (10 folds, {len(ratio)} councils): predicted over "
          f"actual spend per eligible child: median {np.median(ratio):.2f}, within 0.5-2.0 "
          f"{np.mean((ratio >= 0.5) & (ratio <= 2.0)):.0%}, median |ln ratio| {np.median(np.abs(np.log(ratio))):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", help="region files' names, comma separated (default: all nine)")
    arguments = parser.parse_args()
    if not (DATA / "travel").is_dir():
        sys.exit(f"real data not found at {DATA}; set PLACEWISE_DATA")
    names = arguments.regions.split(",") if arguments.regions else sorted(path.stem for path in REGIONS.glob("*.yaml"))
    print(f"{'region':26}{'children':>9}{'placed':>9}{'>80 km':>9}{'>cap':>9}{'>45 min':>9}{'T/s251':>9}"
          f"{'in 0.5-2':>9}{'overall':>9}")
    rows = []
    for name in names:
        rows.append(run_region(REGIONS / f"{name}.yaml"))
        show(rows[-1])
    ratios = np.array([ratio for row in rows for ratio in row["ratios"].values()])
    print(f"\nTargets (issue 22), {len(rows)} regions, {len(ratios)} councils:")
    print(f"- every region <= 2% over 80 km: worst {max(row['over_80_km'] for row in rows):.1%} "
          f"({', '.join(row['region'] for row in rows if row['over_80_km'] > 0.02) or 'none over'})")
    print(f"- every region <= 3% over the cap (central estimate): worst {max(row['over_cap'] for row in rows):.1%}")
    south_west = [row for row in rows if row["region"] == "south-west"]
    others = [row["over_45"] for row in rows if row["region"] != "south-west"]
    if south_west and others:
        gap = south_west[0]["over_45"] - float(np.median(others))
        print(f"- South West over 45 minutes {south_west[0]['over_45']:.1%} against the others' median "
              f"{np.median(others):.1%}: {gap * 100:+.1f} points (target within 3)")
    print(f"- transport / s251, median council {np.median(ratios):.2f} (target 0.8-1.25); within 0.5-2.0 "
          f"{np.mean((ratios >= 0.5) & (ratios <= 2.0)):.0%} of councils (target >= 80%)")
    shares = np.array([ratio for row in rows for ratio in row["share_ratios"].values()])
    print(f"  at the run's share (s251 x the run's children / the eligible children it rests on): median council "
          f"{np.median(shares):.2f}; within 0.5-2.0 {np.mean((shares >= 0.5) & (shares <= 2.0)):.0%}")
    for region in ("london", "south-west"):
        for row in rows:
            if row["region"] == region:
                print(f"- {region} overall {row['modelled'] / row['s251']:.2f} (target 0.67-1.5)")
    print(f"- children placed only through an uncertain journey: {sum(row['uncertain_only'] for row in rows)}")
    held_out_transport()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
