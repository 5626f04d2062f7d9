"""Files and readable HTML reports for forecasts, capacity plans and sweeps."""

import html
import json
from pathlib import Path

import pandas as pd

from matcher.precision import round_frame, round_record
from scenarios.forecast import Forecast
from scenarios.planning_run import PlanRun
from scenarios.reports.charts import bar_chart, chart_axes, file_base64, html_page, png_base64
from scenarios.reports.maps import MapLayers, sub_region_shapes, write_png
from scenarios.sweep import SweepResult


def write_forecast(forecast: Forecast, backtest: pd.DataFrame, actual: pd.DataFrame, out: Path) -> list[Path]:
    """forecast.csv (totals with intervals), forecast_detail.csv (age and need), backtest.csv, forecast.html."""
    out.mkdir(parents=True, exist_ok=True)
    round_frame(forecast.totals).to_csv(out / "forecast.csv", index=False)
    round_frame(forecast.detail).to_csv(out / "forecast_detail.csv", index=False)
    round_frame(backtest).to_csv(out / "backtest.csv", index=False)
    figure, axes = chart_axes(7, 4)
    history = actual.sum()
    axes.plot(history.index, history.to_numpy(), color="#222222", marker="o", label="SEN2, January")
    ahead = forecast.totals.groupby("year")[["plans", "low80", "high80", "low95", "high95"]].sum()
    axes.fill_between(ahead.index, ahead["low95"], ahead["high95"], color="#3b6ea5", alpha=0.15, label="95%")
    axes.fill_between(ahead.index, ahead["low80"], ahead["high80"], color="#3b6ea5", alpha=0.3, label="80%")
    axes.plot(ahead.index, ahead["plans"], color="#3b6ea5", marker="o", label="forecast")
    axes.set_title("EHC plans: history and forecast (bands summed over councils)")
    axes.legend()
    chart = png_base64(figure)
    by_need = forecast.detail.groupby(["year", "need"])["plans"].sum().unstack().round(0)
    errors = backtest.sort_values("abs_pct_error", ascending=False).rename(columns={
        "council": "council", "actual": "plans, January 2025", "plans": "forecast from 2019-2024",
        "error": "forecast less actual", "abs_pct_error": "error, %", "in80": "inside the 80% range",
        "low80": "80% range from", "high80": "80% range to"})
    page = html_page("Forecast of EHC plans", f"""<p>{html.escape(forecast.method)}.</p>
<img alt="fan chart" src="data:image/png;base64,{chart}">
<h2>By need (central forecast)</h2>{by_need.to_html()}
<h2>Backtest: 2025 forecast from 2019-2024</h2><p>Total {backtest['actual'].sum():,.0f} plans, forecast
{backtest['plans'].sum():,.0f} ({(backtest['plans'].sum() / backtest['actual'].sum() - 1):+.1%}); median error by
council {backtest['abs_pct_error'].median():.1f}%; {backtest['in80'].mean():.0%} of councils inside their 80%
interval.</p>{errors.to_html(index=False, float_format=lambda value: f"{value:,.1f}")}""")
    (out / "forecast.html").write_text(page, encoding="utf-8")
    return [out / name for name in ("forecast.csv", "forecast_detail.csv", "backtest.csv", "forecast.html")]


