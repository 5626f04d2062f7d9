"""The report's section on journeys and transport by home council: the journey distribution, the shares over 45
and 75 minutes, and the modelled transport cost beside the council's s251 spend and the counts it rests on."""

import html

from scenarios.run import ScenarioRun


def journeys_section(run: ScenarioRun, names: dict[str, str]) -> str:
    """The section's HTML (empty where the run's KPIs have no journeys)."""
    journeys = run.kpis.get("journeys")
    if not journeys:
        return ""
    transport = run.kpis.get("transport_against_s251", {}).get("by_council", {})
    rows = []
    for code, figures in journeys["by_council"].items():
        if not figures.get("placed"):
            continue
        cost = transport.get(code)
        money = ("<td>—</td>" * 4 if cost is None else
                 f"<td>£{cost['modelled_gbp']:,.0f}</td><td>£{cost['s251_gbp']:,.0f}</td><td>{cost['ratio']:.2f}</td>"
                 f"<td>{cost['eligible']:,} / {cost['run_children']:,}</td>")
        rows.append(
            f"<tr><td>{html.escape(names.get(code, code))}</td><td>{figures['placed']:,}</td>"
            f"<td>{figures['travel_minutes_p50']:.1f} / {figures['travel_minutes_p90']:.1f} / "
            f"{figures['travel_minutes_p95']:.1f}</td><td>{figures['distance_km_p50']:.1f} / "
            f"{figures['distance_km_p90']:.1f} / {figures['distance_km_p95']:.1f}</td>"
            f"<td>{figures['share_over_45_minutes']:.1%}</td><td>{figures['share_over_75_minutes']:.1%}</td>"
            f"<td>{figures.get('placed_only_through_uncertain_journey', 0):,}</td>{money}</tr>")
    note = ("Minutes are the travel model's central estimates; km by road. Transport is the modelled annual cost of "
            "the placed children's journeys beside the council's s251 SEN transport spend 2023-24 (lines 2.1.4, "
            "2.1.6, 2.1.7), with the children eligible for SEN transport it rests on (SEN2 special, unit and AP "
            "plans) and the run's children.")
    return (f"<h2>Journeys and transport by home council</h2><p>{html.escape(note)}</p><table><tr><th>council</th>"
            "<th>placed</th><th>minutes p50 / p90 / p95</th><th>km p50 / p90 / p95</th><th>over 45 min</th>"
            "<th>over 75 min</th><th>only through an uncertain journey</th><th>transport modelled</th>"
            "<th>s251 spend</th><th>modelled / s251</th><th>eligible / run children</th></tr>"
            + "".join(rows) + "</table>")
