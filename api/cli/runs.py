"""Scenario runs on the command line: ``run``, ``demo`` (the main job on the embedded demo), ``map``, ``compare``."""

from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import clear_errors, collector_paused, console, errors, read_json, set_aside_imports, settings
from core.errors import PlacewiseError

if TYPE_CHECKING:
    from matcher.allocation.components import Mapper
    from scenarios.run import ScenarioRun
    from scenarios.schema import Scenario

DEMO_CHILDREN = ("DEMO-0004",)
DEMO_SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "library" / "demo.yaml"


def run(scenario: Annotated[Path, typer.Argument(help="A scenario file (YAML); see scenarios/library/.")],
        out: Annotated[Path, typer.Option("--out", help="Folder for allocation.csv, unplaced.csv, kpis.json, "
                                          "map.png, report.html.")] = Path("runs/latest"),
        data: Annotated[Path | None, typer.Option("--data", help="Use this data folder instead of the "
                                                  "scenario's data:.")] = None,
        scheduler: Annotated[str | None, typer.Option("--scheduler", help="Solve the flow's parts on Dask: a "
                                                      "scheduler's address, or 'local' for a cluster here.")] = None,
        workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Workers of a local cluster.")] = 2,
        cohort: Annotated[Path | None, typer.Option("--cohort", help="Use this cohort CSV (such as placewise cohort "
                                                    "import-sen2 writes) instead of the scenario's cohort:.")] = None,
        settings_file: Annotated[Path | None, typer.Option("--settings", help="Your council's settings file (CSV: "
                                                           "urn, kind, places, boarding, needs) instead of the "
                                                           "scenario's settings:.")] = None,
        report: Annotated[bool, typer.Option("--report/--no-report", help="Also draw map.png and report.html (its "
                                             "charts); --no-report writes the tables and KPIs alone, sooner.")] = True,
        ) -> None:
    """Allocate a scenario's cohort across its councils and write the results, KPIs and a report."""
    with clear_errors(), collector_paused():
        from scenarios.schema import load_scenario

        spec = load_scenario(scenario)
        if data is not None:
            spec = spec.model_copy(update={"data": str(data.resolve())})
        if settings_file is not None:
            spec = spec.model_copy(update={"settings": settings_file.resolve()})
        if cohort is not None:
            spec = spec.model_copy(update={"cohort": spec.cohort.model_copy(update={"csv": cohort.resolve(),
                                                                                   "synthetic": False})})
        if scheduler is None:
            _run_and_write(spec, out, report=report)
            return
        from scenarios.cluster import check_scheduler, client_mapper, dask_client

        check_scheduler(scheduler)  # within seconds, before the inputs load
        with dask_client(scheduler, workers) as client:
            _run_and_write(spec, out, client_mapper(client), report=report)


def demo(out: Annotated[Path, typer.Option("--out", help="Folder for the demo run's files.")] = Path("runs/demo"),
         ) -> None:
    """Run the main job on the embedded demo: allocate its cohort across three councils, then one shortlist."""
    with clear_errors(), collector_paused():
        from api.cli.shortlists import print_shortlist
        from matcher.shortlist import build_shortlister
        from scenarios.inputs import demo_child, load_inputs
        from scenarios.schema import load_scenario

        _run_and_write(load_scenario(DEMO_SCENARIO), out)
        inputs = load_inputs()
        shortlister = build_shortlister(inputs.providers, travel=inputs.travel, costs=inputs.costs)
        for child_id in DEMO_CHILDREN:
            child = demo_child(inputs, child_id)
            console.rule(f"One child's shortlist, {child_id}: age {child.age}, {child.primary_need}")
            print_shortlist(shortlister.shortlist(child, 5), inputs.source)


