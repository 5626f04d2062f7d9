"""Run a scenario end to end: inputs, deltas, cohort, candidates, allocation, checker, KPIs, files."""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from core.memory import release_freed_memory
from geodata.councils import check_council_codes
from geodata.demo import DEMO_COUNCILS
from geodata.user_files import load_transport_cost_file
from matcher.allocation.allocate import SolveSettings, allocate
from matcher.allocation.capacity import capacities_from_providers
from matcher.allocation.check import check_allocation
from matcher.allocation.cohort_candidates import build_candidate_table
from matcher.allocation.components import Mapper
from matcher.allocation.result import Allocation
from matcher.allocation.wishes import STAY
from matcher.candidates import longest_cap_minutes
from matcher.child import Child, parse_child
from matcher.costs import CostModel
from matcher.precision import round_frame, round_record
from matcher.provider_index import build_provider_index
from matcher.solve_control import SolveControl
from matcher.travel.protocol import TravelModel
from scenarios.baseline import compare_with_today, summarise_baseline
from scenarios.calibration import load_reference
from scenarios.cohort import children_from_frame, grow_demand, read_cohort_csv, synthetic_cohort
from scenarios.finance import cost_basis
from scenarios.inputs import Inputs, UserFiles, council_codes, load_inputs, locate_child, road_travel
from scenarios.kpis import compute_kpis, transport_against_s251
from scenarios.packages_config import load_catalogue
from scenarios.provider_pool import add_beyond, scenario_providers
from scenarios.schema import Scenario
from scenarios.sen2_sanity import check_sen2_figures
from scenarios.spreadsheet import safe_frame
from scenarios.transparency.fairness import fairness_table
from scenarios.vacancy_evidence import apply_reports, evidence_counts

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, eq=False)
class ScenarioRun:
    scenario: Scenario
    source: str
    providers: pd.DataFrame
    cohort: pd.DataFrame
    allocation: Allocation
    kpis: dict
    problems: tuple[str, ...] = ()  # what the independent checker found (nothing, unless a solver is wrong)
    warnings: tuple[str, ...] = ()  # what the data could not give and how it was filled (councils named)
    baseline: pd.DataFrame | None = None  # each child's setting today beside the proposed (``scenarios.baseline``)
    cost_basis: dict | None = None  # what the costs rest on (``scenarios.finance.cost_basis``)

    @cached_property
    def fairness(self) -> pd.DataFrame:
        """Outcomes by group (``scenarios.transparency.fairness``), worked out once for fairness.csv and the report."""
        return fairness_table(self.allocation.assignments(), self.cohort)


