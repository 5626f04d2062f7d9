"""A readable ``report.html`` for a scenario run: KPIs, charts (matplotlib, embedded as images), councils,
and the reasons children are unplaced. One self-contained file, no scripts, opens anywhere.

The figures are drawn from small tables (``ReportFigures``) and the run folder's files, so they can be drawn in
another process (``scenarios.reports.report_workers``) while this one writes the page; matplotlib and geopandas are
imported only where a figure is drawn."""

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from matcher.rules import REASON_WORDS
from scenarios.inputs import council_names
from scenarios.kpis import HEADLINE, KPI_WORDS
from scenarios.reports.baseline_section import baseline_section
from scenarios.reports.journeys_section import journeys_section
from scenarios.reports.names import rules_worded, settings_named
from scenarios.reports.page import file_base64, html_page
from scenarios.reports.truth_section import truth_section
from scenarios.run import ScenarioRun

UNPLACED_ROWS_SHOWN = 50


@dataclass(frozen=True, eq=False)
class ReportFigures:
    """What the report's charts show, a few hundred numbers at most."""

    placed_kinds: pd.Series  # children placed, by kind of setting
    travel_minutes: pd.Series  # each placed child's
    costs: pd.DataFrame  # by home council: placement_cost_gbp and transport_cost_gbp, £ million a year
    unplaced_reasons: pd.Series  # children unplaced, by reason


@dataclass(frozen=True)
class DrawnFigures:
    """The report's figures, drawn: its charts (base64 PNGs) and its map (a PNG in the run folder)."""

    charts: list[str]
    map_png: Path


def report_figures(run: ScenarioRun) -> ReportFigures:
    placed = run.allocation.assignments().dropna(subset=["provider_id"])
    costs = placed.groupby("home_council")[["placement_cost_gbp", "transport_cost_gbp"]].sum() / 1e6
    return ReportFigures(placed_kinds=placed["kind"].value_counts(), travel_minutes=placed["travel_minutes"],
                         costs=costs, unplaced_reasons=run.allocation.unplaced["reason"].value_counts())


def draw_charts(figures: ReportFigures) -> list[str]:
    """The report's four charts, as base64 PNGs."""
    from scenarios.reports.charts import bar_chart, histogram_chart

    return [bar_chart(figures.placed_kinds, "Children placed by kind of setting", "children"),
            histogram_chart(figures.travel_minutes, "Travel time of placed children", "minutes each way"),
            _stacked_costs(figures.costs),
            bar_chart(figures.unplaced_reasons, "Unplaced children by reason", "children")]


def draw_map(folder: Path, cache_dir: Path | None = None) -> Path:
    """The map of a run folder ``write_run`` has filled, as its map.png (the boundaries kept in ``cache_dir``)."""
    from scenarios.reports.maps import run_layers, write_png

    return write_png(run_layers(folder, cache_dir), folder / "map.png")


