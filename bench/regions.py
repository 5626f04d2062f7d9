"""Every region of England against SEN2: where the children land, child by child, and with whom.

    .venv/bin/python bench/regions.py [--data ../shared/data] [--share 0.1] [--region north-east ...] [--json out]

Runs each region's scenario in ``scenarios/library/regions/`` (its councils, as ``scenarios/library/england.yaml``
lists them) on ``--share`` of its synthetic cohort, one region at a time (``--unit-levels 2 3``: another need-level
assumption for children in units, to compare), and prints per region, with the wall time and the machine's load:

- placed %, and each placement group's share against SEN2's for the same children (the largest gap in points);
- per-child agreement (placed in the group of setting SEN2 had the child in), and by exact kind;
- the need mix of each group, and of each kind, against SEN2's need-by-placement table (the largest gap among
  needs over 5%);
- the residential share against SEN2's;
- children at an independent mainstream school that no council file names, and children in Years 12 to 14 at a
  setting with no post-16 provision (both should be 0: hard rules exclude them).

A small share re-places a part of the children against all of the places, so its shares are easier than the
whole cohort's: the figures of record are at ``--share 1``.
"""

import argparse
import json
import os
import time
from pathlib import Path

import pandas as pd

from matcher.rules import POST16_AGE_HIGH
from scenarios.run import ScenarioRun, run_scenario
from scenarios.schema import NeedLevels, load_scenario

ROOT = Path(__file__).resolve().parents[1]
REGIONS = ROOT / "scenarios" / "library" / "regions"
DATA = ROOT.parent / "shared" / "data"


def rule_breaches(run: ScenarioRun) -> dict[str, int]:
    """Children placed where a hard rule says never: an unnamed independent mainstream school, or post-16 children
    at a setting with no post-16 provision (recounted from the providers table, not from the rules)."""
    rows = run.allocation.assignments().dropna(subset=["provider_id"]).set_index("child_id")
    providers = run.providers.loc[rows["provider_id"].astype(int)]
    named = providers["provision_named"] if "provision_named" in providers else pd.Series(True, index=providers.index)
    no_post16 = providers["post16"].eq(False).fillna(False) | (providers["age_high"] < POST16_AGE_HIGH)
    ncy = run.cohort["ncy"].reindex(rows.index) if "ncy" in run.cohort else run.cohort["age"].reindex(rows.index) - 4
    in_post16 = ncy.between(12, 14).to_numpy()
    return {"unnamed_independent_mainstream": int((~named.astype("boolean").fillna(True)).sum()),
            "post16_without_post16_provision": int((in_post16 & no_post16.to_numpy()).sum())}


def summarise(name: str, run: ScenarioRun, seconds: float) -> dict:
    kpis = run.kpis
    shares = {row["group"]: row for row in kpis.get("calibration", {}).get("rows", [])}
    truth = kpis.get("truth", {})
    need_gaps = {group: mix["largest_gap_points"] for group, mix in truth.get("need_mix", {}).items()}
    kind_gaps = {kind: mix["largest_gap_points"] for kind, mix in truth.get("need_mix_by_kind", {}).items()}
    return {
        "region": name, "children": kpis["children"], "placed_share": kpis["placed"] / max(kpis["children"], 1),
        "share_gaps_points": {group: row["difference_points"] for group, row in shares.items()},
        "largest_share_gap_points": max((abs(row["difference_points"]) for row in shares.values()), default=0.0),
        "per_child_agreement": truth.get("per_child_agreement"),
        "exact_kind_agreement": truth.get("per_child_exact_kind_agreement"),
        "agreement_by_group": truth.get("agreement_by_group"),
        "need_mix_largest_gap_points": need_gaps, "need_mix_by_kind_largest_gap_points": kind_gaps,
        "residential": truth.get("residential"),
        **rule_breaches(run), "warnings": len(run.warnings), "seconds": round(seconds, 1),
        "load_average": round(os.getloadavg()[0], 1),
    }


def print_region(figures: dict) -> None:
    residential = figures["residential"] or {}
    print(f"\n{figures['region']}: {figures['children']:,} children, placed {figures['placed_share']:.1%} "
          f"({figures['seconds']} s, load {figures['load_average']})")
    print("  shares vs SEN2 (points): " + ", ".join(f"{group} {gap:+.1f}" for group, gap in
                                                   figures["share_gaps_points"].items())
          + f"; largest {figures['largest_share_gap_points']:.1f}")
    if figures["per_child_agreement"] is not None:
        print(f"  per-child agreement {figures['per_child_agreement']:.1%} (exact kind "
              f"{figures['exact_kind_agreement']:.1%}); by group: " + ", ".join(
                  f"{group} {share:.1%}" for group, share in figures["agreement_by_group"].items()))
    print("  need mix, largest gap among needs over 5% (points): " + ", ".join(
        f"{group} {gap:.1f}" for group, gap in figures["need_mix_largest_gap_points"].items()))
    print("  by kind: " + ", ".join(f"{kind} {gap:.1f}" for kind, gap in
                                    figures["need_mix_by_kind_largest_gap_points"].items()))
    if residential:
        print(f"  residential {residential['run_share']:.2%} vs SEN2 {residential['sen2_share']:.2%} "
              f"({residential['difference_points']:+.2f} points; {residential['needing_one']} need one)")
    print(f"  at unnamed independent mainstream: {figures['unnamed_independent_mainstream']}; Years 12-14 without "
          f"post-16 provision: {figures['post16_without_post16_provision']}; warnings: {figures['warnings']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--share", type=float, default=0.1)
    parser.add_argument("--region", action="append", help="a region file's name (north-east, ...); all by default")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--unit-levels", type=int, nargs=2, metavar=("LOW", "HIGH"),
                        help="need levels drawn for children in units (cohort.need_levels.unit; default the file's)")
    args = parser.parse_args()
    names = args.region or sorted(path.stem for path in REGIONS.glob("*.yaml"))
    results = []
    for name in names:
        scenario = load_scenario(REGIONS / f"{name}.yaml")
        cohort = scenario.cohort.model_copy(update={"share": args.share})
        if args.unit_levels:
            cohort = cohort.model_copy(update={"need_levels": NeedLevels(special=cohort.need_levels.special,
                                                                         unit=tuple(args.unit_levels))})
        scenario = scenario.model_copy(update={"data": str(args.data.resolve()), "cohort": cohort})
        started = time.perf_counter()
        run = run_scenario(scenario)
        results.append(summarise(name, run, time.perf_counter() - started))
        print_region(results[-1])
        del run
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