def run_scenario(scenario: Scenario, progress: Progress | None = None, max_children: int | None = None,
                 control: SolveControl | None = None, cache_dir: Path | None = None,
                 mapper: Mapper = map, vacancy_reports: pd.DataFrame | None = None,
                 vacancy_max_age_days: int = 30) -> ScenarioRun:
    """Run one scenario; bad input fails before any solving, an over-subscribed one is a result.

    The scenario's ``solver.time_limit_seconds`` covers the whole run, from this call: loading the data, the
    cohort, the candidates and each stage of the solve take what remains of it, never a fresh limit. Where it runs
    out before any solving, ``TimeLimitReached`` says how far the run got; once solving, the solve stops with its
    best solution, and the allocation's status and ``stopped_by`` say so (the checker and KPIs then still run, on
    what was found). ``max_children`` caps the cohort (the ``max_children`` setting); ``control`` carries the cancel
    flag and, where it has one, an earlier deadline (a job's, from its start); ``cache_dir`` keeps built road graphs
    for next time; ``mapper`` solves the flow's parts (the
    built-in ``map`` in this process, or ``scenarios.cluster.client_mapper`` on Dask); ``vacancy_reports`` (the
    service's stored reports, ``scenarios.vacancy_evidence.REPORT_COLUMNS``) lay the settings' and councils' own
    figures over the register, each with its evidence in ``providers.csv`` and counted in the KPIs.
    """
    control = (control or SolveControl()).part(scenario.solver.time_limit_seconds)
    inputs, travel = control.call_or_stop(  # loading cannot stop part way, so it runs beside the deadline's watch
        lambda: _load(scenario, cache_dir, vacancy_reports, vacancy_max_age_days), "loading the data")
    warnings: list[str] = []
    cohort, children = control.call_or_stop(lambda: _draw(scenario, inputs, max_children, warnings, cache_dir),
                                            "drawing the cohort")
    policy = scenario.policy
    providers = add_beyond(scenario_providers(scenario, inputs), scenario, inputs, cohort,
                           travel.reach_km(longest_cap_minutes(children, policy)), cache_dir)
    index = build_provider_index(providers)
    costs = scenario_costs(scenario, inputs)
    table = build_candidate_table(children, index, policy, travel, costs, progress=progress,
                                  best_arcs=scenario.solver.best_arcs_per_child, control=control)
    del children  # the table holds what the solve needs (a national cohort's children are a third of a GiB)
    release_freed_memory()
    if scenario.capacity == "vacancies":  # a child staying put holds its own place, not one of the free ones
        stays = np.bincount(table.provider[table.priority == STAY], minlength=table.n_providers)
        free = pd.to_numeric(providers["vacancies"], errors="coerce").fillna(0).clip(lower=0)
        providers = providers.assign(vacancies=(free + stays).astype("Int64"))
    capacities = capacities_from_providers(providers)
    solver = scenario.solver
    allocation = allocate(table, capacities, policy, SolveSettings(solver.method, solver.time_limit_seconds,
                                                                   solver.workers, solver.seed), control, mapper)
    del table  # the cut and its reserve: the allocation holds the table it solved (England's peak is the checker's)
    release_freed_memory()
    problems = check_allocation(allocation.assignments(), allocation.table.arcs_frame(), providers, policy)
    if problems:  # a defect in a solver, never the user's input: keep the run, mark it, and say so
        log.error("the independent checker found %d problems; see checker_problems.txt in the run's folder",
                  len(problems))
        allocation = replace(allocation, status="invalid")
    reference = (load_reference(inputs.data_dir, scenario.councils, cache_dir)
                 if inputs.data_dir is not None and "drawn_as" in cohort else None)
    kpis = compute_kpis(allocation, cohort, providers, reference)
    kpis["transport_against_s251"] = transport_against_s251(allocation.assignments(), costs)
    kpis["checker_problems"] = len(problems)
    if vacancy_reports is not None and not vacancy_reports.empty:
        kpis["vacancy_evidence"] = evidence_counts(inputs.providers, vacancy_max_age_days)
    kpis["data"] = inputs.source
    kpis["travel_model"] = travel.name
    baseline = compare_with_today(cohort, index, policy, travel, costs, allocation)
    if baseline is not None:
        kpis["baseline"] = summarise_baseline(baseline, len(cohort))
    if warnings:
        kpis["warnings"] = warnings
        for warning in warnings:
            log.warning("%s", warning)
    return ScenarioRun(scenario, inputs.source, providers, cohort, allocation, kpis, tuple(problems), tuple(warnings),
                       baseline, cost_basis(costs))


def _load(scenario: Scenario, cache_dir: Path | None, vacancy_reports: pd.DataFrame | None,
          vacancy_max_age_days: int) -> tuple[Inputs, TravelModel]:
    """The scenario's inputs (with the vacancy reports laid over the register) and its travel model."""
    inputs = load_inputs(scenario.data_dir(), UserFiles(settings=scenario.settings_file()), cache_dir=cache_dir)
    if vacancy_reports is not None and not vacancy_reports.empty:
        inputs = replace(inputs, providers=apply_reports(inputs.providers, vacancy_reports, date.today(),
                                                         vacancy_max_age_days))
    _check_councils(scenario, inputs)
    roads = scenario.roads_file()
    travel: TravelModel = inputs.travel if roads is None else road_travel(roads, inputs.travel, cache_dir)
    return inputs, travel


def _draw(scenario: Scenario, inputs: Inputs, max_children: int | None, warnings: list[str],
          cache_dir: Path | None) -> tuple[pd.DataFrame, list[Child]]:
    """The scenario's cohort, as a table and as children (what SEN2 could not give added to ``warnings``)."""
    if inputs.data_dir is not None and scenario.cohort.synthetic:
        warnings.extend(check_sen2_figures(inputs.data_dir, scenario.councils, cache_dir))
    cohort = _cohort(scenario, inputs, max_children, warnings, cache_dir)
    return cohort, children_from_frame(cohort)


def scenario_costs(scenario: Scenario, inputs: Inputs) -> CostModel:
    """The inputs' costs, judged against the scenario's price bands (and capped at them by ``cap_prices``)."""
    costs = inputs.costs
    transport = scenario.transport_costs_file()
    if transport is not None:
        costs = costs.with_mode_costs(load_transport_cost_file(transport, council_codes(inputs.data_dir)))
    packages = scenario.packages_file()
    if packages is None:
        return costs
    capped = any(delta.cap_prices for delta in scenario.deltas)
    return costs.with_catalogue(load_catalogue(packages), cap_at_band=capped)