def write_plan(run: PlanRun, out: Path) -> list[Path]:
    """plan.json, plan_flows.csv, plan_sites.csv, plan_map.png and plan.html."""
    out.mkdir(parents=True, exist_ok=True)
    plan, instance = run.plan, run.instance
    summary = {"sites": [str(site) for site in plan.sites], "status": plan.status,
               "total_cost_gbp": plan.total_cost_gbp, "fixed_cost_gbp": plan.fixed_cost_gbp,
               "baseline_cost_gbp": plan.baseline_cost_gbp, "saving_gbp": plan.saving_gbp,
               "children": int(instance.demand["children"].sum()), "placed_locally": plan.placed_locally,
               "fallback_children": plan.fallback_children,
               "baseline_fallback_children": plan.baseline_fallback_children, "evaluations": plan.evaluations,
               "fallback_cost_gbp": instance.fallback_cost_gbp}
    (out / "plan.json").write_text(json.dumps(round_record(summary), indent=2), encoding="utf-8")
    flows = plan.flows.join(instance.demand[["council", "need"]], on="demand_id")
    round_frame(flows).to_csv(out / "plan_flows.csv", index=False)
    chosen = instance.sites.loc[plan.sites].assign(
        children=flows[flows["kind"] == "site"].groupby("facility_id")["children"].sum())
    round_frame(chosen.drop(columns=["needs"])).to_csv(out / "plan_sites.csv")
    map_path = write_png(_plan_layers(run, flows), out / "plan_map.png")
    by_council = flows.groupby(["council", "kind"])["children"].sum().unstack(fill_value=0)
    status = {"over_budget": "over the budget: this is the cheapest plan found",
              "within_budget": "within the budget", "no_budget": "no budget set"}[plan.status]
    needs = ", ".join(run.scenario.plan.needs) if run.scenario.plan else ""
    page = html_page(f"Capacity plan: {run.scenario.name}", f"""<table>
<tr><td>children needing a new place ({needs})</td>
<td>{summary['children']:,}</td></tr>
<tr><td>sites chosen</td><td>{html.escape(', '.join(str(instance.sites.at[site, 'name']) for site in plan.sites)
                                            or 'none')}</td></tr>
<tr><td>annual cost of the plan</td><td>£{plan.total_cost_gbp:,.0f} ({status})</td></tr>
<tr><td>annual cost with nothing new</td><td>£{plan.baseline_cost_gbp:,.0f}</td></tr>
<tr><td>saving a year</td><td>£{plan.saving_gbp:,.0f}</td></tr>
<tr><td>placed locally / left to distant independent places</td><td>{plan.placed_locally:,} /
{plan.fallback_children:,} (nothing new: {plan.baseline_fallback_children:,})</td></tr></table>
<img alt="chosen sites on the map" src="data:image/png;base64,{file_base64(map_path)}">
<h2>Chosen sites</h2>{_sites_table(chosen)}
<h2>Who travels where (children by home council and kind of place)</h2>{by_council.to_html()}""")
    (out / "plan.html").write_text(page, encoding="utf-8")
    return [out / name for name in ("plan.json", "plan_flows.csv", "plan_sites.csv", "plan_map.png", "plan.html")]


def write_sweep(result: SweepResult, out: Path) -> list[Path]:
    """sweep.csv, site_frequency.csv and sweep.html."""
    out.mkdir(parents=True, exist_ok=True)
    round_frame(result.variants).to_csv(out / "sweep.csv", index=False)
    round_frame(result.site_frequency.to_frame()).to_csv(out / "site_frequency.csv")
    figure, axes = chart_axes(6, 4)
    for (sites, cap), group in result.variants.groupby(["max_sites", "cap_minutes"]):
        axes.scatter(group["fallback_children"], group["total_cost_gbp"] / 1e6, s=14,
                     label=f"{sites} sites, {cap:.0f} min")
    axes.set_xlabel("children left to distant independent places")
    axes.set_ylabel("£ million a year")
    axes.set_title("Cost against children unplaced locally")
    axes.legend(fontsize=7)
    tradeoff = png_base64(figure)
    spread = result.variants[["total_cost_gbp", "saving_gbp", "fallback_children", "children"]].describe(
        percentiles=[0.05, 0.5, 0.95]).round(0)
    where = "in one process" if result.workers == 1 else f"on {result.workers} Dask workers"
    page = html_page("Sweep of capacity plans", f"""<p>{len(result.variants):,} variants {where} in
{result.wall_seconds:.1f} s.</p><div class="charts">
<img alt="sites" src="data:image/png;base64,{bar_chart(result.site_frequency.head(15), 'How often each site is chosen',
                                                      'share of variants')}">
<img alt="trade-off" src="data:image/png;base64,{tradeoff}"></div>
<h2>Spread across variants</h2>{spread.to_html()}""")
    (out / "sweep.html").write_text(page, encoding="utf-8")
    return [out / name for name in ("sweep.csv", "site_frequency.csv", "sweep.html")]


def _sites_table(chosen: pd.DataFrame) -> str:
    """The chosen sites by name, with their places, costs and children, figures as people write them."""
    table = pd.DataFrame({"site (a unit at)": chosen["name"], "places": chosen["places"],
                          "fixed cost a year": chosen["fixed_cost_gbp"].map(lambda value: f"£{value:,.0f}"),
                          "cost a place a year": chosen["place_cost_gbp"].map(lambda value: f"£{value:,.0f}"),
                          "children placed": chosen["children"].fillna(0).map(lambda value: f"{value:,.0f}")})
    return table.to_html(index=False)


def _plan_layers(run: PlanRun, flows: pd.DataFrame) -> MapLayers:
    instance, chosen = run.instance, set(run.plan.sites)
    places = pd.concat([
        instance.existing.assign(kind="existing setting with room", name=instance.existing.index.astype(str)),
        instance.sites.assign(kind=["chosen site" if site in chosen else "candidate site"
                                    for site in instance.sites.index])])
    councils = list(run.scenario.councils)
    traffic = flows.groupby(["council", "facility_id"])["children"].sum().rename("children").reset_index()
    return MapLayers(councils=sub_region_shapes(run.scenario.data_dir(), councils), providers=places,
                     title=f"{run.scenario.name}: sites and flows of children",
                     flows=traffic.rename(columns={"council": "home_council", "facility_id": "provider_id"}))

