"""Benchmark: all of England in one run (scenarios/library/england.yaml), phase by phase, with peak memory.

Run, from the project's root:
    .venv/bin/python bench/national.py [--scenario scenarios/library/england.yaml] [--share 1.0] [--cache DIR | --cold]

Prints each phase's wall and CPU time (inputs, cohort, providers, the candidate table, the allocation solved part by
part, the independent checker, the KPIs), the arcs and parts, the peak memory of the process (VmHWM), and a bare
OR-Tools ``SimpleMinCostFlow`` on the network the allocation solved last, as one network (the same arcs, and the
same shared nodes for interchangeable children unless ``--one-node-a-child``): what the allocation's flow is
measured against. Targets: 20 s end to end and 3 GiB; the flow within 1.5 times the bare solve; 0 checker problems.

The inputs and the cohort are loaded as ``placewise run`` loads them: through the cache folder (the ``cache``
setting, ``PLACEWISE_CACHE``, unless ``--cache`` names another), where the register, costs, SEN2 counts and travel
tables are kept once built; ``--cold`` builds everything afresh, keeping nothing.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)


def peak_gib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 2**20
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "library" / "england.yaml")
    parser.add_argument("--share", type=float, default=1.0)
    parser.add_argument("--exact", action="store_true", help="keep every arc (no best_arcs_per_child)")
    parser.add_argument("--best", type=int, help="keep each child's best N arcs (instead of the scenario's)")
    parser.add_argument("--one-node-a-child", action="store_true",
                        help="no shared nodes for interchangeable children (the flow as it was)")
    parser.add_argument("--cache", type=Path, help="the cache folder (default: the cache setting, as placewise run)")
    parser.add_argument("--cold", action="store_true", help="no cache folder: build every input afresh")
    arguments = parser.parse_args()

    from api.settings import Settings
    from core.memory import release_freed_memory
    from matcher.allocation.allocate import SolveSettings, allocate
    from matcher.allocation.capacity import capacities_from_providers
    from matcher.allocation.check import check_allocation
    from matcher.allocation.cohort_candidates import build_candidate_table
    from matcher.allocation.components import part_network
    from matcher.allocation.flow import solve_network
    from matcher.candidates import longest_cap_minutes
    from matcher.provider_index import build_provider_index
    from scenarios.kpis import compute_kpis
    from scenarios.provider_pool import add_beyond, scenario_providers
    from scenarios.run import _draw, _load
    from scenarios.schema import load_scenario

    phases: dict[str, tuple[float, float]] = {}  # wall and CPU seconds (the machine is shared: wall counts waiting)
    started = clock = time.perf_counter()
    started_cpu = cpu_clock = time.process_time()

    def phase(name: str) -> None:
        nonlocal clock, cpu_clock
        now, cpu = time.perf_counter(), time.process_time()
        phases[name] = (now - clock, cpu - cpu_clock)
        clock, cpu_clock = now, cpu

    scenario = load_scenario(arguments.scenario)
    if arguments.share != 1.0:
        scenario = scenario.model_copy(update={"cohort": scenario.cohort.model_copy(update={"share": arguments.share})})
    if arguments.exact:
        scenario = scenario.model_copy(update={"solver": scenario.solver.model_copy(
            update={"best_arcs_per_child": None})})
    if arguments.best is not None:
        scenario = scenario.model_copy(update={"solver": scenario.solver.model_copy(
            update={"best_arcs_per_child": arguments.best})})
    cache = None if arguments.cold else arguments.cache or Settings().cache
    inputs, travel = _load(scenario, cache, None, 30)  # as scenarios.run.run_scenario loads them
    phase("inputs (register, costs, densities)")
    warnings: list[str] = []
    cohort, children = _draw(scenario, inputs, None, warnings, cache)
    phase("cohort (drawn from SEN2, validated)")
    reach = travel.reach_km(longest_cap_minutes(children, scenario.policy))
    providers = add_beyond(scenario_providers(scenario, inputs), scenario, inputs, cohort, reach, cache)
    index = build_provider_index(providers)
    phase("providers and their index")
    table = build_candidate_table(children, index, scenario.policy, travel, inputs.costs,
                                  best_arcs=scenario.solver.best_arcs_per_child)
    n_children = len(children)
    del children  # as scenarios.run does: the table holds what the solve needs, and the freed heap goes back
    release_freed_memory()
    phase("candidate table")
    capacities = capacities_from_providers(providers)
    grouped = not arguments.one_node_a_child
    allocation_cpu = time.process_time()  # CPU seconds too: the machine is shared, and wall time counts waiting
    allocation = allocate(table, capacities, scenario.policy,
                          SolveSettings(time_limit_seconds=3_600, group_children=grouped))
    allocation_cpu = time.process_time() - allocation_cpu
    cut_arcs, reserve = len(table.child), len(table.reserve.child) if table.reserve is not None else 0
    del table  # as scenarios.run does: the allocation holds the table it solved
    release_freed_memory()
    phase("allocation")
    problems = check_allocation(allocation.assignments(), allocation.table.arcs_frame(), providers, scenario.policy)
    phase("independent checker")
    kpis = compute_kpis(allocation, cohort)
    phase("KPIs")
    total, total_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    memory = peak_gib()

    bare_started = time.perf_counter()
    solved = allocation.table  # the kept arcs and any the pricing brought in: the network the allocation solved last
    network, values, groups = part_network(solved, capacities, grouped)
    built, bare_cpu = time.perf_counter(), time.process_time()
    solve_network(network, values)
    bare_solve, bare_cpu = time.perf_counter() - built, time.process_time() - bare_cpu
    nodes = f"{groups.n_groups:,} shared nodes for {solved.n_children:,} children" if groups else "a node a child"

    print(f"cache folder: {cache or 'none (--cold: every input built afresh)'}")
    print(f"{scenario.name}: {n_children:,} children, {len(providers):,} providers, {cut_arcs:,} arcs "
          f"kept and {reserve:,} left out to price, "
          f"{int(allocation.parameters.get('parts', 1)):,} parts; {len(warnings)} warnings")
    print(f"  {'phase':40} {'wall':>9} {'CPU':>9}  (load {Path('/proc/loadavg').read_text().split()[0]})")
    for name, (seconds, cpu) in phases.items():
        print(f"  {name:40} {seconds:7.2f} s {cpu:7.2f} s")
    print(f"  {'end to end':40} {total:7.2f} s {total_cpu:7.2f} s (target 20 s: {'met' if total <= 20 else 'missed'})")
    print(f"peak memory {memory:.2f} GiB (target 3 GiB: {'met' if memory <= 3 else 'missed'})")
    flow_seconds = allocation.wall_seconds
    print(f"allocation {flow_seconds:.2f} s ({allocation.method}, {allocation.status}); bare SimpleMinCostFlow on the "
          f"same network ({network.n_arcs:,} candidate arcs, {nodes}) {bare_solve:.2f} s to solve "
          f"(+{built - bare_started:.2f} s to lay out): ratio {flow_seconds / max(bare_solve, 1e-9):.2f} "
          "(target 1.2; the allocation includes any pricing rounds); in CPU seconds "
          f"{allocation_cpu:.2f} against {bare_cpu:.2f}: ratio {allocation_cpu / max(bare_cpu, 1e-9):.2f}")
    print(f"placed {kpis['placed']:,} of {kpis['children']:,}; mean score {kpis['mean_score']:.5f}; total score "
          f"{allocation.objective()['total_score']:,.2f}; best arcs a child: "
          f"{scenario.solver.best_arcs_per_child or 'all'}; checker problems {len(problems)}")
    if "pricing_rounds" in allocation.parameters:
        proof = allocation.parameters
        print(f"pricing proof: {proof['pricing_rounds']} rounds, {int(proof['arcs_priced']):,} arcs left out priced "
              f"in the last, {int(proof['arcs_added']):,} brought in; optimal for every arc: "
              f"{'proven' if proof['proven_optimal_for_all_arcs'] else 'NOT proven'}; the cut alone placed "
              f"{int(proof['cut_alone_placed']):,} (total score {proof['cut_alone_total_score']:,.2f})")


if __name__ == "__main__":
    main()