def write_run(run: ScenarioRun, out: Path) -> list[Path]:
    """Write allocation.csv, unplaced.csv, providers.csv (public register data, with each free-place figure's
    evidence where vacancy reports were laid over it), kpis.json, fairness.csv (outcomes by group, aggregates only)
    and scenario.json into ``out`` (created if missing)."""
    out.mkdir(parents=True, exist_ok=True)
    allocation = run.allocation.assignments()
    names = run.providers["name"]
    allocation.insert(4, "provider_name", allocation["provider_id"].map(names))
    evidence = ["vacancies", "vacancies_source", "vacancies_note"] if "vacancies_note" in run.providers else []
    providers = run.providers[["name", "kind", "host_council", "easting", "northing", *evidence]]
    files = {"allocation.csv": allocation, "unplaced.csv": run.allocation.unplaced,
             "providers.csv": providers.reset_index()}
    written = []
    for name, frame in files.items():  # text cells that a spreadsheet would take for formulas are escaped
        safe_frame(round_frame(frame)).to_csv(out / name, index=False)
        written.append(out / name)
    (out / "kpis.json").write_text(json.dumps(round_record(run.kpis), indent=2), encoding="utf-8")
    fairness = round_frame(run.fairness)
    fairness.to_csv(out / "fairness.csv", index=False)
    if run.baseline is not None:  # today's settings beside the proposed, child by child (pseudonymous ids only)
        written.append(out / "baseline.csv")
        safe_frame(round_frame(run.baseline)).to_csv(written[-1], index=False)
    if run.problems:
        (out / "checker_problems.txt").write_text("\n".join(run.problems) + "\n", encoding="utf-8")
    (out / "scenario.json").write_text(run.scenario.model_dump_json(indent=2), encoding="utf-8")
    return [*written, out / "kpis.json", out / "fairness.csv", out / "scenario.json"]


def _check_councils(scenario: Scenario, inputs: Inputs) -> None:
    if inputs.data_dir is not None:
        check_council_codes(inputs.data_dir, scenario.councils)
        return
    unknown = [council for council in scenario.councils if council not in DEMO_COUNCILS.index]
    if unknown:
        raise PlacewiseError(f"councils: {', '.join(unknown)} not among the demo's councils (E06900001-3)")


def _cohort(scenario: Scenario, inputs: Inputs, max_children: int | None, warnings: list[str],
            cache_dir: Path | None = None) -> pd.DataFrame:
    spec = scenario.cohort
    if spec.synthetic and inputs.data_dir is None:
        demo = inputs.demo_children
        assert demo is not None
        cohort = demo[demo["home_council"].isin(scenario.councils) & demo["age"].between(*spec.ages)]
    elif spec.synthetic and inputs.data_dir is not None:
        cohort = synthetic_cohort(inputs.data_dir, scenario.councils, spec, warnings, cache_dir)
    elif spec.stored:
        raise PlacewiseError("cohort.stored: a councils' stored children are a cohort through the service only; "
                             "here give csv: (placewise cohort import-sen2 writes one)")
    else:
        path = spec.csv if spec.csv is None or spec.csv.is_absolute() else scenario.base_dir / spec.csv
        children = list(spec.children) if path is None else [
            parse_child(record, where=f"cohort row {number}") for number, record in enumerate(read_cohort_csv(path),
                                                                                              start=2)]
        outside = [number for number, child in enumerate(children, start=2) if child.home_council not in
                   scenario.councils]
        if outside:
            raise PlacewiseError(f"cohort {path or 'children'} row {outside[0]}: home_council: not one of the "
                                 f"scenario's councils ({len(outside)} rows); add the council to councils: or remove "
                                 "the rows")
        cohort = _located_frame([_locate_row(child, inputs, number) for number, child in enumerate(children, 2)])
    for number, delta in enumerate(scenario.deltas):
        if delta.demand_growth is not None:
            cohort = grow_demand(cohort, {str(k): v for k, v in delta.demand_growth.items()}, spec.seed + number,
                                 f"G{number}")
    if cohort.empty:
        raise PlacewiseError("cohort: no children in these councils and ages; a scenario needs at least one")
    if max_children is not None and len(cohort) > max_children:
        raise PlacewiseError(f"cohort: {len(cohort):,} children; a scenario takes at most {max_children:,} (split the "
                             "sub-region or lower the share)")
    return cohort


def _locate_row(child: Child, inputs: Inputs, row: int) -> Child:
    try:
        return locate_child(child, inputs)
    except PlacewiseError as error:
        raise PlacewiseError(f"cohort row {row}: {error}") from None


def _located_frame(children: list[Child]) -> pd.DataFrame:
    return pd.DataFrame([child.model_dump() for child in children]).set_index("child_id")
