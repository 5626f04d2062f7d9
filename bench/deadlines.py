"""Benchmark: solver deadlines kept. A MIP given a few seconds on London's whole cohort returns within a second of
its limit, with its best solution, status and gap (or no solution within the limit).

Run, from the project's root:
    .venv/bin/python bench/deadlines.py [--limit 3] [--budget-share 0]

London's 33 councils, every child of school age in a specialist placement (SEN2), the lexicographic policy (travel
first) so the MIP is the method. Prints the solve's wall time against its limit, and the status and gap.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)
DATA = ROOT.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=3.0)
    parser.add_argument("--budget-share", type=float, default=0.0, help="a total budget as a share of the cost of "
                        "placing everyone at the band (0: none)")
    arguments = parser.parse_args()

    from geodata.councils import load_council_regions
    from matcher.allocation.allocate import SolveSettings, allocate
    from matcher.allocation.capacity import capacities_from_providers
    from matcher.allocation.cohort_candidates import build_candidate_table
    from matcher.candidates import longest_cap_minutes
    from matcher.provider_index import build_provider_index
    from scenarios.cohort import children_from_frame
    from scenarios.inputs import load_inputs
    from scenarios.provider_pool import add_beyond, scenario_providers
    from scenarios.run import _cohort
    from scenarios.schema import parse_scenario

    regions = load_council_regions(DATA)
    councils = sorted(regions.index[regions == "E12000007"])
    policy = {"objective": "lexicographic", "priority": ["travel"]}
    scenario = parse_scenario({"name": "London", "data": str(DATA), "councils": councils,
                               "cohort": {"synthetic": True, "seed": 1}, "policy": policy,
                               "solver": {"method": "mip", "time_limit_seconds": arguments.limit}}, Path("london"))
    inputs = load_inputs(DATA)
    cohort = _cohort(scenario, inputs, None, [])
    children = children_from_frame(cohort)
    providers = add_beyond(scenario_providers(scenario, inputs), scenario, inputs, cohort,
                           inputs.travel.reach_km(longest_cap_minutes(children, scenario.policy)))
    table = build_candidate_table(children, build_provider_index(providers), scenario.policy, inputs.travel,
                                  inputs.costs)
    if arguments.budget_share:
        budget = arguments.budget_share * len(children) * inputs.costs.band_for("national")
        scenario = scenario.model_copy(update={"policy": scenario.policy.model_copy(update={"budget_gbp": budget})})
    started = time.perf_counter()
    allocation = allocate(table, capacities_from_providers(providers), scenario.policy,
                          SolveSettings("mip", arguments.limit))
    seconds = time.perf_counter() - started
    placed = int((allocation.chosen_arc >= 0).sum())
    print(f"London: {len(children):,} children, {len(providers):,} providers, {len(table.child):,} arcs")
    print(f"MIP with a {arguments.limit:g} s limit: returned in {seconds:.2f} s (target {arguments.limit + 1:g} s: "
          f"{'met' if seconds <= arguments.limit + 1 else 'missed'}); status {allocation.status}, gap "
          f"{allocation.gap:.4g}, {placed:,} placed")


if __name__ == "__main__":
    main()
