"""The national price bands as a cap, measured on a real sub-region: the effect on cost and on placements.

    .venv/bin/python bench/price_bands.py [scenarios/library/north-east-packages.yaml]

Runs the scenario as it is and with the ``cap_prices`` delta (its ``packages:`` file's bands, ILLUSTRATIVE in the
shipped set), then prints the whole, placement and transport cost of each, the children placed, the children
whose setting changes and between which kinds, and the independent and out-of-area shares.
"""

import sys
from pathlib import Path

import pandas as pd

from scenarios.run import run_scenario
from scenarios.schema import Delta, load_scenario

DEFAULT = Path(__file__).resolve().parents[1] / "scenarios" / "library" / "north-east-packages.yaml"


def main(path: Path) -> None:
    scenario = load_scenario(path)
    runs = {"as it is": run_scenario(scenario),
            "capped": run_scenario(scenario.model_copy(update={"deltas": (*scenario.deltas,
                                                                           Delta(cap_prices=True))}))}
    for name in ("children", "placed", "annual_cost_gbp", "placement_cost_gbp", "transport_cost_gbp",
                 "independent_share", "out_of_area_share", "travel_minutes_mean"):
        first, second = (run.kpis[name] for run in runs.values())
        print(f"{name:>22}: {first:>16,.3f} -> {second:>16,.3f} ({second - first:+,.3f})")
    before, after = (run.allocation.assignments() for run in runs.values())
    joined = before.merge(after, on="child_id", suffixes=("_before", "_after"))
    moved = joined["provider_id_before"].fillna(-1) != joined["provider_id_after"].fillna(-1)
    print(f"children whose setting changes: {int(moved.sum()):,} of {len(joined):,}")
    table = pd.crosstab(joined.loc[moved, "kind_before"].fillna("unplaced"),
                        joined.loc[moved, "kind_after"].fillna("unplaced"))
    print(table.to_string())


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
