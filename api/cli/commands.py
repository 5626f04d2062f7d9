"""The ``placewise`` command line: shortlists, the provider register and the demo, as tables or JSON."""

import json
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from api.cli.common import DataOption, clear_errors, console, errors, split
from api.cli.service import keys_app, serve, users_app, worker
from core.errors import PlacewiseError
from core.vocabulary import KINDS, SPECIAL_KINDS
from geodata.councils import councils_in_region
from geodata.roads import load_road_graph
from geodata.sen2 import load_plan_series
from matcher.child import parse_child
from matcher.road_travel import RoadTravel
from matcher.shortlist import Shortlist, build_shortlister
from scenarios.forecast import backtest, forecast_plans
from scenarios.inputs import demo_child, load_inputs, locate_child
from scenarios.kpis import compare_kpis
from scenarios.planning_run import run_plan
from scenarios.reports.maps import run_layers, shortlist_layers, write_html, write_map, write_png
from scenarios.reports.plan_report import write_forecast, write_plan, write_sweep
from scenarios.reports.run_report import write_report
from scenarios.run import ScenarioRun, run_scenario, write_run
from scenarios.schema import Scenario, load_scenario
from scenarios.sweep import run_sweep

app = typer.Typer(help="Placewise: explained placement shortlists for children with EHC plans.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
app.command()(worker)
app.command()(serve)
app.add_typer(keys_app, name="keys")
app.add_typer(users_app, name="users")
ExtractOption = Annotated[Path | None, typer.Option("--gias-extract", help="Your own full GIAS extract "
                                                    "(edubasealldata*.csv, Windows-1252).")]
VacancyOption = Annotated[Path | None, typer.Option("--vacancies", help="CSV: provider_id, need, vacancies.")]
TariffOption = Annotated[Path | None, typer.Option("--tariff", help="CSV: provider_id or kind, [need], "
                                                   "[need_level], annual_cost_gbp.")]
DEMO_CHILDREN = ("DEMO-0004",)
DEMO_SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "library" / "demo.yaml"


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")
    if not verbose:  # Dask's scheduler and workers report every start and connection at INFO
        for name in ("distributed", "dask"):
            logging.getLogger(name).setLevel(logging.WARNING)


@app.command()
def shortlist(
    child: Annotated[Path, typer.Option("--child", help="One child as JSON, with the architecture's field names.")],
    k: Annotated[int, typer.Option("-k", help="How many settings to list.")] = 10,
    data: DataOption = None, gias_extract: ExtractOption = None, vacancies: VacancyOption = None,
    tariff: TariffOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    roads: Annotated[Path | None, typer.Option("--roads", help="An OpenStreetMap extract (.osm.pbf): road travel "
                                               "times where it covers the child.")] = None,
    map_file: Annotated[Path | None, typer.Option("--map", help="Also draw the shortlist: a .png or .html file.")
                        ] = None,
) -> None:
    """Print a ranked, explained shortlist of settings for one child."""
    with clear_errors():
        record = _read_child_file(child)
        inputs = load_inputs(data, gias_extract, vacancies, tariff)
        located = locate_child(parse_child(record, where=str(child)), inputs)
        travel = None if roads is None else RoadTravel(load_road_graph(roads), label=f"road network ({roads.name})")
        result = build_shortlister(inputs.providers, travel=travel, costs=inputs.costs).shortlist(located, k)
        if map_file is not None:
            assert located.easting is not None and located.northing is not None
            layers = shortlist_layers(result.candidates, inputs.providers, inputs.data_dir, located.home_council,
                                      (located.easting, located.northing), located.child_id)
            errors.print(f"Wrote {write_map(layers, map_file)}")
        if as_json:
            console.print_json(json.dumps(result.to_dict()))
        else:
            _print_shortlist(result, f"{inputs.source}; {len(inputs.providers):,} providers")


@app.command()
def register(data: DataOption = None, gias_extract: ExtractOption = None, vacancies: VacancyOption = None,
             out: Annotated[Path | None, typer.Option("--out", help="Write the providers table to this CSV.")] = None,
             ) -> None:
    """Load the provider register and report its providers by kind and the rows dropped."""
    with clear_errors():
        inputs = load_inputs(data, gias_extract, vacancies)
        providers = inputs.providers
        table = Table(title=f"Providers from {inputs.source}")
        for column in ("kind", "providers", "places published", "places estimated", "no location"):
            table.add_column(column, justify="right" if column != "kind" else "left")
        for kind in KINDS:
            of_kind = providers[providers["kind"] == kind]
            if len(of_kind):
                table.add_row(kind, f"{len(of_kind):,}", f"{(of_kind['places_source'] == 'published').sum():,}",
                              f"{(of_kind['places_source'] == 'estimated').sum():,}",
                              f"{of_kind['easting'].isna().sum():,}")
        table.add_row("all", f"{len(providers):,}", "", "", f"{providers['easting'].isna().sum():,}")
        console.print(table)
        needs = providers["designated_needs"].explode().value_counts()
        console.print("Designated needs: " + ", ".join(f"{need} {count:,}" for need, count in needs.items()))
        console.print(f"Special schools: {providers['kind'].isin(SPECIAL_KINDS).sum():,}")
        for reason, count in inputs.dropped.items():
            console.print(f"Dropped {count:,} rows: {reason}")
        if out is not None:
            written = providers.assign(designated_needs=providers["designated_needs"].map(";".join))
            written.drop(columns=[c for c in ("need_vacancies",) if c in written]).to_csv(out)
            console.print(f"Wrote {out}")


@app.command()
def run(scenario: Annotated[Path, typer.Argument(help="A scenario file (YAML); see scenarios/library/.")],
        out: Annotated[Path, typer.Option("--out", help="Folder for allocation.csv, unplaced.csv, kpis.json, "
                                          "report.html.")] = Path("runs/latest"),
        data: Annotated[Path | None, typer.Option("--data", help="Use this data folder instead of the "
                                                  "scenario's data:.")] = None) -> None:
    """Allocate a scenario's cohort across its councils and write the results, KPIs and a report."""
    with clear_errors():
        spec = load_scenario(scenario)
        if data is not None:
            spec = spec.model_copy(update={"data": str(data.resolve())})
        result = _run_with_progress(spec)
        written = write_run(result, out)
        written.append(write_report(result, out / "report.html"))
        _print_kpis(result)
        console.print("Wrote " + ", ".join(str(path) for path in written))


@app.command(name="map")
def map_command(run_folder: Annotated[Path, typer.Argument(help="A run folder written by placewise run.")],
                out: Annotated[Path | None, typer.Option("--out", help="Folder for map.png and map.html "
                                                         "(default: the run folder).")] = None) -> None:
    """Draw a run's sub-region: council boundaries, providers by kind and cross-boundary flows of children."""
    with clear_errors():
        layers = run_layers(run_folder)
        target = out or run_folder
        target.mkdir(parents=True, exist_ok=True)
        written = [write_png(layers, target / "map.png"), write_html(layers, target / "map.html")]
        console.print("Wrote " + ", ".join(str(path) for path in written))


@app.command()
def compare(first: Annotated[Path, typer.Argument(help="A run folder (with kpis.json).")],
            second: Annotated[Path, typer.Argument(help="Another run folder.")]) -> None:
    """Print two runs' KPIs side by side, with the differences."""
    with clear_errors():
        kpis = [_read_kpis(folder) for folder in (first, second)]
        table = Table(title="Scenario comparison")
        for column in ("KPI", str(first), str(second), "difference"):
            table.add_column(column, justify="left" if column == "KPI" else "right")
        for row in compare_kpis(*kpis):
            table.add_row(*row)
        console.print(table)


@app.command()
def forecast(
    data: Annotated[Path, typer.Option("--data", help="A folder laid out like ../shared/data (SEN2 series).")],
    horizon: Annotated[int, typer.Option("--horizon", help="Years ahead of January 2025, 1 to 5.")] = 3,
    councils: Annotated[str | None, typer.Option("--councils", help="ONS codes, comma-separated.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="A region's name or code instead.")] = None,
    needs: Annotated[str | None, typer.Option("--needs", help="Need codes, comma-separated.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the tables and forecast.html.")] = Path(
        "runs/forecast"),
) -> None:
    """Forecast EHC plans by council, age and need, with intervals and the 2025 backtest."""
    with clear_errors():
        if councils and region:
            raise PlacewiseError("--councils, --region: give one or the other")
        chosen = split(councils) or (councils_in_region(data, region) if region else None)
        series = load_plan_series(data)
        result = forecast_plans(data, horizon, chosen, split(needs), series)
        table = backtest(series.loc[chosen] if chosen else series, 2025, spread_from=series)
        written = write_forecast(result, table, series.loc[chosen] if chosen else series, out)
        ahead = result.totals[result.totals["year"] > 2025].groupby("year")[["plans", "low80", "high80"]].sum()
        for year, row in ahead.iterrows():
            console.print(f"January {year}: {row['plans']:,.0f} plans (sum of the councils' 80% bands: "
                          f"{row['low80']:,.0f} to {row['high80']:,.0f})")
        if needs:
            of_needs = result.detail[result.detail["year"] > 2025].groupby(["year", "need"])["plans"].sum()
            console.print("Of which: " + "; ".join(f"{year} {need} {plans:,.0f}"
                                                   for (year, need), plans in of_needs.items()))
        console.print(f"Backtest 2025: median error by council {table['abs_pct_error'].median():.1f}%")
        console.print("Wrote " + ", ".join(str(path) for path in written))


@app.command()
def plan(scenario: Annotated[Path, typer.Argument(help="A scenario file with a plan: section.")],
         out: Annotated[Path, typer.Option("--out", help="Folder for the plan's files.")] = Path("runs/plan")) -> None:
    """Choose where to add places for low-incidence needs, and what that saves against nothing new."""
    with clear_errors():
        result = run_plan(load_scenario(scenario))
        written = write_plan(result, out)
        chosen = result.plan
        console.print(f"Sites: {', '.join(map(str, chosen.sites)) or 'none'}; £{chosen.total_cost_gbp:,.0f} a year "
                      f"against £{chosen.baseline_cost_gbp:,.0f} with nothing new (saving £{chosen.saving_gbp:,.0f});"
                      f" {chosen.fallback_children} children still without a local place")
        console.print("Wrote " + ", ".join(str(path) for path in written))


@app.command()
def sweep(scenario: Annotated[Path, typer.Argument(help="A scenario file with plan: and sweep: sections.")],
          out: Annotated[Path, typer.Option("--out", help="Folder for the sweep's files.")] = Path("runs/sweep"),
          scheduler: Annotated[str | None, typer.Option("--scheduler", help="A Dask scheduler's address; "
                                                        "without it, a local cluster.")] = None,
          workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Local cluster workers.")] = 2,
          sequential: Annotated[bool, typer.Option("--sequential", help="Run one after another, no Dask.")] = False,
          ) -> None:
    """Run many variants of a plan on Dask: how often each site is chosen, and the spread of cost."""
    with clear_errors():
        spec = load_scenario(scenario)
        with Progress(console=errors, transient=True) as bar:
            task = bar.add_task("variants", total=None)
            result = run_sweep(spec, scheduler, workers, lambda done, total: bar.update(
                task, completed=done, total=total), sequential)
        written = write_sweep(result, out)
        workers_words = "1 worker" if result.workers == 1 else f"{result.workers} workers"
        console.print(f"{len(result.variants):,} variants on {workers_words} in {result.wall_seconds:.1f} s")
        for site, share in result.site_frequency.head(8).items():
            console.print(f"  {site}: chosen in {share:.0%} of variants")
        console.print("Wrote " + ", ".join(str(path) for path in written))


@app.command()
def demo(out: Annotated[Path, typer.Option("--out", help="Folder for the demo run's files.")] = Path("runs/demo"),
         ) -> None:
    """Run the main job on the embedded demo: allocate its cohort across three councils, then one shortlist."""
    with clear_errors():
        result = _run_with_progress(load_scenario(DEMO_SCENARIO))
        written = write_run(result, out)
        written.append(write_report(result, out / "report.html"))
        _print_kpis(result)
        console.print("Wrote " + ", ".join(str(path) for path in written))
        inputs = load_inputs()
        shortlister = build_shortlister(inputs.providers, costs=inputs.costs)
        for child_id in DEMO_CHILDREN:
            child = demo_child(inputs, child_id)
            console.rule(f"One child's shortlist, {child_id}: age {child.age}, {child.primary_need}")
            _print_shortlist(shortlister.shortlist(child, 5), inputs.source)


def _run_with_progress(scenario_spec: Scenario) -> ScenarioRun:
    with Progress(console=errors, transient=True) as bar:
        task = bar.add_task("candidates", total=None)

        def report(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        return run_scenario(scenario_spec, progress=report)


def _read_kpis(folder: Path) -> dict:
    path = folder / "kpis.json"
    if not path.is_file():
        raise PlacewiseError(f"{folder}: no kpis.json; give a folder written by placewise run")
    kpis = _read_json(path, f"{path}: not the KPIs of a run; run the scenario again")
    if not isinstance(kpis, dict):
        raise PlacewiseError(f"{path}: not the KPIs of a run; run the scenario again")
    return kpis


def _read_json(path: Path, invalid: str) -> object:
    """A JSON file's content, or ``invalid`` as a clear error where it is not UTF-8 JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise PlacewiseError(invalid) from None


def _print_kpis(result: ScenarioRun) -> None:
    kpis = result.kpis
    solver = kpis["solver"]
    console.print(f"[bold]{escape(result.scenario.name)}[/bold]: {kpis['children']:,} children, "
                  f"{len(result.providers):,} providers ({escape(result.source)})")
    console.print(f"Solved by {solver['method']}: {solver['status']} in {solver['wall_seconds']:.2f} s; "
                  f"checker problems: {kpis['checker_problems']}")
    table = Table(title="Key figures")
    table.add_column("KPI")
    table.add_column("value", justify="right")
    for name, value, _, _ in compare_kpis(kpis, kpis):
        table.add_row(name.replace("_", " "), value)
    console.print(table)
    reasons = ", ".join(f"{reason} {count:,}" for reason, count in kpis["unplaced_by_reason"].items())
    console.print(f"Unplaced by reason: {reasons or 'none'}")


def _read_child_file(path: Path) -> object:
    if not path.is_file():
        raise PlacewiseError(f"--child: {path} not found")
    return _read_json(path, f"--child: {path} is not valid UTF-8 JSON; give one child as a JSON object")


def _print_shortlist(result: Shortlist, source: str) -> None:
    considered = result.candidate_count + sum(result.exclusion_counts.values())
    table = Table(title=f"Shortlist for {result.child_id}: {result.candidate_count} suitable of {considered} "
                        f"({source})")
    for column in ("#", "setting", "total", "suit", "avail", "travel", "perf", "value", "min", "£ a year"):
        table.add_column(column, justify="left" if column == "setting" else "right")
    for row in result.candidates.itertuples(index=False):
        table.add_row(str(row.rank), f"{row.name} ({row.provider_id})", f"{row.total_score:.2f}",
                      f"{row.suitability:.2f}", f"{row.availability:.2f}", f"{row.travel:.2f}",
                      f"{row.performance:.2f}", f"{row.value_for_money:.2f}", f"{row.travel_minutes:.0f}",
                      f"{row.annual_cost_gbp:,.0f}")
    console.print(table)
    for row in result.candidates.itertuples(index=False):
        console.print(f"  {row.rank}. {row.name}: " + "; ".join(row.reasons), highlight=False)
    for row in result.exclusions.itertuples(index=False):
        console.print(f"  not listed: {row.name} ({row.provider_id}): {row.explanation}", highlight=False)
    for wish in result.preferences:
        console.print(f"  parents' preference {wish['provider_id']}: {wish['message']}", highlight=False)