def map_command(run_folder: Annotated[Path, typer.Argument(help="A run folder written by placewise run.")],
                out: Annotated[Path | None, typer.Option("--out", help="Folder for map.png and map.html "
                                                         "(default: the run folder).")] = None) -> None:
    """Draw a run's sub-region: council boundaries, providers by kind and cross-boundary flows of children."""
    with clear_errors():
        from api.web.assets import leaflet_dir
        from scenarios.reports.maps import LeafletFiles, run_layers, write_html, write_png

        layers = run_layers(run_folder, settings().cache)
        target = out or run_folder
        target.mkdir(parents=True, exist_ok=True)
        written = [write_png(layers, target / "map.png"), write_html(layers, target / "map.html",
                                                                           LeafletFiles.beside(leaflet_dir()))]
        console.print("Wrote " + ", ".join(str(path) for path in written))


def compare(first: Annotated[Path, typer.Argument(help="A run folder (with kpis.json).")],
            second: Annotated[Path, typer.Argument(help="Another run folder.")]) -> None:
    """Print two runs' KPIs side by side, with the differences."""
    with clear_errors():
        from rich.table import Table

        from scenarios.kpis import KPI_WORDS, compare_kpis

        kpis = [_read_kpis(folder) for folder in (first, second)]
        table = Table(title="Scenario comparison")
        for column in ("KPI", _run_name(first), _run_name(second), "difference"):
            table.add_column(column, justify="left" if column == "KPI" else "right")
        for name, *shown in compare_kpis(*kpis):
            table.add_row(KPI_WORDS.get(name, name), *shown)
        console.print(table)


def _run_and_write(spec: "Scenario", out: Path, mapper: "Mapper" = map, report: bool = True) -> None:
    from scenarios.run import write_run

    if report:  # matplotlib and the boundaries are loaded only for the report, in processes drawing beside the solve
        from scenarios.reports.report_workers import ReportWorkers
        from scenarios.reports.run_report import report_figures, write_report
    set_aside_imports()  # before the report's processes fork
    if not report:
        result = _run_with_progress(spec, mapper)
        written = write_run(result, out)
    else:
        cache = settings().cache
        drawing = ReportWorkers(spec.data_dir(), cache)
        with drawing if mapper is map else nullcontext(drawing) as workers:  # not beside Dask's threads
            result = _run_with_progress(spec, mapper)
            workers.draw_charts(report_figures(result))
            written = write_run(result, out)
            workers.draw_map(out, cache)
            written.append(write_report(result, out / "report.html", cache, workers.drawn()))
    _print_kpis(result)
    console.print("Wrote " + ", ".join(str(path) for path in written))


def _run_with_progress(scenario_spec: "Scenario", mapper: "Mapper" = map) -> "ScenarioRun":
    from rich.progress import Progress

    from scenarios.run import run_scenario

    config = settings()
    with Progress(console=errors, transient=True) as bar:
        task = bar.add_task("candidates", total=None)

        def report(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        return run_scenario(scenario_spec, progress=report, max_children=config.max_children,
                            cache_dir=config.cache, mapper=mapper)


def _run_name(folder: Path) -> str:
    """A run's scenario name (from its scenario.json), else the folder's name."""
    try:
        name = read_json(folder / "scenario.json", "").get("name")  # type: ignore[attr-defined]
    except (OSError, PlacewiseError, AttributeError):
        name = None
    return str(name) if name else folder.name


def _read_kpis(folder: Path) -> dict:
    path = folder / "kpis.json"
    if not path.is_file():
        raise PlacewiseError(f"{folder}: no kpis.json; give a folder written by placewise run")
    kpis = read_json(path, f"{path}: not the KPIs of a run; run the scenario again")
    if not isinstance(kpis, dict):
        raise PlacewiseError(f"{path}: not the KPIs of a run; run the scenario again")
    return kpis


def _print_kpis(result: "ScenarioRun") -> None:
    from rich.markup import escape
    from rich.table import Table

    from scenarios.kpis import KPI_WORDS, compare_kpis

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
        table.add_row(KPI_WORDS.get(name, name), value)
    console.print(table)
    reasons = ", ".join(f"{reason} {count:,}" for reason, count in kpis["unplaced_by_reason"].items())
    console.print(f"Unplaced by reason: {reasons or 'none'}")