def write_report(run: ScenarioRun, path: Path, cache_dir: Path | None = None,
                 drawn: DrawnFigures | None = None) -> Path:
    """Write the run's report to ``path`` (in a folder ``write_run`` has filled, for the map) and return it; the
    map's boundaries are kept in ``cache_dir``, where one is given. ``drawn``: its figures, drawn elsewhere from
    this run's ``report_figures`` and folder; without them, they are drawn here."""
    kpis = run.kpis
    if drawn is None:
        drawn = DrawnFigures(map_png=draw_map(path.parent, cache_dir), charts=draw_charts(report_figures(run)))
    map_image = file_base64(drawn.map_png)
    charts = drawn.charts
    councils_named = council_names(run.scenario.data_dir())
    settings = {int(urn): str(name) for urn, name in run.providers["name"].items()}
    headline = "".join(f"<tr><td>{KPI_WORDS.get(name, name)}</td><td>{form.format(kpis[name])}</td></tr>"
                       for name, form in HEADLINE if name in kpis)
    councils = "".join(
        f"<tr><td>{html.escape(councils_named.get(code, code))}</td><td>{figures['children']:,}</td>"
        f"<td>{figures['placed']:,}</td>"
        f"<td>{figures['out_of_area_share']:.1%}</td><td>£{figures['annual_cost_gbp']:,.0f}</td></tr>"
        for code, figures in kpis["by_council"].items())
    unplaced = "".join(
        f"<tr><td>{html.escape(str(row.child_id))}</td>"
        f"<td>{html.escape(councils_named.get(str(row.home_council), str(row.home_council)))}</td>"
        f"<td>{html.escape(str(row.primary_need))}</td><td>{html.escape(str(row.reason))}</td>"
        f"<td style='text-align:left'>{html.escape(_worded(str(row.detail), settings))}</td></tr>"
        for row in run.allocation.unplaced.head(UNPLACED_ROWS_SHOWN).itertuples())
    solver = kpis["solver"]
    named_councils = ", ".join(councils_named.get(code, code) for code in run.scenario.councils)
    calibration = kpis.get("calibration")
    reference_rows = "" if not calibration else (
        "<h2>Calibration: against today's placements (SEN2)</h2><p>" + html.escape(calibration["note"]) +
        "</p><table><tr><th>share of children</th><th>this allocation</th><th>SEN2 January 2025</th>"
        "<th>difference (points)</th></tr>" + "".join(
            f"<tr><td>{row['group'].replace('_', ' ')}</td><td>{row['run_share']:.1%}</td>"
            f"<td>{row['sen2_share']:.1%}</td><td>{row['difference_points']:+.1f}</td></tr>"
            for row in calibration["rows"]) + "</table>")
    body = f"""<p>{html.escape(run.scenario.description)}</p>
<p>Data: {html.escape(run.source)}; {len(run.providers):,} providers; councils {html.escape(named_councils)}.
Solved by {html.escape(solver['method'])}: {html.escape(solver['status'])}
(gap {solver['gap']:.4%}) in {solver['wall_seconds']:.2f} s; the independent checker found
{kpis['checker_problems']} problems.</p>
<h2>Key figures</h2><table>{headline}</table>{baseline_section(run)}{reference_rows}{truth_section(kpis)}
<div class="charts">{''.join(f'<img alt="chart" src="data:image/png;base64,{chart}">' for chart in charts)}</div>
<h2>Map: providers and children crossing council boundaries</h2>
<img alt="map of the sub-region" src="data:image/png;base64,{map_image}">
<h2>By home council</h2><table><tr><th>council</th><th>children</th><th>placed</th><th>out of area</th>
<th>annual cost</th></tr>{councils}</table>
{journeys_section(run, councils_named)}
{_fairness_section(run)}
<h2>Unplaced children (first {UNPLACED_ROWS_SHOWN})</h2><table><tr><th>child</th><th>council</th><th>need</th>
<th>reason</th><th>detail</th></tr>{unplaced}</table>"""
    page = html_page(f"{run.scenario.name}: Placewise run", body, heading=run.scenario.name)
    path.write_text(page, encoding="utf-8")
    return path


def _worded(detail: str, settings: dict[int, str]) -> str:
    return rules_worded(settings_named(detail, settings), REASON_WORDS)


def _fairness_section(run: ScenarioRun) -> str:
    """Outcomes by council, need, sex and age group, large differences flagged (``scenarios.transparency``)."""
    table = run.fairness
    rows = "".join(
        f"<tr><td>{html.escape(row.dimension)}</td><td>{html.escape(row.group)}</td><td>{row.children:,}</td>"
        f"<td>{row.placed_share:.1%}</td><td>{row.travel_minutes_mean:.1f}</td><td>£{row.whole_cost_gbp_mean:,.0f}"
        f"</td><td>{row.out_of_area_share:.1%}</td><td style='text-align:left'>{html.escape(row.flags)}</td></tr>"
        for row in table.itertuples())
    return ("<h2>Fairness monitoring: outcomes by group</h2><p>Groups of at least 20 children are flagged where a "
            "share is more than 10 points, or a mean more than 1.5 times, from the whole run's. A flag asks a "
            "person to look; it is not a finding.</p><table><tr><th>by</th><th>group</th><th>children</th>"
            "<th>placed</th><th>minutes</th><th>whole cost</th><th>out of area</th><th>flags</th></tr>"
            f"{rows}</table>")


def _stacked_costs(costs: pd.DataFrame) -> str:
    from scenarios.reports.charts import chart_axes, png_base64

    figure, axes = chart_axes(6, 3.5)
    axes.barh(costs.index, costs["placement_cost_gbp"], label="placements", color="#3b6ea5")
    axes.barh(costs.index, costs["transport_cost_gbp"], left=costs["placement_cost_gbp"], label="transport",
              color="#e39b36")
    axes.set_title("Annual cost by home council")
    axes.set_xlabel("£ million a year")
    axes.legend()
    return png_base64(figure)
