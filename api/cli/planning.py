"""Planning on the command line: ``forecast`` EHC plans, ``plan`` new places, ``sweep`` plans over uncertainty."""

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import clear_errors, console, errors, split
from core.errors import PlacewiseError


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
        from geodata.councils import councils_in_region
        from geodata.sen2 import load_plan_series
        from scenarios.forecast import backtest, forecast_plans
        from scenarios.reports.plan_report import write_forecast

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


def plan(scenario: Annotated[Path, typer.Argument(help="A scenario file with a plan: section.")],
         out: Annotated[Path, typer.Option("--out", help="Folder for the plan's files.")] = Path("runs/plan")) -> None:
    """Choose where to add places for low-incidence needs, and what that saves against nothing new."""
    with clear_errors():
        from scenarios.planning_run import run_plan
        from scenarios.reports.plan_report import write_plan
        from scenarios.schema import load_scenario

        result = run_plan(load_scenario(scenario))
        written = write_plan(result, out)
        chosen = result.plan
        names = result.instance.sites["name"]
        sites = ", ".join(str(names.get(site, site)) for site in chosen.sites) or "none"
        console.print(f"Sites: {sites}; £{chosen.total_cost_gbp:,.0f} a year "
                      f"against £{chosen.baseline_cost_gbp:,.0f} with nothing new (saving £{chosen.saving_gbp:,.0f});"
                      f" {chosen.fallback_children} children still without a local place")
        console.print("Wrote " + ", ".join(str(path) for path in written))


def sweep(scenario: Annotated[Path, typer.Argument(help="A scenario file with plan: and sweep: sections.")],
          out: Annotated[Path, typer.Option("--out", help="Folder for the sweep's files.")] = Path("runs/sweep"),
          scheduler: Annotated[str | None, typer.Option("--scheduler", help="A Dask scheduler's address; "
                                                        "without it, a local cluster.")] = None,
          workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Local cluster workers.")] = 2,
          sequential: Annotated[bool, typer.Option("--sequential", help="Run one after another, no Dask.")] = False,
          ) -> None:
    """Run many variants of a plan on Dask: how often each site is chosen, and the spread of cost."""
    with clear_errors():
        from rich.progress import Progress

        from scenarios.reports.plan_report import write_sweep
        from scenarios.schema import load_scenario
        from scenarios.sweep import run_sweep

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
